"""Who may do what in the CRRG and its surveys, declared once (views, the admin and
services use these)."""

import rules
from django.db.models import Exists, OuterRef, Q

from accounts.rules import has_verified_email, is_crrg_coordinator

is_coordinator = is_crrg_coordinator | rules.is_superuser


def coordinated_q(user, *, prefix: str = "") -> Q:
    """The questionnaires `user` coordinates, as a filter: those owned by a committee
    they sit on and those naming them as a coordinator; every one for a superuser.

    The one definition: the admin's querysets use it, and so does the object rule
    below, so a list and a page can never disagree. `prefix` reaches it through a
    relation (`"questionnaire__"` for questions and responses)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    from crrg.models import Questionnaire

    roles = list(user.groups.values_list("name", flat=True))
    # EXISTS rather than a join on the coordinators, so no row is listed twice.
    named = Questionnaire.coordinators.through.objects.filter(
        questionnaire=OuterRef(f"{prefix}pk"), user=user
    )
    return Q(**{f"{prefix}owner__in": roles}) | Q(Exists(named))


@rules.predicate
def coordinates_questionnaire(user, questionnaire) -> bool:
    if questionnaire is None:
        return False
    from crrg.models import Questionnaire

    mine = Questionnaire.objects.filter(coordinated_q(user), pk=questionnaire.pk)
    return mine.exists()


@rules.predicate
def coordinates_any_questionnaire(user) -> bool:
    from crrg.models import Questionnaire

    return Questionnaire.objects.filter(coordinated_q(user)).exists()


# Coordinators' pages: interest groups, rosters (with consenting members' emails), messages.
rules.add_perm("crrg.coordinate", rules.is_authenticated & is_coordinator)
# One survey's results: its summary and its exports.
rules.add_perm("crrg.coordinate_questionnaire", rules.is_authenticated & coordinates_questionnaire)
# The coordinators' overview page: the CRRG's coordinators, and anyone who runs a survey.
rules.add_perm(
    "crrg.coordinate_surveys",
    rules.is_authenticated & (is_coordinator | coordinates_any_questionnaire),
)
# Answering a questionnaire needs a verified address: the answers feed rosters and mail.
rules.add_perm("crrg.answer", rules.is_authenticated & has_verified_email)
