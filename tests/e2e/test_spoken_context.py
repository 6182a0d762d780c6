"""Context a screen reader must be told (issue 23, item 4): which author a row's controls
belong to and who presents, a CRRG question appearing or going away, and the character
counter near the limit. The required-field asterisk is checked without a browser
(tests/gds_portal/test_form_rendering.py, tests/accounts/test_views.py)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, field, login
from tests.e2e.crrg_data import conditional_questionnaire
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory


def _abstract_form(page, body_max_length=1300):
    meeting = MeetingFactory(slug="march-2021", body_max_length=body_max_length)
    SortingCategoryFactory(meeting=meeting, code="23.01.01")
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/abstracts/new/march-2021/")


def test_each_author_rows_controls_are_named_within_its_author_group(page):
    _abstract_form(page)
    groups = page.get_by_role("group", name=re.compile(r"^Author \d+$"))
    before = groups.count()
    page.get_by_role("button", name="Add author").click()
    expect(groups).to_have_count(before + 1)
    for number in range(1, before + 2):
        row = page.get_by_role("group", name=f"Author {number}", exact=True)
        # By accessible name (Playwright's get_by_label would read the hidden asterisk).
        for name in ["Name", "Email", "Affiliations", "ORCID iD"]:
            expect(row.get_by_role("textbox", name=name, exact=True)).to_have_count(1)
        expect(row.get_by_role("checkbox", name="Presenting author")).to_have_count(1)
        expect(row.get_by_role("textbox", name="Name")).to_have_attribute("aria-required", "true")
        expect(
            row.get_by_role("button", name=f"Remove author {number}", exact=True)
        ).to_be_visible()
    assert_accessible(page)
    # Removing the second renumbers the rows, their groups and their buttons.
    page.get_by_role("button", name="Remove author 2", exact=True).press("Enter")
    expect(groups).to_have_count(before)
    last = page.get_by_role("group", name=f"Author {before}", exact=True)
    expect(last.get_by_role("button", name=f"Remove author {before}")).to_be_visible()
    expect(last.get_by_role("textbox", name="Name")).to_have_id(f"id_authors-{before}-name")
    expect(page.get_by_role("button", name="Add author")).to_be_focused()


def test_the_presenting_author_box_says_it_is_one_of_a_kind(page):
    _abstract_form(page)
    first = page.get_by_role("group", name="Author 1").get_by_label("Presenting author")
    second = page.get_by_role("group", name="Author 2").get_by_label("Presenting author")
    for box in (first, second):
        expect(box).to_have_accessible_description(
            re.compile("Exactly one author presents.*unticks the others")
        )
    first.check()
    second.press("Space")
    expect(second).to_be_checked()
    expect(first).not_to_be_checked()


COUNT_STATUS_CHANGES = """() => {
  window.__said = [];
  const status = document.querySelector('[data-char-count-status]');
  new MutationObserver(() => window.__said.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
}"""


def test_the_character_counter_speaks_only_near_the_limit_and_once_typing_pauses(page):
    _abstract_form(page, body_max_length=200)
    body = field(page, "Abstract")
    visible = page.locator("[data-char-count]")
    expect(visible).not_to_have_attribute("aria-live", re.compile("."))
    page.evaluate(COUNT_STATUS_CHANGES)
    body.focus()
    page.keyboard.type("x" * 100)
    page.wait_for_timeout(1500)
    expect(visible).to_have_text("100 of 200 characters")
    assert page.evaluate("window.__said") == []  # far from the limit: silent
    page.keyboard.type("y" * 60)
    expect(page.locator("[data-char-count-status]")).to_have_text("40 characters left")
    page.keyboard.type("z" * 45)
    expect(page.locator("[data-char-count-status]")).to_have_text("5 characters too many")
    # Two announcements for 105 keystrokes near the limit: one per pause.
    assert page.evaluate("window.__said") == ["40 characters left", "5 characters too many"]


def test_a_conditional_question_is_announced_and_keeps_its_note_for_screen_readers(page):
    conditional_questionnaire()
    UserFactory(email="member@example.org")
    login(page, "member@example.org", PASSWORD)
    page.goto(page.live_url + "/crrg/join/")
    status = page.locator("[data-crrg-status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")  # nothing said on load
    details = field(page, "Describe your COVID work")
    expect(details).to_be_hidden()
    page.get_by_label("Yes", exact=True).focus()
    page.keyboard.press("Space")
    expect(details).to_be_visible()
    expect(status).to_have_text("New question below: Describe your COVID work")
    note = page.locator(".crrg-condition-note")
    expect(note).to_have_class(re.compile("visually-hidden"))
    expect(note).to_have_css("display", "block")  # in the accessibility tree, off screen
    expect(note).to_have_text(re.compile("Answer this only if you chose “Yes”"))
    page.keyboard.press("ArrowDown")  # to "No"
    expect(details).to_be_hidden()
    expect(status).to_have_text("Question removed: Describe your COVID work")
    assert_accessible(page)
