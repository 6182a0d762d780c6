"""A committee's survey in Chromium (issue 18, item 1): a member starts the executive
committee's survey, saves it to finish later, leaves, comes back, resumes and submits;
the committee then reads the one submitted response. axe-core on every page."""

from playwright.sync_api import expect

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import Response
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import QuestionFactory, QuestionnaireFactory


def test_a_member_starts_leaves_resumes_and_submits_a_committee_survey(page):
    member = UserFactory(email="mia@example.org", full_name="Mia Member")
    UserFactory(email="eve@example.org", full_name="Eve Exec", roles=[Role.EXECUTIVE_COMMITTEE])
    survey = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE
    )
    QuestionFactory(
        questionnaire=survey,
        order=1,
        text="Your field of work",
        kind=QuestionKind.SHORT_TEXT,
        required=True,
    )
    QuestionFactory(
        questionnaire=survey,
        order=2,
        text="What stands in your way?",
        kind=QuestionKind.LONG_TEXT,
    )

    login(page, "mia@example.org", PASSWORD)
    # Found from the diversity statement, whose first action the survey is.
    page.goto(f"{page.live_url}/about/diversity/")
    page.get_by_role("link", name="Barriers survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Barriers survey")
    assert_accessible(page)
    field(page, "What stands in your way?").fill("Conference travel costs.")
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your answers so far are saved, not submitted.")).to_be_visible()
    expect(page.get_by_test_id("draft-notice")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()

    # Back another day: My GDS says a draft waits, and it is where they left it.
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/my/")
    expect(page.get_by_test_id("my-surveys")).to_contain_text("Draft saved, not submitted")
    assert_accessible(page)
    page.get_by_test_id("my-surveys").get_by_role("link", name="Barriers survey").click()
    expect(page.get_by_test_id("draft-notice")).to_contain_text("not yet submitted")
    expect(field(page, "What stands in your way?")).to_have_value("Conference travel costs.")
    # Submitting needs the required answer; nothing typed is lost on the way.
    page.get_by_role("button", name="Submit").click()
    expect(
        page.locator(".invalid-feedback").get_by_text("Please answer this question.")
    ).to_be_visible()
    expect(field(page, "What stands in your way?")).to_have_value("Conference travel costs.")
    assert_accessible(page)
    field(page, "Your field of work").fill("Condensed matter")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("your answers have been submitted")).to_be_visible()
    expect(page.get_by_test_id("my-answers")).to_contain_text("Condensed matter")
    expect(page.get_by_role("button", name="Save and finish later")).to_have_count(0)
    assert_accessible(page)
    assert Response.objects.get(user=member).submitted_at is not None
    page.get_by_role("button", name="Log out").click()

    # The executive committee reads it among the surveys it coordinates.
    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/crrg/coordinators/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys you coordinate")
    assert_accessible(page)
    page.get_by_role("link", name="Barriers survey").click()
    expect(page.get_by_test_id("response-count")).to_contain_text("1 response")
    assert_accessible(page)
