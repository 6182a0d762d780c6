"""The whole issue by email (issue 19, item 5): choosing it, sending it, leaving it."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gds_portal.markdown import mail_text, render_markdown_for_mail
from gds_portal.models import OutboundEmail
from newsletters.enums import IssueStatus, SubscriptionKind, SubscriptionStatus
from newsletters.models import Subscriber
from newsletters.services import (
    issue_announce,
    issue_publish,
    manage_url,
    subscriber_subscribe,
    unsubscribe_url,
)
from tests.factories.community import PersonFactory
from tests.factories.newsletters import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://gds.example.org"
PAYLOAD = '<script>alert("x")</script><style>body{display:none}</style>'


def draft_issue(**kwargs):
    return IssueFactory(status=IssueStatus.DRAFT, published_at=None, **kwargs)


def article(issue, *, author="Sergei V. Kalinin", role="Corporate Fellow", **kwargs):
    made = ArticleFactory(issue=issue, **kwargs)
    AuthorshipFactory(article=made, person=PersonFactory(name=author), role=role)
    return made


def whole_issue_reader(email="whole@example.org"):
    return SubscriberFactory(email=email, kind=SubscriptionKind.FULL_ISSUE)


def mail_to(email) -> OutboundEmail:
    return OutboundEmail.objects.get(to=[email])


def test_each_subscriber_gets_what_they_chose_once(django_capture_on_commit_callbacks):
    whole = whole_issue_reader()
    short = SubscriberFactory(email="short@example.org")
    issue = draft_issue(title="Summer 2020")
    article(
        issue,
        title="Bayesian Inference: The Bridge from Physics to Machine Learning",
        body="Bayes' formula: $$p(\\theta \\mid D) = \\frac{p(D \\mid \\theta)}{p(D)}$$",
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
        issue_publish(issue=issue, by=None)
    assert sorted(OutboundEmail.objects.values_list("template", flat=True)) == [
        "newsletters/full-issue",
        "newsletters/issue-announcement",
    ]
    full = mail_to(whole.email)
    assert full.subject == "GDS Newsletter: Summer 2020"
    for body in (full.body_html, full.body_text):
        assert "Bayesian Inference: The Bridge from Physics to Machine Learning" in body
        assert "Sergei V. Kalinin (Corporate Fellow)" in body
        assert "\\frac{p(D \\mid \\theta)}{p(D)}" in body  # maths as its TeX source
        assert unsubscribe_url(whole) in body
        assert manage_url(whole) in body
    assert "<math" not in full.body_html
    assert full.headers == {
        "List-Unsubscribe": f"<{unsubscribe_url(whole)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    announcement = mail_to(short.email)
    assert "Bayes' formula" not in announcement.body_text
    assert manage_url(short) in announcement.body_text


def test_full_issue_mail_links_are_absolute_and_content_cannot_inject_markup(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    whole = whole_issue_reader()
    issue = draft_issue()
    article(
        issue,
        title=f"Title {PAYLOAD}",
        standfirst=f"Standfirst {PAYLOAD}",
        body=f"Body {PAYLOAD} [a page](/people/x/) ![a figure](/media/fig.png) "
        '<img src=x onerror="alert(1)"> [bad](javascript:alert(1))',
        author=f"Name {PAYLOAD}",
        role=f"Role {PAYLOAD}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
    html = mail_to(whole.email).body_html
    assert re.findall(r"<(script|style)\b", html, re.IGNORECASE) == []
    assert re.findall(r"<[^>]*\son\w+=", html) == []  # no event handler in any tag
    assert re.findall(r"<a[^>]*javascript:", html) == []
    assert html.count("&lt;script&gt;") == 5  # title, standfirst, body, name and role
    assert f'href="{SITE}/people/x/"' in html
    assert f'src="{SITE}/media/fig.png"' in html
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert [h for h in hrefs if not h.startswith(("https://", "mailto:"))] == []
    # The plain-text alternative is text: the payload as typed, no entity.
    assert f"Title {PAYLOAD}" in mail_to(whole.email).body_text


def test_an_issue_too_big_for_mail_is_announced_instead(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_FULL_ISSUE_MAX_BYTES = 2_000
    whole = whole_issue_reader()
    issue = draft_issue(title="Fall 2030")
    article(issue, title="A long read", body="Many words. " * 400)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
    mail = mail_to(whole.email)
    assert mail.template == "newsletters/issue-announcement"
    assert "A long read" in mail.body_text
    assert unsubscribe_url(whole) in mail.body_text


def test_one_click_unsubscribe_works_from_the_full_issue_mail(
    client, django_capture_on_commit_callbacks
):
    whole = whole_issue_reader()
    issue = draft_issue()
    article(issue)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
    header = mail_to(whole.email).headers["List-Unsubscribe"]
    # A mail client's one-click POST (RFC 8058) carries no CSRF token.
    client.post(
        urlsplit(header.strip("<>")).path,
        {"List-Unsubscribe": "One-Click"},
        enforce_csrf_checks=True,
    )
    whole.refresh_from_db()
    assert whole.status == SubscriptionStatus.UNSUBSCRIBED


def _announce_queries(n_articles: int) -> int:
    issue = IssueFactory()
    for _ in range(n_articles):
        article(issue)
    with CaptureQueriesContext(connection) as queries:
        issue_announce(issue=issue)
    assert OutboundEmail.objects.filter(template="newsletters/full-issue").count() == 2
    OutboundEmail.objects.all().delete()
    return len(queries)


def test_sending_renders_once_per_issue_with_a_fixed_number_of_queries():
    whole_issue_reader("one@example.org")
    whole_issue_reader("two@example.org")
    SubscriberFactory(email="short@example.org")
    # Lock, subscribers, announcement rows, articles, their authors and people, then
    # one insert per message: the same for one article as for three.
    assert _announce_queries(1) == _announce_queries(3)


def test_subscribing_chooses_the_kind_and_a_stranger_cannot_change_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = subscriber_subscribe(email="new@example.org", kind=SubscriptionKind.FULL_ISSUE)
    assert (pending.status, pending.kind) == (SubscriptionStatus.PENDING, "full-issue")
    active = SubscriberFactory(email="active@example.org")
    subscriber_subscribe(email="active@example.org", kind=SubscriptionKind.FULL_ISSUE)
    active.refresh_from_db()
    assert active.kind == SubscriptionKind.ANNOUNCEMENT


def test_subscribe_page_offers_both_kinds_and_confirming_keeps_the_choice(
    client, django_capture_on_commit_callbacks
):
    page = client.get(reverse("newsletters:subscribe")).content.decode()
    assert 'value="full-issue"' in page
    assert 'value="announcement"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("newsletters:subscribe"), {"email": "ada@example.org", "kind": "full-issue"}
        )
    link = re.search(r"https?://\S+/confirm/\S+/", OutboundEmail.objects.get().body_text)[0]
    client.post(urlsplit(link).path)
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.kind) == (SubscriptionStatus.ACTIVE, "full-issue")


def test_manage_page_changes_the_kind_by_the_signed_link(client):
    subscriber = SubscriberFactory(email="ada@example.org")
    path = urlsplit(manage_url(subscriber)).path
    page = client.get(path).content.decode()
    assert "ada@example.org" in page
    assert unsubscribe_url(subscriber) in page
    response = client.post(path, {"kind": "full-issue"})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.kind == SubscriptionKind.FULL_ISSUE
    client.post(path, {"kind": "everything"})
    subscriber.refresh_from_db()
    assert subscriber.kind == SubscriptionKind.FULL_ISSUE


def test_unsubscribe_page_offers_the_choice_instead(client):
    subscriber = SubscriberFactory(email="ada@example.org")
    page = client.get(urlsplit(unsubscribe_url(subscriber)).path).content.decode()
    assert manage_url(subscriber) in page
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.ACTIVE  # a GET changes nothing


def test_manage_page_refuses_a_forged_token_and_a_pending_subscription(client):
    subscriber = SubscriberFactory(email="ada@example.org", status=SubscriptionStatus.PENDING)
    path = urlsplit(manage_url(subscriber)).path
    assert client.post(path, {"kind": "full-issue"}).status_code == 400
    assert client.get(path[:-3] + "xx/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.kind == SubscriptionKind.ANNOUNCEMENT


def test_mail_rendering_shows_maths_as_tex_and_keeps_lines():
    html = render_markdown_for_mail(
        "Energy $E = mc^2$ and\n\n- one\n- two\n\n$$a<b$$", site_url=SITE
    )
    assert '<code class="math-tex">$E = mc^2$</code>' in html
    assert "$$a&lt;b$$" in html
    assert mail_text(html) == "Energy $E = mc^2$ and\n\n- one\n- two\n\n$$a<b$$"


def test_editors_see_the_kind_but_cannot_change_it(personas, client_for):
    subscriber = SubscriberFactory(email="ada@example.org")
    editor = client_for(personas.newsletter_editor)
    url = f"/admin/newsletters/subscriber/{subscriber.pk}/change/"
    assert "A short announcement" in editor.get(url).content.decode()
    editor.post(url, {"kind": SubscriptionKind.FULL_ISSUE})
    subscriber.refresh_from_db()
    assert subscriber.kind == SubscriptionKind.ANNOUNCEMENT
