"""The smaller findings of issue 23 (item 5), each as a keyboard or screen-reader user
meets it: the phone menu, display equations, the abstract form's headings, the text of
"Discard it" and the names of the decisions page's tick boxes."""

import itertools
import json
import re

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from tests.e2e import keyboard
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.focus import contrast
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract

ACTIVE = "document.activeElement"


def test_escape_closes_the_phone_menu_and_gives_focus_back_to_its_toggle(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.live_url + "/")
    toggle = page.get_by_role("button", name="Toggle navigation")
    menu = page.locator("#main-nav")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")  # into the menu: its first link
    expect(menu.get_by_role("link", name="Newsletters")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()

    # Escape while the menu is still opening closes it once it has opened.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    assert_accessible(page)


def _equation_page(page):
    """The member's own abstract, with one equation that fits and one that cannot."""
    wide = " + ".join(f"x_{{{n}}}" for n in range(60))
    submitter = UserFactory(email="ada@example.org")
    abstract = make_abstract(
        submitter=submitter, body=f"Short: $$a = b$$ and long: $$y = {wide}$$ end."
    )
    login(page, "ada@example.org", PASSWORD)
    page.goto(page.live_url + abstract.get_absolute_url())
    equations = page.locator(".math-display")
    expect(equations).to_have_count(2)
    return equations.nth(0), equations.nth(1)


def test_only_display_equations_that_scroll_are_tab_stops(page):
    narrow, wide = _equation_page(page)
    expect(wide).to_have_attribute("tabindex", "0")
    expect(page.get_by_role("region", name="Equation (scrolls sideways)")).to_have_count(1)
    expect(narrow).not_to_have_attribute("tabindex", "0")
    expect(narrow).not_to_have_attribute("role", "region")

    # Tabbing through the whole page reaches the wide one and never the narrow one.
    narrow.evaluate("el => el.id = 'narrow-equation'")
    wide.evaluate("el => el.id = 'wide-equation'")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(f"{ACTIVE}.id"))
    assert "wide-equation" in reached
    assert "narrow-equation" not in reached
    assert_accessible(page)


def test_an_equation_becomes_a_tab_stop_when_the_window_narrows(page):
    narrow, _ = _equation_page(page)
    narrow.evaluate("el => { el.firstElementChild.style.width = '2000px'; }")
    page.set_viewport_size({"width": 1200, "height": 900})  # a resize asks again
    expect(narrow).to_have_attribute("tabindex", "0")


def test_the_abstract_form_headings_do_not_skip_a_level(page):
    meeting = MeetingFactory(slug="march-2021")
    SortingCategoryFactory(meeting=meeting, code="23.01.01")
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/abstracts/new/march-2021/")
    levels = page.locator("main :is(h1, h2, h3, h4, h5, h6)").evaluate_all(
        "els => els.filter(e => e.getClientRects().length).map(e => Number(e.tagName[1]))"
    )
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels)), levels
    expect(page.get_by_role("heading", level=2, name="Author 1")).to_be_visible()


def _colour(css: str) -> tuple[int, int, int]:
    red, green, blue = re.findall(r"[\d.]+", css)[:3]  # rgb(r, g, b), opaque here
    return round(float(red)), round(float(green)), round(float(blue))


BACKGROUND = """el => {
  for (let node = el; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
  }
  return 'rgb(255, 255, 255)';
}"""


def test_the_restore_offer_buttons_have_text_contrast(page):
    meeting = MeetingFactory(slug="march-2021")
    SortingCategoryFactory(meeting=meeting, code="23.01.01")
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/abstracts/new/march-2021/")
    key = "gds-autosave:" + page.locator("#abstract-form").get_attribute("data-autosave")
    kept = json.dumps({"at": "2021-01-01T00:00:00Z", "values": {"title": "Kept title"}})
    page.evaluate("([key, kept]) => localStorage.setItem(key, kept)", [key, kept])
    page.reload()
    for name in ["Restore it", "Discard it"]:
        button = page.get_by_role("button", name=name)
        expect(button).to_be_visible()
        text = _colour(button.evaluate("el => getComputedStyle(el).color"))
        ground = _colour(button.evaluate(BACKGROUND))
        assert contrast(text, ground) >= 4.5, (name, text, ground)
    assert_accessible(page)  # axe's color-contrast, with the offer shown


def test_the_decision_tick_boxes_are_named_with_the_abstract_title(page):
    meeting = MeetingFactory(slug="march-2021")
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01")
    titles = ["Learned detector codecs", "Koopman operators from data"]
    abstracts = [
        make_abstract(submitter=UserFactory(), category=category, title=title) for title in titles
    ]
    UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    login(page, "chair@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/decisions/")
    for abstract in abstracts:
        name = f"Choose {abstract.reference}: {abstract.title}"
        expect(page.get_by_role("checkbox", name=name, exact=True)).to_have_count(1)
    assert_accessible(page)


def test_the_keyboard_helper_fails_on_a_focused_control_drawn_over(page):
    """WCAG 2.4.11: the keyboard journeys fail when the focused control is entirely
    hidden by something drawn over it (a sticky banner, say), not only when the focus
    falls to <body>."""
    page.goto(page.live_url + "/accounts/login/")
    email = page.locator("#id_login")
    email.focus()
    keyboard.assert_focus_held(page, "focusing the address")  # in view: passes
    page.evaluate("""() => {
      const banner = document.createElement("div");
      Object.assign(banner.style, {position: "fixed", inset: "0", background: "#fff"});
      banner.textContent = "A banner over the whole window";
      document.body.append(banner);
    }""")
    with pytest.raises(AssertionError, match="the focused control is hidden"):
        keyboard.assert_focus_held(page, "drawing the banner")
