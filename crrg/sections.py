"""The CRRG block on My GDS: membership, answers and interest groups (each can be left)."""

from crrg import selectors


def my_crrg(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    questionnaire = selectors.current_membership_questionnaire()
    memberships = list(selectors.my_memberships(request.user))
    is_member = selectors.is_crrg_member(request.user)
    if questionnaire is None and not memberships and not is_member:
        return None
    return {
        "is_member": is_member,
        "memberships": memberships,
        "join_open": questionnaire is not None and questionnaire.is_open(),
    }
