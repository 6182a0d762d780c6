"""Survey invitations in Chromium (issue 18, item 3): a committee member invites a
segment, previews the mail and sends it; a day later reminds those who have not
submitted; and reads the response rate on the summary. axe-core on every page."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from accounts.enums import Role
from crrg.models import Invitation
from crrg.selectors.invitations import ALL_MEMBERS, Segment
from crrg.services import mailings as mailings_services
from gds_portal.models import OutboundEmail
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import QuestionnaireFactory, ResponseFactory


def test_a_committee_member_invites_previews_sends_reminds_and_sees_the_rate(page):
    UserFactory(email="eve@example.org", full_name="Eve Exec", roles=[Role.EXECUTIVE_COMMITTEE])
    for name in ("Ada Program", "Ben Program"):
        UserFactory(full_name=name, roles=[Role.PROGRAM_COMMITTEE])
    survey = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE
    )

    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/crrg/coordinators/questionnaires/barriers/")
    expect(page.get_by_test_id("response-rate")).to_contain_text("Nobody invited yet")
    page.get_by_role("link", name="Invite members and send reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations: Barriers survey")
    assert_accessible(page)

    page.get_by_label("Members of the Program committee").check()
    field(page, "Personal note (optional)").fill("Ten minutes, <b>promise</b>.")
    page.get_by_role("button", name="Preview the invitation").click()
    expect(page.get_by_test_id("preview-count")).to_contain_text("2 members will get")
    expect(page.get_by_test_id("preview-subject")).to_have_text("Invitation: Barriers survey")
    # Shown for a stand-in: the preview names no member (issue 18 probe).
    expect(page.get_by_test_id("preview-body")).to_contain_text("Dear (the member's name),")
    expect(page.get_by_test_id("preview-body")).to_contain_text("Ten minutes, <b>promise</b>.")
    assert OutboundEmail.objects.count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Send to 2 members").click()
    expect(page.get_by_text("2 personal mails on the way.")).to_be_visible()
    expect(page.get_by_test_id("invitation-stats")).to_contain_text("2 members invited")
    assert_accessible(page)
    assert [len(m.to) for m in OutboundEmail.objects.all()] == [1, 1]  # one each

    # A day later one has answered; the other is reminded.
    ResponseFactory(questionnaire=survey, user=Invitation.objects.first().user)
    Invitation.objects.update(last_mailed_at=survey.created_at - timedelta(days=2))
    page.reload()
    page.get_by_role("button", name="Remind those who have not submitted").click()
    expect(page.get_by_test_id("preview-count")).to_contain_text("1 member will get this mail")
    expect(page.get_by_test_id("preview-subject")).to_have_text("Reminder: Barriers survey")
    assert_accessible(page)
    page.get_by_role("button", name="Send to 1 member").click()
    expect(page.get_by_text("1 personal mail on the way.")).to_be_visible()
    expect(page.get_by_test_id("mailings")).to_contain_text("Reminder")
    assert OutboundEmail.objects.filter(template="crrg/survey-reminder").count() == 1

    page.get_by_role("link", name="Summary").click()
    expect(page.get_by_test_id("response-rate")).to_contain_text(
        "2 members invited; 1 of them submitted (50%)"
    )
    expect(page.locator("#chart-rate-invited-t")).to_have_count(1)
    assert_accessible(page)


def test_the_list_of_sends_fits_a_phone(browser, live_server):
    # The probe's note: one long unbroken word pushed the page sideways at 390px.
    eve = UserFactory(email="eve@example.org", roles=[Role.EXECUTIVE_COMMITTEE])
    survey = QuestionnaireFactory(slug="barriers", owner=Role.EXECUTIVE_COMMITTEE)
    mailings_services.survey_invite(
        questionnaire=survey,
        segment=Segment(ALL_MEMBERS, "All members with a verified address"),
        note="https://example.org/" + "a-very-long-unbroken-path" * 12,
        by=eve,
        token=uuid.uuid4(),
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.live_url = live_server.url
    login(page, eve.email, PASSWORD)
    page.goto(f"{page.live_url}/crrg/coordinators/questionnaires/barriers/invitations/")
    expect(page.get_by_test_id("mailings")).to_contain_text("a-very-long-unbroken-path")
    # clientWidth, not innerWidth: on a phone the browser widens innerWidth to the page.
    width = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    scroll, client = page.evaluate(width)
    assert scroll <= client == 390
    context.close()
