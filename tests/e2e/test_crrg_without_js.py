"""The CRRG questionnaire without JavaScript, and leaving a group from a message's link."""

import re

from playwright.sync_api import expect

from crrg.models import Answer, InterestGroupMembership
from crrg.services import groups as groups_services
from tests.e2e.conftest import assert_accessible, field, login
from tests.e2e.crrg_data import conditional_questionnaire
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import (
    InterestGroupFactory,
)


def test_without_javascript_conditional_questions_show_with_a_note(browser, live_server):
    details = conditional_questionnaire()
    member = UserFactory(email="nojs@example.org")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.live_url = live_server.url
    login(page, member.email, PASSWORD)
    page.goto(live_server.url + "/crrg/join/")
    expect(field(page, "Describe your COVID work")).to_be_visible()
    expect(page.get_by_text("Answer this only if you chose “Yes”")).to_be_visible()
    # Answer "No" but type into the conditional question anyway: it is ignored.
    page.get_by_label("No", exact=True).check()
    field(page, "Describe your COVID work").fill("typed although it does not apply")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("my-answers")).to_contain_text("No")
    assert not Answer.objects.filter(question=details).exists()
    context.close()


def test_member_leaves_a_group_from_the_link_in_a_group_message(page):
    group = InterestGroupFactory(name="Imaging", slug="imaging")
    member = UserFactory(email="leaver@example.org")
    groups_services.interest_group_add(group=group, user=member)
    token = groups_services.leave_token(user=member, group=group)
    page.goto(f"{page.live_url}/crrg/leave-group/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leave Imaging?")
    assert_accessible(page)
    page.get_by_role("button", name="Leave Imaging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("You have left Imaging"))
    assert_accessible(page)
    assert InterestGroupMembership.objects.get(user=member).left_at is not None
