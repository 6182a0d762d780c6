import re

from playwright.sync_api import expect

from gds_portal.models import OutboundEmail
from newsletters.demo import DEMO_FOLDER
from newsletters.enums import SubscriptionStatus
from newsletters.importer import import_issue
from newsletters.models import Subscriber
from newsletters.services import unsubscribe_url
from tests.e2e.conftest import assert_accessible, field

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/newsletters/subscribe/confirm/[^\s]+)")


def test_reader_browses_reads_searches_and_subscribes(page, settings):
    import_issue(folder=DEMO_FOLDER)

    page.goto(page.live_url + "/")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Newsletters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GDS Newsletter")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Summer 2020")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summer 2020")
    expect(page.get_by_role("heading", name="Research highlights")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Bayesian Inference")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bayesian Inference: The Bridge from Physics to Machine Learning"
    )
    # Bayes' formula is rendered as MathML on the server: a display equation with a fraction.
    expect(page.locator('math[display="block"] mfrac')).to_be_visible()
    expect(page.locator("#ref-1")).to_contain_text("Kruschke")
    assert_accessible(page)

    page.locator(".byline").get_by_role("link", name="Sergei V. Kalinin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sergei V. Kalinin")
    expect(page.get_by_role("link", name=re.compile("^Bayesian Inference"))).to_be_visible()
    assert_accessible(page)

    # "Kelvin" appears only in the body of the Bayesian article, not in any title.
    search = page.get_by_role("searchbox", name="Search the site")
    search.fill("Kelvin")
    search.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile("1 result for"))
    expect(page.locator(".search-results mark").first).to_have_text("Kelvin")
    assert_accessible(page)
    page.locator(".search-results").get_by_role("link", name=re.compile("^Bayesian")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bayesian Inference")

    page.goto(page.live_url + "/newsletters/")
    page.get_by_role("link", name="Subscribe by email").click()
    assert_accessible(page)
    field(page, "Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(
        page.locator(".invalid-feedback").get_by_text("Enter a complete email address")
    ).to_be_visible()
    expect(field(page, "Email address")).to_have_value("not an address")
    assert_accessible(page)
    field(page, "Email address").fill("reader@example.org")
    page.get_by_role("button", name="Subscribe").click()
    # The same words for every address (issue 15): no hint whether it was subscribed.
    expect(
        page.get_by_text("unless reader@example.org already receives the announcements")
    ).to_be_visible()

    mail = OutboundEmail.objects.get(to=["reader@example.org"])
    page.goto(page.live_url + CONFIRM_LINK.search(mail.body_text).group(1))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_text("reader@example.org is subscribed")).to_be_visible()
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.status == SubscriptionStatus.ACTIVE

    page.goto(page.live_url + unsubscribe_url(subscriber).removeprefix(settings.SITE_URL))
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.UNSUBSCRIBED
