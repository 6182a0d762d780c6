"""An anonymous survey in Chromium (issue 18, items 2 and 4): a member reads what is and
isn't linked to them, starts, saves, leaves, resumes and submits; the executive
committee reads results with small counts hidden, cross-tabulates two questions and
releases a summary, which the member then reads. axe-core on every page."""

from playwright.sync_api import expect

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import Participation, Response
from crrg.services import answering as answering_services
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory


def _survey():
    survey = QuestionnaireFactory(
        title="Barriers survey",
        slug="barriers",
        owner=Role.EXECUTIVE_COMMITTEE,
        anonymous=True,
    )
    stage = QuestionFactory(
        questionnaire=survey,
        order=1,
        text="Where are you in your career?",
        kind=QuestionKind.SINGLE_CHOICE,
        required=True,
    )
    choices = {
        label: ChoiceFactory(question=stage, order=i, label=label)
        for i, label in enumerate(["Student", "Faculty", "Postdoc"])
    }
    barrier = QuestionFactory(
        questionnaire=survey, order=2, text="Have you met barriers?", kind=QuestionKind.YES_NO
    )
    mentor = QuestionFactory(
        questionnaire=survey, order=3, text="Do you have a mentor?", kind=QuestionKind.YES_NO
    )
    story = QuestionFactory(
        questionnaire=survey, order=4, text="What would help?", kind=QuestionKind.LONG_TEXT
    )
    # Twenty-two members answered before: twenty count in the results (four groups of
    # five), two wait. Two postdocs only: too few to cross their career with anything.
    # (career, met barriers, has a mentor, how many)
    groups = [
        ("Postdoc", True, False, 2),
        ("Student", True, True, 3),
        ("Student", False, True, 7),
        ("Faculty", True, False, 7),
        ("Faculty", False, False, 3),  # the last two of these wait for a group
    ]
    n = 0
    for label, met, has_mentor, count in groups:
        for _ in range(count):
            answering_services.response_submit(
                questionnaire=survey,
                user=UserFactory(),
                answers={
                    stage: [choices[label]],
                    barrier: met,
                    mentor: has_mentor,
                    story: f"Idea number {n}",
                },
                consent_contact=False,
                consent_listed=False,
            )
            n += 1
    return survey


def test_a_member_answers_anonymously_and_the_committee_reads_grouped_results(page):
    member = UserFactory(email="mia@example.org", full_name="Mia Member")
    UserFactory(email="eve@example.org", full_name="Eve Exec", roles=[Role.EXECUTIVE_COMMITTEE])
    survey = _survey()

    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/surveys/barriers/")
    box = page.get_by_test_id("who-reads")
    expect(box.get_by_role("heading")).to_have_text(
        "This survey is anonymous: what is linked to you, and what is not"
    )
    expect(box).to_contain_text("that you answered, and on which day")
    assert_accessible(page)
    page.get_by_label("Faculty").check()
    field(page, "What would help?").fill("Mentoring across labs.")
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_test_id("draft-notice")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/my/")
    page.get_by_test_id("my-surveys").get_by_role("link", name="Barriers survey").click()
    expect(page.get_by_label("Faculty")).to_be_checked()
    expect(field(page, "What would help?")).to_have_value("Mentoring across labs.")
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_text("your answers have been submitted, kept without your name")
    ).to_be_visible()
    expect(page.get_by_test_id("took-part")).to_contain_text("You answered this survey on")
    expect(page.get_by_role("button", name="Submit")).to_have_count(0)
    expect(page.get_by_text("Mentoring across labs.")).to_have_count(0)
    assert_accessible(page)
    assert Participation.objects.filter(user=member).exists()
    assert not Response.with_drafts.filter(user=member).exists()
    page.get_by_role("button", name="Log out").click()

    # The committee: five counted, Mia's waiting for four more; small counts hidden.
    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/crrg/coordinators/questionnaires/{survey.slug}/")
    expect(page.get_by_test_id("response-count")).to_contain_text("20 responses counted")
    expect(page.get_by_test_id("response-count")).to_contain_text("3 more are waiting")
    expect(page.get_by_test_id("suppression-note")).to_be_visible()
    stage_table = page.get_by_role("table", name="Answers to “Where are you in your career?”")
    expect(stage_table.get_by_role("row", name="Postdoc")).to_contain_text("<5")
    expect(page.get_by_text("Idea number 3", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Cross-tabulate").click()
    page.get_by_label("Rows: answers to").select_option(label="Where are you in your career?")
    page.get_by_label("Columns: answers to").select_option(label="Have you met barriers?")
    page.get_by_role("button", name="Count").click()
    # Two postdocs: crossing careers would tell on them, so the table is withheld.
    expect(page.get_by_test_id("crosstab-withheld")).to_be_visible()
    expect(page.get_by_test_id("crosstab")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Rows: answers to").select_option(label="Have you met barriers?")
    page.get_by_label("Columns: answers to").select_option(label="Do you have a mentor?")
    page.get_by_role("button", name="Count").click()
    table = page.get_by_test_id("crosstab")
    expect(table.locator("tbody tr").first).to_contain_text("<5")
    expect(table).not_to_contain_text("Idea number")
    assert_accessible(page)

    page.get_by_role("link", name="Summary").click()
    field(page, "Note from the committee").fill("First results, with thanks.")
    page.get_by_role("button", name="Release to members").click()
    expect(page.get_by_text("The summary is released")).to_be_visible()
    expect(page.get_by_test_id("published-state")).to_contain_text("with 20 responses")
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()

    # The member reads the released summary: counts only, no written answer.
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/surveys/barriers/")
    page.get_by_role("link", name="Results released by the Executive committee").click()
    expect(page.get_by_test_id("published-note")).to_have_text("First results, with thanks.")
    expect(page.get_by_text("Idea number")).to_have_count(0)
    expect(page.get_by_role("table").first).to_contain_text("<5")
    assert_accessible(page)
