"""Who may do what in the CRRG and its surveys, declared once (views, the admin and
services use these)."""

import rules
from django.db.models import Exists, OuterRef, Q

from accounts.rules import has_verified_email, is_crrg_coordinator

is_coordinator = is_crrg_coordinator | rules.is_superuser


def owned_q(user, *, prefix: str = "") -> Q:
    """The questionnaires `user` may edit: those owned by a committee they sit on (every
    one for a superuser), as a filter. The survey admins' querysets use it. `prefix`
    reaches it through a relation (`"questionnaire__"` for questions and responses)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(**{f"{prefix}owner__in": list(user.groups.values_list("name", flat=True))})


def coordinated_q(user, *, prefix: str = "") -> Q:
    """The questionnaires whose results `user` reads: those they may edit (`owned_q`)
    and those naming them as a coordinator.

    Named coordinators read results on the site and edit nothing: naming someone must
    not hand them the survey (outside probe of issue 18: a coordinator named from
    another committee took a survey over in the admin). The one definition: the object
    rule below and the overview use it, so a list and a page never disagree."""
    owned = owned_q(user, prefix=prefix)
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return owned
    from crrg.models import Questionnaire

    # EXISTS rather than a join on the coordinators, so no row is listed twice.
    named = Questionnaire.coordinators.through.objects.filter(
        questionnaire=OuterRef(f"{prefix}pk"), user=user
    )
    return owned | Q(Exists(named))


@rules.predicate
def coordinates_questionnaire(user, questionnaire) -> bool:
    if questionnaire is None:
        return False
    from crrg.models import Questionnaire

    mine = Questionnaire.objects.filter(coordinated_q(user), pk=questionnaire.pk)
    return mine.exists()


@rules.predicate
def owns_questionnaire(user, questionnaire) -> bool:
    if questionnaire is None:
        return False
    from crrg.models import Questionnaire

    return Questionnaire.objects.filter(owned_q(user), pk=questionnaire.pk).exists()


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
# Releasing a survey's summary to members, or withdrawing it: a committee act, so the
# owning committee's (a named coordinator reads results and edits nothing).
rules.add_perm("crrg.release_summary", rules.is_authenticated & owns_questionnaire)
# Answering a questionnaire needs a verified address: the answers feed rosters and mail.
rules.add_perm("crrg.answer", rules.is_authenticated & has_verified_email)
