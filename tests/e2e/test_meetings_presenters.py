"""A presenter confirms their talk in Chromium (issue 16, item 4): the decision is sent,
the presenter opens the signed link from their mail and confirms; the chair sees the
answer on the committee's Presenters page, previews the one reminder, and acts on a
decline. axe-core checks every new page."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings.enums import Decision
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract


def _world():
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data")
    chair = UserFactory(
        email="chair@example.org", full_name="Chris Chair", roles=[Role.PROGRAM_COMMITTEE]
    )
    meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    meeting.save()
    submitter = UserFactory(email="mia@example.org", full_name="Mia Member")
    talks = []
    for title, presenter in (
        ("Entropy of learned phases", ("Pat Presenter", "pat@example.org")),
        ("Sparse Koopman operators", ("Dee Decliner", "dee@example.org")),
    ):
        abstract = make_abstract(
            submitter=submitter,
            category=category,
            title=title,
            authors=[
                author(*presenter, presenting=True),
                author("Mia Member", "mia@example.org", presenting=False),
            ],
        )
        abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=chair)
        talks.append(abstract)
    decisions_send(meeting=meeting, by=chair)
    return meeting, talks


def _link_to(address: str) -> str:
    mail = OutboundEmail.objects.get(template="meetings/speaker-confirmation", to=[address])
    url = next(word for word in mail.body_text.split() if "/confirm/" in word)
    return urlsplit(url).path


def test_presenter_confirms_by_link_and_the_chair_sees_it(page):
    meeting, (_confirmed, declined) = _world()
    page.goto(page.live_url + _link_to("pat@example.org"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirm your talk at APS March Meeting 2021"
    )
    expect(page.get_by_test_id("talk")).to_contain_text("Entropy of learned phases")
    assert_accessible(page)
    page.get_by_label("Yes, I will present").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("answer")).to_contain_text("Confirmed")
    assert_accessible(page)

    page.goto(page.live_url + _link_to("dee@example.org"))
    page.get_by_label("No, I cannot present").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("answer")).to_contain_text("Declined")

    page.goto(page.live_url + f"/meetings/{meeting.slug}/confirm/made-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page)

    login(page, "chair@example.org", PASSWORD)
    page.goto(page.live_url + f"/meetings/{meeting.slug}/committee/")
    page.get_by_role("link", name="Presenters").click()
    counts = page.get_by_test_id("answer-counts")
    expect(counts).to_contain_text("Confirmed: 1")
    expect(counts).to_contain_text("Declined: 1")
    rows = page.get_by_test_id("presenter-row")
    expect(rows.filter(has_text="Entropy of learned phases")).to_contain_text("Confirmed")
    assert_accessible(page)

    page.get_by_role("link", name="Remind those who have not answered…").click()
    expect(page.locator("main")).to_contain_text("there is no one to remind")
    assert_accessible(page)

    page.goto(page.live_url + f"/meetings/{meeting.slug}/committee/presenters/")
    page.get_by_role("link", name=f"Replace or withdraw {declined.reference}").click()
    assert_accessible(page)
    page.get_by_label("Ask another author to present").check()
    page.get_by_label("New presenter").select_option(label="Mia Member")
    page.get_by_role("button", name="Go ahead").click()
    expect(page.locator("main")).to_contain_text(
        f"Mia Member is asked to present {declined.reference}"
    )
    expect(page.get_by_test_id("answer-counts")).to_contain_text("Not answered: 1")
    expect(page.get_by_test_id("to-remind")).to_contain_text("1 speaker not reminded yet")
    # The reminder's preview shows Mia's mail with a dead sample link, never her own.
    page.get_by_role("link", name="Remind those who have not answered…").click()
    preview = page.get_by_test_id("mail-preview")
    expect(preview).to_contain_text("Reminder: please confirm your talk")
    expect(preview).to_contain_text("/confirm/sample-link-in-a-preview/")
    page.get_by_role("button", name="Send 1 reminder").click()
    expect(page.get_by_test_id("reminder-sent")).to_contain_text("1 speaker who has not answered")

    page.goto(page.live_url + f"/meetings/{meeting.slug}/committee/reminders/drafts/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remind authors")
    assert_accessible(page)
