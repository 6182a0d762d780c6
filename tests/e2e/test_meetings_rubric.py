"""A reviewer scores an abstract with the meeting's rubric and their confidence in
Chromium (issue 16, item 2); the page is axe-clean before and after, and other
reviewers' scores appear only once the reviewer's own review is saved."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from meetings.enums import ReviewConfidence
from meetings.models import Review, RubricCriterion
from meetings.services.reviews import review_save
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract

RUBRIC = [("Relevance to GDS", 3), ("Scientific quality", 2), ("Clarity", 1)]


def test_reviewer_scores_with_the_rubric_and_confidence(page):
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    criteria = [
        RubricCriterion.objects.create(
            meeting=meeting, name=name, weight=weight, position=i, description=f"About {name}."
        )
        for i, (name, weight) in enumerate(RUBRIC)
    ]
    abstract = make_abstract(
        submitter=UserFactory(email="author@example.org"), category=focus, title="Jet codecs"
    )
    quinn = UserFactory(email="quinn@example.org", roles=[Role.PROGRAM_COMMITTEE])
    review_save(
        abstract=abstract,
        by=quinn,
        criteria={c.pk: 2 for c in criteria},
        confidence=ReviewConfidence.LOW,
        comment="Quinn thinks it is thin.",
    )
    UserFactory(email="rita@example.org", full_name="Rita Reviewer", roles=[Role.PROGRAM_COMMITTEE])

    login(page, "rita@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reviews/")
    expect(page.get_by_test_id("review-row")).to_contain_text("after your review")
    assert_accessible(page)
    page.get_by_role("link", name="Jet codecs").click()
    expect(page.get_by_test_id("blind")).to_be_visible()
    expect(page.get_by_text("Quinn thinks it is thin.")).to_have_count(0)
    assert_accessible(page)
    for (name, _), score in zip(RUBRIC, ["5 — excellent", "4 — good", "2 — weak"], strict=True):
        group = page.get_by_role("group", name=re.compile(re.escape(name)))
        group.get_by_label(score).check()
    page.get_by_label("3 — high: my own field").check()
    field(page, "Comment").fill("Strong and relevant.")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".messages")).to_contain_text(f"review of {abstract.reference}")

    review = Review.objects.get(reviewer__email="rita@example.org")
    assert sorted(review.criterion_scores.values_list("score", flat=True)) == [2, 4, 5]
    assert (review.confidence, round(review.weighted_score, 4)) == (3, round(25 / 6, 4))
    # (3·25/6 + 1·2) / 4 = 3.625 → "3.62" or "3.63" by rounding; spread 2.0 to 4.2.
    expect(page.get_by_test_id("review-row")).to_contain_text("2.0 to 4.2")
    assert_accessible(page)
    page.get_by_role("link", name="Jet codecs").click()
    expect(page.get_by_text("Quinn thinks it is thin.")).to_be_visible()
    assert_accessible(page)
