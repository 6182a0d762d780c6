"""Marks for views that anyone may reach without signing in.

The public-endpoint walk (tests/security) requests every URL pattern as an
anonymous visitor; a view that answers 200 must carry `@public`, so opening a
page to the world is always a visible, reviewed decision.
"""


def public(view):
    view.is_public = True
    return view


def is_public(view) -> bool:
    return is_marked(view, "is_public")


def is_marked(view, mark: str) -> bool:
    """Whether a view carries `mark` (set by a decorator such as `public`)."""
    # Class-based views expose the class on `.view_class`; decorators keep __wrapped__.
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        if candidate is not None and getattr(candidate, mark, False):
            return True
    return False
