"""The chair builds a session of contributed talks in Chromium (issue 16, item 5):
creates sessions per category, moves a talk by keyboard, names the chair and the room,
publishes, and finds the session on the meeting page. axe-core on every new page."""

from playwright.sync_api import expect

from accounts.enums import Role
from meetings.enums import Decision
from meetings.models import ContributedSession
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.e2e.conftest import assert_accessible, field, login
from tests.e2e.downloads import downloaded_pdf_text
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract

TITLES = ["Learned detector codecs", "Koopman operators from data", "Graph networks for phonons"]


def _accepted_and_told(chair):
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    abstracts = []
    for n, title in enumerate(TITLES, start=1):
        submitter = UserFactory(email=f"author{n}@example.org")
        authors = [author(f"Presenter {n}", submitter.email)]
        abstracts.append(
            make_abstract(submitter=submitter, category=focus, title=title, authors=authors)
        )
    abstracts_decide(abstracts=abstracts, decision=Decision.ACCEPT_ORAL, by=chair)
    decisions_send(meeting=meeting, by=chair)
    return meeting, abstracts


def test_chair_builds_reorders_and_publishes_a_session(page):
    chair = UserFactory(
        email="chair@example.org", full_name="Chris Chair", roles=[Role.PROGRAM_COMMITTEE]
    )
    _meeting, abstracts = _accepted_and_told(chair)
    login(page, "chair@example.org", PASSWORD)

    page.goto(f"{page.live_url}/meetings/march-2021/committee/sessions/")
    expect(page.get_by_test_id("unplaced-count")).to_contain_text("3 accepted abstracts")
    assert_accessible(page)
    page.get_by_role("button", name="Create sessions per category").click()
    expect(page.locator(".messages")).to_contain_text("1 session created")
    page.get_by_role("link", name="Big Data in Physics").click()
    assert_accessible(page)

    # The first talk moves down, by keyboard alone: focus its Down button, press Enter.
    down = page.get_by_role("button", name=f"Move {abstracts[0].reference} down")
    down.focus()
    page.keyboard.press("Enter")
    talks = page.get_by_test_id("session-talk")
    expect(talks.nth(0)).to_contain_text(TITLES[1])
    expect(talks.nth(1)).to_contain_text(TITLES[0])

    field(page, "Title").fill("Machine Learning for Physics I")
    field(page, "Code").fill("B12")
    field(page, "… or the chair's name").fill("Dana Chair, Example University")
    field(page, "Room").fill("Room 401")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator(".messages")).to_contain_text("The session is saved.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_test_id("session-state")).to_contain_text("Published")
    assert_accessible(page)
    session = ContributedSession.objects.get()
    assert session.is_published

    # The book of abstracts follows the sessions: the chair downloads it by session.
    page.get_by_role("link", name="Book of abstracts").click()
    assert_accessible(page)
    text = downloaded_pdf_text(page, "Download PDF by session")
    assert "B12 Machine Learning for Physics I" in text
    assert text.index(TITLES[1]) < text.index(TITLES[0]) < text.index(TITLES[2])
    page.go_back()

    page.get_by_role("link", name="the meeting page").click()
    published = page.get_by_test_id("contributed-session")
    expect(published.get_by_role("heading")).to_have_text("B12: Machine Learning for Physics I")
    expect(published).to_contain_text("Dana Chair, Example University")
    expect(published).to_contain_text("Room 401")
    items = published.get_by_test_id("contributed-talks").locator("li")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text(f"{abstracts[1].reference} “{TITLES[1]}” — Presenter 2")
    expect(items.nth(1)).to_contain_text(TITLES[0])
    assert_accessible(page)
