"""Keyboard focus is visible on every kind of focusable element (issue 23 item 1).

tests/e2e/focus.py measures each element's indicator on screenshots; these pages between
them hold every kind the site uses: the dark header (brand, nav links, search box, Log
in, Join, Log out, the phone menu's toggle), the skip link, the hero's buttons, footer
links, text fields, text areas, selects, checkboxes, radios, primary and secondary
buttons, and the program committee's tabs.
"""

from accounts.enums import Role
from tests.e2e.conftest import login
from tests.e2e.focus import assert_focus_visible
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract


def _kinds(page) -> set[str]:
    return set(page.locator("[data-focus-probe]").evaluate_all("els => els.map(e => e.tagName)"))


def test_focus_is_visible_on_the_home_page_and_its_header(page):
    page.goto(page.live_url + "/")
    assert assert_focus_visible(page) > 10
    assert page.locator("header [data-focus-probe]").count() >= 8  # every header control


def test_focus_is_visible_on_the_phone_menu_toggle(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.live_url + "/")
    assert_focus_visible(page)
    assert page.locator(".navbar-toggler[data-focus-probe]").count() == 1


def test_focus_is_visible_on_the_login_form(page):
    page.goto(page.live_url + "/accounts/login/")
    assert_focus_visible(page)
    assert {"INPUT", "BUTTON", "A"} <= _kinds(page)


def test_focus_is_visible_on_the_abstract_form(page):
    meeting = MeetingFactory(slug="march-2021")
    SortingCategoryFactory(meeting=meeting, code="23.01.01")
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/abstracts/new/march-2021/")
    assert_focus_visible(page, cap=60)
    types = page.locator("input[data-focus-probe]").evaluate_all("els => els.map(e => e.type)")
    assert {"text", "email", "checkbox", "radio"} <= set(types)
    assert {"SELECT", "TEXTAREA", "BUTTON"} <= _kinds(page)
    assert page.locator("header button[data-focus-probe]").count() == 1  # Log out


def test_focus_is_visible_on_the_committee_tabs_and_decisions(page):
    meeting = MeetingFactory(slug="march-2021")
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01")
    for n in range(2):
        make_abstract(submitter=UserFactory(), category=category, title=f"Abstract {n}")
    UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    login(page, "chair@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/decisions/")
    assert_focus_visible(page, cap=60)
    assert page.locator(".nav-tabs .nav-link[data-focus-probe]").count() >= 2
    assert page.locator("input[type=checkbox][data-focus-probe]").count() >= 1
