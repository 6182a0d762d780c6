"""The PDF book of abstracts in Chromium (issue 16, item 6): a Program-committee member
downloads it from the committee's book page before publishing; once published, a
reader downloads it from the meeting page. Both pages axe-clean."""

from accounts.enums import Role
from meetings.enums import Decision
from meetings.models import DecisionNotification, Meeting
from meetings.services.decisions import abstracts_decide
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.downloads import downloaded_pdf_text
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract

TITLE = "Learned detector codecs at 13 TeV"
BODY = r"We compress collision data at $\sqrt{s} = 13$ TeV with learned codecs."


def _accepted_abstract():
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    abstract = make_abstract(
        submitter=UserFactory(email="author@example.org"),
        category=focus,
        title=TITLE,
        body=BODY,
    )
    decider = UserFactory(email="pc@example.org", roles=[Role.PROGRAM_COMMITTEE])
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    return meeting, abstract


def test_committee_downloads_the_book_then_everyone_after_publishing(page):
    meeting, abstract = _accepted_abstract()
    login(page, "pc@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/book/")
    assert_accessible(page)
    text = downloaded_pdf_text(page, "Download PDF")
    assert "Learned detector codecs at" in text and "\u221a" in text  # the body's root, typeset
    assert "Program committee draft" in text

    page.context.clear_cookies()
    page.goto(f"{page.live_url}/meetings/march-2021/")
    assert page.get_by_role("link", name="Book of abstracts (PDF)").count() == 0
    abstract.refresh_from_db()
    DecisionNotification.objects.create(abstract=abstract, state=abstract.state)
    Meeting.objects.filter(pk=meeting.pk).update(contributed_published=True)
    page.goto(f"{page.live_url}/meetings/march-2021/")
    assert_accessible(page)
    text = downloaded_pdf_text(page, "Book of abstracts (PDF)")
    assert abstract.reference in text and "Program committee" not in text
