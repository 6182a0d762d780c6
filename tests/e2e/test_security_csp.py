"""The admin and the account pages work under the strict CSP, and violations are really caught."""

import re

from playwright.sync_api import expect

from community.models import Person
from tests.e2e.conftest import login, watch
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory


def admin_login(page, email: str) -> None:
    page.goto(f"{page.live_url}/admin/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Committee workspace")).to_be_visible()


def test_admin_changelist_change_form_and_save_under_csp(page):
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    person = PersonFactory(name="Lise Meitner", slug="lise-meitner")
    admin_login(page, "admin@example.org")
    page.get_by_role("link", name="People", exact=True).first.click()
    expect(page.get_by_role("link", name="Lise Meitner")).to_be_visible()
    page.get_by_role("link", name="Lise Meitner").click()
    page.locator("#id_affiliation").fill("Kaiser Wilhelm Institute")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    person.refresh_from_db()
    assert person.affiliation == "Kaiser Wilhelm Institute"
    # Pages with the most admin JavaScript: user change (filter_horizontal) and add.
    page.goto(f"{page.live_url}/admin/accounts/user/")
    page.get_by_role("link", name="admin@example.org").click()
    expect(page.locator("#id_groups_from")).to_be_visible()
    page.goto(f"{page.live_url}/admin/community/person/add/")
    page.locator("#id_name").fill("Emmy Noether")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Person.objects.filter(name="Emmy Noether").exists()
    assert page.problems == []


def test_account_pages_under_csp(page):
    UserFactory(email="ada@example.org")
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(page.live_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    login(page, "ada@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My GDS")
    for path in ["/accounts/email/", "/accounts/password/change/", "/my/profile/"]:
        page.goto(page.live_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Changing the email address leaves a pending address on the page: still no inline style.
    page.goto(page.live_url + "/accounts/email/")
    page.locator("input[name=email]").fill("ada.new@example.org")
    page.get_by_role("button", name=re.compile("Change Email", re.I)).click()
    expect(page.get_by_text("ada.new@example.org")).to_be_visible()
    assert page.problems == []


def test_violation_detection_is_real(browser, live_server):
    """A page with an inline script and an inline style must be reported twice over."""
    context = browser.new_context()
    problems = watch(context)
    page = context.new_page()
    html = (
        "<!DOCTYPE html><html><body><p style='color:red'>x</p>"
        "<script>alert('inline')</script><img src=x onerror=alert('handler')></body></html>"
    )
    page.route(
        f"{live_server.url}/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'none'; img-src 'self'"},
            body=html,
        ),
    )
    page.goto(f"{live_server.url}/csp-probe/")
    page.wait_for_function("document.readyState === 'complete'")
    context.close()
    violations = [p for p in problems if p.startswith("CSP violation")]
    assert any("script-src" in v for v in violations), problems
    assert any("style-src" in v for v in violations), problems
    assert not [p for p in problems if p.startswith("dialog")]
