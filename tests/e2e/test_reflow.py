"""Reflow (WCAG 1.4.10) and text spacing (1.4.12), on every page the sitemap lists with
the demo content loaded (its long titles, maths, reference lists and tables), and on the
pages a member works in.

At 320 CSS pixels wide, the width of a 1280 px window zoomed to 400%, no page scrolls
sideways. Tables may scroll inside their own box (the criterion's exception for content
that needs two dimensions); the page itself may not. With the criterion's wider line,
letter, word and paragraph spacing, at that width, no text is cut off and nothing
scrolls sideways.
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import login
from tests.sitemap_checks import sitemap_paths

# serialized_rollback: the flush after each test would take the units and categories
# the migrations load with it, and the next test's demo needs them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTH = 320
OVERFLOW = """() => {
  const wide = document.documentElement.scrollWidth;
  if (wide <= innerWidth) return null;
  // Name the widest element that sticks out, to say what to fix.
  let worst = null, right = innerWidth;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 0.5) { right = r.right; worst = el; }
  }
  return `${wide}px wide; ${worst ? worst.tagName + "." + worst.className : "?"} ends at ${right}`;
}"""


def _wide_pages(page, paths) -> dict[str, str]:
    wide = {}
    for path in paths:
        page.goto(page.live_url + path)
        if overflow := page.evaluate(OVERFLOW):
            wide[path] = overflow
    return wide


def test_no_page_scrolls_sideways_at_320_pixels(page):
    call_command("load_demo", force=True, stdout=io.StringIO())
    page.set_viewport_size({"width": WIDTH, "height": 640})
    paths = sitemap_paths(Client())
    assert len(paths) > 20  # the demo's public pages, not an empty sitemap
    public = ["/search/?q=data", "/accounts/login/", "/accounts/signup/", "/ombudsman/concern/"]
    wide = _wide_pages(page, paths + public)

    login(page, "member@demo.gds.example.org", DEMO_PASSWORD)
    member = [
        "/my/",
        "/meetings/my/abstracts/",
        "/surveys/barriers-survey/",
        "/crrg/join/",
        "/my/profile/",
        "/meetings/my/nominations/",
    ]
    wide |= _wide_pages(page, member)
    assert wide == {}

    # The check sees a page that does scroll sideways.
    page.evaluate("""() => {
      const wide = document.createElement("div");
      wide.style.width = "2000px";
      wide.textContent = "A box too wide for the window.";
      document.body.append(wide);
    }""")
    assert "2000" in page.evaluate(OVERFLOW)


# WCAG 1.4.12's spacing, set on every element as a reader's style sheet would (through
# the CSSOM: the CSP refuses inline <style>).
TEXT_SPACING = """() => {
  for (const el of document.querySelectorAll("body, body *")) {
    el.style.setProperty("line-height", "1.5", "important");
    el.style.setProperty("letter-spacing", "0.12em", "important");
    el.style.setProperty("word-spacing", "0.16em", "important");
    if (el.tagName === "P") el.style.setProperty("margin-bottom", "2em", "important");
  }
}"""
# Text cut off: a box that hides its overflow (not one that scrolls, and not a visually
# hidden one) whose content no longer fits; or the page scrolling sideways.
CLIPPED = """() => {
  const cut = [];
  if (document.documentElement.scrollWidth > innerWidth) cut.push("the page scrolls sideways");
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (!/hidden|clip/.test(style.overflowX + style.overflowY)) continue;
    if (el.clientWidth <= 1 || el.clientHeight <= 1 || !el.textContent.trim()) continue;
    const wide = /hidden|clip/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const tall = /hidden|clip/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const text = el.textContent.trim().slice(0, 40);
    if (wide || tall) cut.push(`${el.tagName}.${el.className}: ${text}`);
  }
  return cut;
}"""


def test_text_spacing_cuts_nothing_off(page):
    call_command("load_demo", force=True, stdout=io.StringIO())
    # At the narrow width too, where the spacing wraps most (an outside probe found a
    # badge that would not wrap push the call page sideways there).
    page.set_viewport_size({"width": WIDTH, "height": 640})
    clipped = {}
    for path in [*sitemap_paths(Client()), "/accounts/login/", "/ombudsman/concern/"]:
        page.goto(page.live_url + path)
        page.evaluate(TEXT_SPACING)
        if cut := page.evaluate(CLIPPED):
            clipped[path] = cut
    assert clipped == {}

    # The check sees text cut off.
    page.evaluate("""() => {
      const box = document.createElement("div");
      Object.assign(box.style, {height: "1em", overflow: "hidden", width: "5em"});
      box.textContent = "A long sentence that cannot fit in so small a box at all.";
      document.body.append(box);
    }""")
    assert any("A long sentence" in cut for cut in page.evaluate(CLIPPED))
