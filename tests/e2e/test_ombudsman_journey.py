"""A visitor raises an anonymous concern, the ombudsman answers, the visitor reads it."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.ombudsman import appoint

CONCERN = "A senior member keeps interrupting students during the webinar Q&A."
REPLY = "Thank you for writing. I will speak with the webinar hosts without naming you."


def test_visitor_files_anonymously_and_reads_the_ombudsmans_reply(page, browser):
    holder = UserFactory(email="ombuds@example.org", full_name="Olga Ombudsman")
    appoint(holder)

    # The diversity statement leads to the ombudsman.
    page.goto(page.live_url + "/about/diversity/")
    assert_accessible(page)
    page.get_by_role("link", name="Raise a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a concern with the ombudsman")
    assert_accessible(page)
    code = page.get_by_test_id("case-code").inner_text()
    passphrase = page.get_by_test_id("passphrase").inner_text()
    field(page, "Your concern").fill(CONCERN)
    page.get_by_role("button", name="Send to the ombudsman").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your concern has reached the ombudsman"
    )
    expect(page.get_by_test_id("case-code")).to_have_text(code)
    expect(page.get_by_test_id("passphrase")).to_have_text(passphrase)
    assert_accessible(page)

    # The ombudsman, in a browser of their own, reads and answers.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    office = context.new_page()
    office.live_url = page.live_url
    login(office, holder.email, PASSWORD)
    office.goto(page.live_url + "/ombudsman/cases/")
    assert_accessible(office)
    office.get_by_role("link", name=code).click()
    expect(office.get_by_text(CONCERN)).to_be_visible()
    assert_accessible(office)
    field(office, "Reply to the reporter").fill(REPLY)
    office.get_by_role("button", name="Send the reply").click()
    expect(office.get_by_test_id("reply")).to_contain_text(REPLY)
    context.close()

    # Back as the visitor: a wrong passphrase shows nothing, the right one the reply.
    page.goto(page.live_url + "/ombudsman/case/")
    assert_accessible(page)
    field(page, "Case code").fill(code)
    field(page, "Passphrase").fill("not-the-passphrase")
    page.get_by_role("button", name="Show my case").click()
    expect(page.get_by_text("No case matches this case code and passphrase.")).to_be_visible()
    expect(page.get_by_text(REPLY)).to_have_count(0)
    field(page, "Case code").fill(code.lower())
    field(page, "Passphrase").fill(passphrase)
    page.get_by_role("button", name="Show my case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(f"Case {code}"))
    expect(page.get_by_test_id("reply")).to_contain_text(REPLY)
    assert_accessible(page)


def test_a_visitor_files_from_an_address_link_and_no_referer_carries_it(page):
    """Second probe, 3: the mailed link's token is encrypted, and no request the concern
    page makes (its CSS and scripts, the form's POST) carries the link in a Referer."""
    from gds_portal.models import OutboundEmail
    from ombudsman.models import Concern

    appoint(UserFactory(email="ombuds@example.org", full_name="Olga Ombudsman"))
    page.goto(page.live_url + "/ombudsman/concern/address/")
    field(page, "Your email address").fill("visitor@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("visitor@example.org").first).to_be_visible()
    body = OutboundEmail.objects.filter(domain="ombudsman").latest("id").body_text
    path = re.search(r"(/ombudsman/concern/\?address=\S+)", body)[1]
    assert "visitor" not in path
    referers: list[str] = []
    page.on("request", lambda request: referers.append(request.headers.get("referer", "")))
    page.goto(page.live_url + path)
    expect(page.get_by_text("visitor@example.org").first).to_be_visible()
    field(page, "Your concern").fill(CONCERN)
    page.get_by_role("button", name="Send to the ombudsman").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your concern has reached the ombudsman"
    )
    assert referers and not [r for r in referers if "address=" in r or "/ombudsman/" in r]
    assert Concern.objects.get().reporter_kind == "address"
