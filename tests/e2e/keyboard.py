"""Driving a page by keyboard alone, checking the focus after every key (issue 23).

Keyboard journeys use only these helpers (and so only `keyboard.press`/`keyboard.type`):
no clicks, no fills. After every key on a page, `document.activeElement` must be an
element, never `<body>`, and some of it must be in view with nothing drawn over it.
A key that opens a new page is the one exception: a freshly
loaded document starts with the focus at its top (or where site.js puts it), and the
next key is checked again.
"""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

FOCUS_ON_BODY = "() => !document.activeElement || document.activeElement === document.body"
FOCUSED = "el => el === document.activeElement"


# Whether any part of the focused control (or, for a visually hidden box such as a
# Bootstrap toggle button's, its label) can be seen: some point of it inside the window
# where nothing else is drawn on top (WCAG 2.4.11, focus not obscured).
FOCUS_SEEN = """() => {
  const el = document.activeElement;
  const boxes = [el, ...(el.labels || [])].map((e) => e.getBoundingClientRect())
    .filter((r) => r.width >= 1 && r.height >= 1);
  for (const r of boxes) {
    for (const fx of [0.1, 0.3, 0.5, 0.7, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
      const x = r.left + r.width * fx, y = r.top + r.height * fy;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const top = document.elementFromPoint(x, y);
      const labels = [...(el.labels || [])];
      if (!top) continue;
      if (el.contains(top) || top.contains(el) || labels.some((l) => l.contains(top))) {
        return true;
      }
    }
  }
  const r = el.getBoundingClientRect();
  const at = [r.left, r.top, r.width, r.height].map(Math.round);
  return `${el.tagName} #${el.id} .${el.className} at ${at} in ${innerWidth}x${innerHeight}`;
}"""


def assert_focus_held(page, after: str) -> None:
    assert not page.evaluate(FOCUS_ON_BODY), f"focus fell to <body> after {after} on {page.url}"
    # Bootstrap scrolls smoothly (unless reduced motion is asked for): the focused control
    # may still be coming into view, so wait for it a moment, frame by frame.
    try:
        page.wait_for_function(f"() => ({FOCUS_SEEN})() === true", timeout=3000)
    except PlaywrightTimeout:
        seen = page.evaluate(FOCUS_SEEN)
        message = f"the focused control is hidden after {after} on {page.url}: {seen}"
        raise AssertionError(message) from None


def press(page, key: str) -> None:
    # Instant scrolling, as for a reader who asks for reduced motion: Chromium sometimes
    # drops a smooth scroll that a fast second Tab interrupts, which left a focused link
    # below the fold in one run of three; what is checked (the focus seen) is the same.
    page.emulate_media(reduced_motion="reduce")
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
