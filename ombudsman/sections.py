"""The ombudsman's blocks on pages other apps own (registered in apps.py)."""

from ombudsman import selectors
from ombudsman.rules import allowed

# The flat pages that point readers to the ombudsman.
POINTS_TO_OMBUDSMAN = {"/about/diversity/", "/about/code-of-conduct/"}


def my_concerns(request) -> dict | None:
    """My GDS: a member's named concerns, and the ombudsman's own entrance."""
    user = request.user
    concerns = list(selectors.own_concerns(user))
    is_ombudsman = allowed(user, "ombudsman.handle_concerns")
    if not concerns and not is_ombudsman:
        return None
    return {"concerns": concerns, "is_ombudsman": is_ombudsman}


def flatpage_pointer(request, page) -> dict | None:
    """Diversity statement and Code of Conduct: how to reach the ombudsman. The same for
    every reader (the page is cached for visitors), so no per-user bits."""
    return {} if page.url in POINTS_TO_OMBUDSMAN else None


def about_pointer(request, page) -> dict | None:
    """About: where the statement, the Code of Conduct and the ombudsman are (the same
    for every reader)."""
    return {} if page.url == "/about/" else None
