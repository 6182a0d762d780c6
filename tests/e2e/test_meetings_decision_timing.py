"""An author follows their abstract while the committee decides, in Chromium: until the
program chair sends the decisions every page says "Submitted — under review" in the
category the author chose; after the mail, the decision and the move show, and no page
names the committee member who decided (issue 15, break 7)."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from meetings.enums import Decision
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract

DECIDER = "Demo Program Committee"


def _world():
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    chosen = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    moved_to = SortingCategoryFactory(
        meeting=meeting, code="23.03.00", title="Data Science in Physics"
    )
    author = UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    decider = UserFactory(email="pc@example.org", full_name=DECIDER, roles=[Role.PROGRAM_COMMITTEE])
    abstract = make_abstract(submitter=author, category=chosen, title="Entropy of learned phases")
    abstracts_decide(abstracts=[abstract], decision=Decision.MOVE, by=decider, category=moved_to)
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_POSTER, by=decider)
    return meeting, abstract, decider


def _no_decision_shown(page):
    body = page.locator("main")
    for leak in ("Accepted", "Decision:", DECIDER, "Moved to", "Data Science in Physics"):
        expect(body).not_to_contain_text(leak)


def test_author_sees_the_decision_only_once_it_is_sent(page):
    meeting, _, decider = _world()
    login(page, "ada@example.org", PASSWORD)

    page.goto(page.live_url + "/my/")
    expect(page.get_by_test_id("abstract-state").first).to_have_text("Submitted — under review")
    _no_decision_shown(page)
    assert_accessible(page)

    page.get_by_role("link", name="All my abstracts").click()
    expect(page.get_by_test_id("abstract-state").first).to_have_text("Submitted — under review")
    expect(page.locator("main")).to_contain_text("23.01.01 Big Data in Physics")
    _no_decision_shown(page)
    assert_accessible(page)

    page.get_by_role("link", name="Entropy of learned phases").click()
    expect(page.get_by_test_id("state")).to_have_text("Submitted — under review")
    expect(page.get_by_test_id("timeline")).to_contain_text("Submitted by Ada Lovelace")
    _no_decision_shown(page)
    # Under review in every respect: it can still be withdrawn.
    expect(page.get_by_role("link", name="Withdraw…")).to_be_visible()
    assert_accessible(page)

    decisions_send(meeting=meeting, by=decider)
    page.reload()
    expect(page.get_by_test_id("state")).to_have_text("Accepted (poster)")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Decision: Accepted (poster)")
    expect(timeline).to_contain_text("Moved to 23.03.00")
    expect(page.locator("main")).to_contain_text("23.03.00 Data Science in Physics")
    expect(page.locator("main")).not_to_contain_text(DECIDER)
    expect(page.get_by_role("link", name="Withdraw…")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="My abstracts").first.click()
    expect(page.get_by_test_id("abstract-state").first).to_have_text(re.compile("Accepted"))
    expect(page.locator("main")).not_to_contain_text(DECIDER)
