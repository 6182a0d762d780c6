import datetime as dt
import re
import xml.etree.ElementTree as ET  # parses only our own feeds

import pytest
from django.urls import reverse
from django.utils import timezone

from gds_portal.search import registry as search_registry
from newsletters.enums import ArticleKind, IssueStatus, SubscriptionStatus
from newsletters.models import Subscriber
from newsletters.services import unsubscribe_url
from tests.factories.community import PersonFactory
from tests.factories.newsletters import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    ReferenceFactory,
    SubscriberFactory,
)
from tests.html_checks import unsafe_parts

pytestmark = pytest.mark.django_db

SECRET = "Zyxwvutsrqponic"  # a word that only hidden content contains


def hidden_issues():
    """A draft and a future scheduled issue, each with an article by a visible person."""
    person = PersonFactory(name="Pat Hidden", slug="pat-hidden")
    draft = IssueFactory(status=IssueStatus.DRAFT, published_at=None, year=2031, season="winter")
    scheduled = IssueFactory(
        status=IssueStatus.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=1),
        year=2031,
        season="spring",
    )
    for issue in (draft, scheduled):
        article = ArticleFactory(
            issue=issue, title=f"{SECRET} {issue.season}", body=f"About {SECRET}."
        )
        AuthorshipFactory(article=article, person=person)
    return draft, scheduled, person


def test_archive_groups_visible_issues_by_year(client):
    IssueFactory(year=2020, season="summer", title="Summer 2020")
    IssueFactory(year=2021, season="winter", title="Winter 2021")
    IssueFactory(year=2020, season="fall", title="Fall 2020")
    response = client.get(reverse("newsletters:archive"))
    html = response.content.decode()
    titles = re.findall(r'fs-5">([^<]+)</span>', html)
    assert titles == ["Winter 2021", "Fall 2020", "Summer 2020"]
    assert html.index('id="year-2021"') < html.index('id="year-2020"')
    assert html.count("<h1") == 1


def test_issue_page_lists_articles_grouped_by_kind_with_bylines(client):
    issue = IssueFactory(year=2020, season="summer")
    chair = ArticleFactory(issue=issue, kind=ArticleKind.CHAIRS_MESSAGE, title="From Jie", order=2)
    editor = ArticleFactory(
        issue=issue, kind=ArticleKind.EDITORS_MESSAGE, title="From Kyle", order=1
    )
    AuthorshipFactory(article=chair, person__name="Jie Ren", role="GDS Chair")
    AuthorshipFactory(article=editor, person__name="Kyle Wm. Hall", role="GDS Newsletter Editor")
    html = client.get("/newsletters/2020/summer/").content.decode()
    assert html.index("From the Editor") < html.index("From Kyle") < html.index("From the Chair")
    assert 'Jie Ren</a> <span class="text-body-secondary">(GDS Chair)' in html


def test_article_page_renders_maths_references_bios_and_neighbours(client, settings):
    settings.SITE_URL = "https://gds.example.org"
    issue = IssueFactory(year=2020, season="summer")
    first = ArticleFactory(issue=issue, order=1, title="First piece", slug="first")
    article = ArticleFactory(
        issue=issue,
        order=2,
        slug="bayes",
        body="$$p(\\theta|D) = \\frac{p(D|\\theta)p(\\theta)}{p(D)}$$",
    )
    last = ArticleFactory(issue=issue, order=3, title="Last piece", slug="last")
    AuthorshipFactory(
        article=article,
        person__name="Sergei V. Kalinin",
        person__slug="sergei-v-kalinin",
        person__bio="Microscopist <script>x</script>",
        role="Corporate Fellow, CNMS ORNL",
    )
    ReferenceFactory(article=article, citation="Paper one.", doi="10.1021/acs.jpcc.9b07936")
    ReferenceFactory(article=article, citation="Web page two.", doi="", url="https://example.org/x")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<math" in html and "<mfrac>" in html
    doi_link = '<a href="https://doi.org/10.1021/acs.jpcc.9b07936">'
    assert f'<li id="ref-1" tabindex="-1">Paper one. {doi_link}' in html
    assert '<li id="ref-2" tabindex="-1">Web page two. <a href="https://example.org/x"' in html
    assert '<a href="/people/sergei-v-kalinin/">Sergei V. Kalinin</a>' in html
    assert "Corporate Fellow, CNMS ORNL" in html
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{last.get_absolute_url()}"' in html
    assert (
        '<meta property="og:url" content="https://gds.example.org/newsletters/2020/summer/bayes/">'
        in html
    )
    bio = re.search(r'<div class="small prose">(.*?)</div>', html, re.S).group(1)
    assert "Microscopist" in bio
    assert unsafe_parts(bio) == []


def test_drafts_and_scheduled_issues_are_invisible_to_readers_everywhere(client_for, personas):
    draft, scheduled, person = hidden_issues()
    IssueFactory()  # something visible, so the pages are not simply empty
    for user in (None, personas.member, personas.program_committee, personas.executive):
        client = client_for(user)
        for issue in (draft, scheduled):
            article = issue.articles.get()
            assert client.get(issue.get_absolute_url()).status_code == 404
            assert client.get(article.get_absolute_url()).status_code == 404
            assert client.get(issue.get_preview_url()).status_code == 404
            assert client.get(article.get_preview_url()).status_code == 404
        pages = [
            reverse("newsletters:archive"),
            reverse("newsletters:feed"),
            reverse("newsletters:feed_rss"),
            reverse("newsletters:article_feed"),
            reverse("newsletters:article_feed_rss"),
            reverse("home"),
        ]
        # Named only by unreleased issues, the author is not public at all (issue 15).
        assert client.get(person.get_absolute_url()).status_code == 404
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert SECRET not in response.content.decode(), url
            assert "2031" not in response.content.decode(), url
        search = client.get(reverse("search") + f"?q={SECRET}").content.decode()
        assert "0 results for" in search


def test_preview_is_for_newsletter_editors_only_and_never_cached(client_for, personas):
    draft, _scheduled, _person = hidden_issues()
    article = draft.articles.get()
    for user in (personas.newsletter_editor, personas.staff):
        response = client_for(user).get(draft.get_preview_url())
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
        html = response.content.decode()
        assert "Preview." in html and article.get_preview_url() in html
        assert client_for(user).get(article.get_preview_url()).status_code == 200
    # Staff of other committees are staff too, but drafts are not theirs to read.
    for user in (personas.program_committee, personas.executive, personas.member, None):
        assert client_for(user).get(draft.get_preview_url()).status_code == 404


def test_feeds_validate_and_carry_absolute_links(client, settings):
    settings.SITE_URL = "https://gds.example.org"
    article = ArticleFactory(issue__year=2020, issue__season="summer", slug="bayes")
    AuthorshipFactory(article=article, person__name="Sergei V. Kalinin")
    atom = "{http://www.w3.org/2005/Atom}"
    for name in ("newsletters:feed", "newsletters:article_feed"):
        response = client.get(reverse(name))
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)  # noqa: S314 -- our own feed, in a test
        links = [link.get("href") for link in root.iter(f"{atom}link")]
        assert all(link.startswith("https://gds.example.org/") for link in links), links
        assert root.find(f"{atom}entry/{atom}id") is not None
    for name in ("newsletters:feed_rss", "newsletters:article_feed_rss"):
        response = client.get(reverse(name))
        assert response["Content-Type"].startswith("application/rss+xml")
        root = ET.fromstring(response.content)  # noqa: S314 -- our own feed, in a test
        items = [item.findtext("link") for item in root.iter("item")]
        assert items and all(
            link.startswith("https://gds.example.org/newsletters/2020/summer/") for link in items
        )
    articles = ET.fromstring(client.get(reverse("newsletters:article_feed")).content)  # noqa: S314 -- our own feed, in a test
    assert articles.find(f"{atom}entry/{atom}author/{atom}name").text == "Sergei V. Kalinin"


def test_search_finds_a_word_in_a_body_and_ranks_titles_first(client):
    in_body = ArticleFactory(title="Notes", body="Partition functions of adsorbed fluids.")
    in_title = ArticleFactory(title="Partition functions", body="Nothing else here.")
    html = client.get(reverse("search") + "?q=partition").content.decode()
    assert html.index(in_title.get_absolute_url()) < html.index(in_body.get_absolute_url())
    assert "<mark>Partition</mark>" in html


def test_person_page_lists_visible_articles(client):
    article = ArticleFactory(title="Learning machines")
    authorship = AuthorshipFactory(article=article)
    html = client.get(authorship.person.get_absolute_url()).content.decode()
    assert "Newsletter articles" in html
    assert f'<a href="{article.get_absolute_url()}">Learning machines</a>' in html


def test_home_page_shows_latest_visible_issue(client):
    IssueFactory(year=2019, season="fall", title="Fall 2019")
    latest = IssueFactory(year=2020, season="summer", title="Summer 2020")
    ArticleFactory(issue=latest, title="Message from the Chair")
    html = client.get("/").content.decode()
    assert "GDS Newsletter, Summer 2020" in html and "Message from the Chair" in html
    assert "Fall 2019" not in html


# Query budgets: the count must not grow with issues, articles or authors.
def _issues_with(n: int):
    issues = [IssueFactory() for _ in range(n)]
    for issue in issues:
        for _ in range(n):
            article = ArticleFactory(issue=issue, body="A body about entropy.")
            for _ in range(n):
                AuthorshipFactory(article=article)
            ReferenceFactory(article=article)
    return issues


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_archive(client, django_assert_num_queries, n):
    _issues_with(n)
    client.get("/")  # warm the site configuration cache
    with django_assert_num_queries(1):
        assert client.get(reverse("newsletters:archive")).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_issue(client, django_assert_num_queries, n):
    issue = _issues_with(n)[0]
    client.get("/")
    with django_assert_num_queries(3):
        assert client.get(issue.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_article(client, django_assert_num_queries, n):
    article = _issues_with(n)[0].articles.first()
    client.get("/")
    with django_assert_num_queries(6):  # with the figures
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_person(client, django_assert_num_queries, n):
    issues = _issues_with(n)
    person = PersonFactory()
    for issue in issues:
        for article in issue.articles.all():
            AuthorshipFactory(article=article, person=person)
    client.get("/")
    # +1: the webinars section of the person page, +1: the elections section, +1: the
    # meetings section (invited talks; no linked account, so no addresses to match)
    with django_assert_num_queries(5):
        assert client.get(person.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_search(client, django_assert_num_queries, n):
    _issues_with(n)
    client.get("/")
    # One query per registered search provider (people, articles, meetings, categories…),
    # one for the sources of the articles on the page and one cutting their snippets.
    with django_assert_num_queries(len(search_registry.providers) + 1 + 1):
        html = client.get(reverse("search") + "?q=entropy").content.decode()
    assert html.count("Article · ") == n * n


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_home(client, django_assert_num_queries, n):
    _issues_with(n)
    client.get("/")
    with django_assert_num_queries(5):  # +1: the webinars home section, +1: elections
        assert client.get("/").status_code == 200


def test_subscribe_page_anonymous_sends_confirmation(
    client, deliver_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("newsletters:subscribe"), {"email": "ada@example.org"}, follow=True
        )
    assert (
        "unless ada@example.org already receives the announcements, we have sent it a "
        + ("confirmation link")
        in response.content.decode()
    )
    assert Subscriber.objects.get().status == SubscriptionStatus.PENDING
    (mail,) = deliver_mail()
    path = re.search(r"https?://[^/]+(/newsletters/subscribe/confirm/[^\s]+)", mail.body).group(1)
    # GET only asks; a link scanner following it subscribes nobody.
    assert "Confirm subscription" in client.get(path).content.decode()
    assert Subscriber.objects.get().status == SubscriptionStatus.PENDING
    client.post(path)
    assert Subscriber.objects.get().status == SubscriptionStatus.ACTIVE


def test_subscribe_page_verified_member_is_subscribed_directly(client_for, personas, deliver_mail):
    client = client_for(personas.member)
    form = client.get(reverse("newsletters:subscribe")).content.decode()
    assert 'value="member@example.org"' in form
    response = client.post(
        reverse("newsletters:subscribe"), {"email": "member@example.org"}, follow=True
    )
    assert "member@example.org is subscribed" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.status, subscriber.user) == (SubscriptionStatus.ACTIVE, personas.member)
    assert deliver_mail() == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Enter a complete email address"),
        ("", "This field is required."),
    ],
)
def test_subscribe_page_bad_input_keeps_what_was_typed(client, email, message):
    SubscriberFactory(email="taken@example.org")
    response = client.post(reverse("newsletters:subscribe"), {"email": email})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{email}"' in html or not email
    assert Subscriber.objects.count() == 1


def test_unsubscribe_one_click_post_without_csrf(settings):
    from django.test import Client

    subscriber = SubscriberFactory(email="ada@example.org")
    path = unsubscribe_url(subscriber).removeprefix(settings.SITE_URL)
    client = Client(enforce_csrf_checks=True)
    assert "Stop sending" in client.get(path).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.ACTIVE
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.UNSUBSCRIBED


def test_bad_tokens_get_a_clear_page(client):
    for name in ("newsletters:unsubscribe", "newsletters:confirm"):
        response = client.post(reverse(name, kwargs={"token": "forged"}))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_sitemaps_list_only_visible_issues_and_articles():
    from newsletters.sitemaps import ArticleSitemap, IssueSitemap

    hidden_issues()
    visible = ArticleFactory()
    assert list(IssueSitemap().items()) == [visible.issue]
    assert list(ArticleSitemap().items()) == [visible]


def test_sitemap_xml_serves_only_visible_pages(client):
    hidden_issues()
    visible = ArticleFactory()
    body = client.get("/sitemap.xml").content.decode()
    assert visible.get_absolute_url() in body
    assert visible.issue.get_absolute_url() in body
    assert "2031" not in body and SECRET not in body


def test_only_reading_pages_are_marked_public():
    from django.urls import resolve

    from gds_portal.access import is_public

    public = [
        "/newsletters/",
        "/newsletters/2020/summer/",
        "/newsletters/2020/summer/x/",
        "/newsletters/2020/summer/x/references/1.bib",
        "/newsletters/2020/summer/x/references/1.ris",
        "/newsletters/feed/",
        "/newsletters/feed/rss/",
        "/newsletters/feed/articles/",
        "/newsletters/feed/articles/rss/",
        "/newsletters/subscribe/",
        "/newsletters/subscribe/confirm/t/",
        "/newsletters/unsubscribe/t/",
        "/newsletters/subscription/t/",
    ]
    private = ["/newsletters/preview/1/", "/newsletters/preview/1/x/"]
    assert [is_public(resolve(url).func) for url in public] == [True] * len(public)
    assert [is_public(resolve(url).func) for url in private] == [False] * len(private)


def test_my_gds_shows_only_the_members_own_subscription(client_for, personas):
    # The other member is subscribed; the member is not. Neither sees the other's address.
    SubscriberFactory(email=personas.other_member.email)
    mine = client_for(personas.member).get(reverse("accounts:my_gds")).content.decode()
    assert "Announcements to member@example.org" in mine
    assert personas.other_member.email not in mine
    theirs = client_for(personas.other_member).get(reverse("accounts:my_gds")).content.decode()
    assert f"New issues are sent to <strong>{personas.other_member.email}</strong>" in theirs
    assert "member@example.org" not in theirs.replace(personas.other_member.email, "")


def test_my_gds_subscribe_button_subscribes_verified_member_at_once(client_for, personas):
    client = client_for(personas.member)
    client.post(reverse("newsletters:subscribe"), {"email": personas.member.email})
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == (
        personas.member.email,
        SubscriptionStatus.ACTIVE,
    )
    html = client.get(reverse("accounts:my_gds")).content.decode()
    assert unsubscribe_url(subscriber) in html
