"""Who reaches the coordinators' pages: the decorators and lookups every CRRG and
survey view shares (the rules themselves are in crrg/rules.py)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from crrg.models import Questionnaire
from crrg.selectors import answering


def requires(perm: str):
    """Members with `perm` only (403 for other members; visitors are asked to log in);
    never cached."""

    def decorate(view):
        checked = permission_required(perm, raise_exception=True)(view)
        return login_required(never_cache(checked))

    return decorate


# Interest groups and their rosters: the CRRG coordinators (and superusers).
coordinator_only = requires("crrg.coordinate")
# The overview: anyone who coordinates a survey (its owning committee, its named
# coordinators) or the CRRG. Each survey's own pages check that survey too.
runs_surveys = requires("crrg.coordinate_surveys")


def coordinated_survey(request, slug: str) -> Questionnaire:
    """The survey by slug with its questions, if the user reads its results, else 403."""
    questionnaire = answering.questionnaire_with_questions(slug=slug)
    if not request.user.has_perm("crrg.coordinate_questionnaire", questionnaire):
        raise PermissionDenied
    return questionnaire


def survey_to_run(request, slug: str) -> Questionnaire:
    """The survey by slug, if the user coordinates it (the object rule), else 403."""
    questionnaire = get_object_or_404(Questionnaire, slug=slug)
    if not request.user.has_perm("crrg.coordinate_questionnaire", questionnaire):
        raise PermissionDenied
    return questionnaire
