import re

from playwright.sync_api import expect

from accounts.models import User
from gds_portal.models import OutboundEmail
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory

LINK = re.compile(r"https?://[^/\s]+(/accounts/[^\s]+)")


def _link_in_latest_mail(to: str) -> str:
    message = OutboundEmail.objects.filter(to__contains=[to]).latest("created_at")
    return LINK.search(message.body_text).group(1)


def test_signup_verify_login_edit_profile_logout(page):
    page.goto(page.live_url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Join").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sign Up", re.I))
    assert_accessible(page)
    field(page, "Full name").fill("Ada Lovelace")
    field(page, "Email").fill("ada@example.org")
    field(page, "Affiliation").fill("Analytical Engines Lab")
    field(page, "Password").fill("Bernoulli-numbers-1843")
    field(page, "Password (again)").fill("Bernoulli-numbers-1843")
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify", re.I))
    assert_accessible(page)

    # The verification mail sits in the outbox, whatever the mail server is doing.
    page.goto(page.live_url + _link_in_latest_mail("ada@example.org"))
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My GDS")
    assert_accessible(page)

    page.get_by_role("link", name="Edit profile").click()
    assert_accessible(page)
    field(page, "Affiliation").fill("University of London")
    field(page, "ORCID iD").fill("0000-0002-1825-0097")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_test_id("profile-affiliation")).to_have_text("University of London")
    user = User.objects.get(email="ada@example.org")
    assert (user.full_name, user.affiliation, user.orcid) == (
        "Ada Lovelace",
        "University of London",
        "0000-0002-1825-0097",
    )

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto(page.live_url + "/my/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_password_reset(page):
    UserFactory(email="grace@example.org", full_name="Grace Hopper")
    page.goto(page.live_url + "/accounts/login/")
    page.get_by_role("link", name=re.compile("Forgot", re.I)).click()
    assert_accessible(page)
    field(page, "Email").fill("grace@example.org")
    page.get_by_role("button", name=re.compile("Reset", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Password Reset", re.I))

    page.goto(page.live_url + _link_in_latest_mail("grace@example.org"))
    field(page, "New Password").fill("Cobol-compilers-1959")
    field(page, "New Password (again)").fill("Cobol-compilers-1959")
    page.get_by_role("button", name=re.compile("Change Password", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Password", re.I))

    login(page, "grace@example.org", "Cobol-compilers-1959")
    expect(page.get_by_role("heading", level=1)).to_have_text("My GDS")
    assert PASSWORD != "Cobol-compilers-1959"


def test_signup_with_a_lookalike_of_a_members_address_is_refused_keeping_what_was_typed(page):
    # Issue 15, break 3: a second account under a spelling that reads as a member's address
    # once locked the member out. (Chromium itself refuses a dotless i before the @; a
    # digit one for an l gets through the browser, so the portal must say no.) The
    # newcomer is told at the field and keeps everything else they typed.
    UserFactory(email="alice@example.org", full_name="Alice Member")
    page.goto(page.live_url + "/accounts/signup/")
    field(page, "Full name").fill("Not Alice")
    field(page, "Email").fill("a1ice@example.org")
    field(page, "Affiliation").fill("Look-alike Lab")
    field(page, "Password").fill("Bernoulli-numbers-1843")
    field(page, "Password (again)").fill("Bernoulli-numbers-1843")
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()

    expect(
        page.locator(".invalid-feedback").get_by_text(
            re.compile("looks the same as the address of an existing")
        )
    ).to_be_visible()
    expect(field(page, "Full name")).to_have_value("Not Alice")
    expect(field(page, "Affiliation")).to_have_value("Look-alike Lab")
    assert_accessible(page)
    assert list(User.objects.values_list("email", flat=True)) == ["alice@example.org"]

    # The real member still signs in.
    login(page, "alice@example.org", PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
