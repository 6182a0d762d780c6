"""Reviewer assignment in Chromium (issue 16, item 1): the chair names the reviewers
and runs the assignment; a reviewer works through their queue with "Save and next"
until it is done. Every page axe-clean."""

from playwright.sync_api import expect

from accounts.enums import Role
from meetings.models import Review, ReviewAssignment
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract


def test_reviewer_works_through_a_queue_with_save_and_next(page):
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    titles = ["Learned detector codecs", "Koopman operators from data"]
    abstracts = [
        make_abstract(
            submitter=UserFactory(email=f"author{n}@example.org"),
            category=focus,
            title=title,
            authors=[author(f"Author {n}", f"author{n}@example.org", affiliations=["Lab X"])],
        )
        for n, title in enumerate(titles, start=1)
    ]
    rita = UserFactory(
        email="rita@example.org",
        full_name="Rita Reviewer",
        affiliation="Reviewer Institute",
        roles=[Role.PROGRAM_COMMITTEE],
    )
    chair = UserFactory(
        email="chair@example.org",
        full_name="Chris Chair",
        affiliation="Chair Institute",
        roles=[Role.PROGRAM_COMMITTEE],
    )
    meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    meeting.save()

    # The chair names Rita as the category's one reviewer, one review per abstract.
    login(page, "chair@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/assignments/")
    assert_accessible(page)
    page.get_by_label("Reviews per abstract").fill("1")
    page.get_by_role("group", name="Reviewers of each category").get_by_label(
        "Rita Reviewer"
    ).check()
    page.get_by_role("button", name="Save reviewers").click()
    expect(page.locator(".messages")).to_contain_text("Reviewers saved")
    page.get_by_role("button", name="Assign reviewers").click()
    expect(page.locator(".messages")).to_contain_text("2 assignments added")
    assert_accessible(page)
    assert ReviewAssignment.objects.filter(reviewer=rita).count() == 2
    # The reassignment page and the reminder's preview: also axe-clean.
    page.get_by_role("link", name=f"Reassign {abstracts[0].reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reassign {abstracts[0].reference}")
    assert_accessible(page)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reminders/")
    expect(page.get_by_test_id("reminder-preview")).to_have_count(1)
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, "rita@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reviews/")
    queue = page.get_by_test_id("my-queue")
    expect(queue.get_by_test_id("queue-item")).to_have_count(2)
    assert_accessible(page)
    first, second = sorted(abstracts, key=lambda a: a.reference)
    queue.get_by_role("link", name=first.reference).click()
    page.get_by_label("4 — good").check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {second.reference}")
    assert_accessible(page)
    page.get_by_label("3 — fair").check()
    page.get_by_role("button", name="Save and next").click()
    expect(page.locator(".messages")).to_contain_text("Your queue is done")
    expect(page.get_by_test_id("my-queue")).to_contain_text("Nothing assigned to you")
    assert_accessible(page)
    assert sorted(Review.objects.values_list("abstract", "score")) == [
        (first.pk, 4),
        (second.pk, 3),
    ]
