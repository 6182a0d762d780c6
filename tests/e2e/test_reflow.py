"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, the width of a 1280 px window zoomed to
400%, no page of the demo scrolls sideways. Tables may scroll inside their own box (the
criterion's exception for content that needs two dimensions); the page itself may not.

Every page the sitemap lists is walked, with the demo content loaded (its long titles,
maths, reference lists and tables), then the pages a member works in.
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import login
from tests.sitemap_checks import sitemap_paths

pytestmark = pytest.mark.django_db(transaction=True)

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
