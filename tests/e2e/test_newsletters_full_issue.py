"""A reader chooses the whole issue by email, confirms, and receives it (issue 19, item 5)."""

import re

from playwright.sync_api import expect

from gds_portal.models import OutboundEmail
from newsletters.enums import IssueStatus, SubscriptionKind, SubscriptionStatus
from newsletters.models import Subscriber
from newsletters.services import issue_publish, manage_url
from tests.e2e.conftest import assert_accessible, field
from tests.factories.community import PersonFactory
from tests.factories.newsletters import ArticleFactory, AuthorshipFactory, IssueFactory

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/newsletters/subscribe/confirm/[^\s]+)")


def _summer_2020():
    issue = IssueFactory(
        title="Summer 2020", season="summer", year=2020, status=IssueStatus.DRAFT, published_at=None
    )
    article = ArticleFactory(
        issue=issue,
        title="Bayesian Inference: The Bridge from Physics to Machine Learning",
        body="Bayes' formula: $$p(\\theta_i \\mid D) = \\frac{p(D \\mid \\theta_i)\\, "
        "p(\\theta_i)}{p(D)}$$",
    )
    AuthorshipFactory(
        article=article,
        person=PersonFactory(name="Sergei V. Kalinin"),
        role="Corporate Fellow, CNMS ORNL",
    )
    return issue


def test_reader_chooses_the_whole_issue_and_receives_it(page, settings):
    page.goto(page.live_url + "/newsletters/subscribe/")
    assert_accessible(page)
    field(page, "Email address").fill("reader@example.org")
    page.get_by_role("radio", name="The whole issue in the email").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("we have sent it a confirmation link")).to_be_visible()

    mail = OutboundEmail.objects.get(to=["reader@example.org"])
    page.goto(page.live_url + CONFIRM_LINK.search(mail.body_text).group(1))
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_text("reader@example.org is subscribed: The whole issue")).to_be_visible()
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert (subscriber.status, subscriber.kind) == (SubscriptionStatus.ACTIVE, "full-issue")

    issue_publish(issue=_summer_2020(), by=None)
    full = OutboundEmail.objects.get(template="newsletters/full-issue")
    assert full.to == ["reader@example.org"]
    assert "Bayesian Inference: The Bridge from Physics to Machine Learning" in full.body_html
    assert "Sergei V. Kalinin (Corporate Fellow, CNMS ORNL)" in full.body_html
    assert "\\frac{p(D \\mid \\theta_i)\\, p(\\theta_i)}{p(D)}" in full.body_text

    # The mail's link to the subscription's own page: back to the short announcement.
    page.goto(page.live_url + manage_url(subscriber).removeprefix(settings.SITE_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your newsletter subscription")
    expect(page.get_by_role("radio", name="The whole issue in the email")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("^A short announcement")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: A short announcement")).to_be_visible()
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.kind == SubscriptionKind.ANNOUNCEMENT
