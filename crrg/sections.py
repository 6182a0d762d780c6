"""The CRRG block on My GDS (membership, answers and interest groups, each can be
left), the member's open surveys, and the surveys the diversity statement points to."""

import rules

from accounts.enums import Role
from crrg.selectors import answering


def my_crrg(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    questionnaire = answering.current_membership_questionnaire()
    memberships = list(answering.my_memberships(request.user))
    is_member = answering.is_crrg_member(request.user)
    if questionnaire is None and not memberships and not is_member:
        return None
    join_open = questionnaire is not None and questionnaire.is_open()
    return {
        "is_member": is_member,
        "memberships": memberships,
        "join_open": join_open,
        # Answers saved to finish later: the way back to them (the Surveys list leaves
        # the membership form to this section).
        "has_draft": join_open
        and not is_member
        and answering.has_draft(questionnaire=questionnaire, user=request.user),
    }


def my_surveys(request) -> dict | None:
    """Open surveys on My GDS, each with the member's standing (a draft to finish)."""
    if not request.user.is_authenticated:
        return None
    surveys = answering.my_open_surveys(request.user)
    # The way to the results for whoever runs a survey or was named to help (outside
    # probe: a named coordinator had no link to them anywhere).
    # The rule itself, not user.has_perm(): the model backend would first load every
    # model permission the member has, for a rule that asks none of them.
    coordinates = rules.has_perm("crrg.coordinate_surveys", request.user)
    if not surveys and not coordinates:
        return None
    return {"surveys": surveys, "coordinates": coordinates}


# The flat page that carries the diversity statement, whose first action is a member
# survey run by the executive committee (gds_portal migration 0006 creates the page).
DIVERSITY_PAGE = "/about/diversity/"


def diversity_surveys(request, page) -> dict | None:
    """Under the diversity statement: the executive committee's open surveys. The same
    for every reader (the page is cached for visitors): no member's standing here."""
    if page.url != DIVERSITY_PAGE:
        return None
    surveys = list(answering.open_surveys(owner=Role.EXECUTIVE_COMMITTEE))
    return {"surveys": surveys} if surveys else None
