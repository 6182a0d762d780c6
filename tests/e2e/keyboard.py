"""Driving a page by keyboard alone, checking the focus after every key (issue 23).

Keyboard journeys use only these helpers (and so only `keyboard.press`/`keyboard.type`):
no clicks, no fills. After every key on a page, `document.activeElement` must be an
element, never `<body>`. A key that opens a new page is the one exception: a freshly
loaded document starts with the focus at its top (or where site.js puts it), and the
next key is checked again.
"""

import re

FOCUS_ON_BODY = "() => !document.activeElement || document.activeElement === document.body"
FOCUSED = "el => el === document.activeElement"


def assert_focus_held(page, after: str) -> None:
    assert not page.evaluate(FOCUS_ON_BODY), f"focus fell to <body> after {after} on {page.url}"


def press(page, key: str) -> None:
    page.keyboard.press(key)
    assert_focus_held(page, key)


def type_text(page, text: str) -> None:
    page.keyboard.type(text)
    assert_focus_held(page, f"typing {text!r}")


def tab_to(page, role: str, name: str | re.Pattern, *, limit: int = 80, back: bool = False):
    """Press Tab (Shift+Tab if `back`) until the `role` named `name` has the focus.

    At most `limit` presses, each checked for a dropped focus; returns the element.
    """
    target = page.get_by_role(role, name=name, exact=isinstance(name, str)).first
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        press(page, key)
        if target.evaluate(FOCUSED):
            return target
    raise AssertionError(f"{limit} presses of {key} never reached {role} {name!r} on {page.url}")


def follow(page, key: str = "Enter") -> None:
    """Press `key` on a link or submit button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def fill_by_keyboard(page, role: str, name: str, text: str) -> None:
    """Tab to a field, clear what it holds and type `text` into it."""
    tab_to(page, role, name)
    press(page, "ControlOrMeta+a")
    type_text(page, text)
