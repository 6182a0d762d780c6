import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, field
from tests.factories.accounts import UserFactory


def test_repeated_wrong_passwords_lead_to_a_friendly_wait_page(page):
    UserFactory(email="ada@example.org")
    for _ in range(10):
        page.goto(page.live_url + "/accounts/login/")
        field(page, "Email").fill("ada@example.org")
        field(page, "Password").fill("not-the-password")
        page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please wait before trying again")
    expect(page.get_by_test_id("retry-at")).to_contain_text("in 15 minutes")
    assert_accessible(page)
    page.get_by_role("link", name="reset it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Password Reset", re.I))
