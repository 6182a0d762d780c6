"""Signed-in members' shared pages (gds_portal/sharedpages.py): one render per content
generation for every member, and nobody ever gets another member's bits.

The cache-leak tests of issue 20: CSRF tokens, messages, the account links, a personal
deadline extension, a webinar registration and anything a view reads of the visitor stay
the visitor's own, whichever member filled the shared copy first.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone

from accounts.enums import Role
from gds_portal import pagecache, sharedpages
from gds_portal.access import public
from gds_portal.sharedpages import NotShareable, is_shared, shared_with_members
from meetings.models import DeadlineExtension
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.factories.newsletters import AuthorshipFactory
from tests.factories.webinars import FUTURE, RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def _member(name: str, **extra) -> Client:
    client = Client()
    client.force_login(UserFactory(email=f"{name}@example.org", **extra))
    return client


def _tokens(response) -> set[str]:
    return set(TOKEN.findall(response.content.decode()))


# --- Test-only views, to prove the stand-in catches what a view reads of the visitor --


@shared_with_members
@public
def _reads_email(request):
    return HttpResponse(f"<p>{request.user.email}</p>", content_type="text/html")


@shared_with_members
@public
def _asks_a_permission(request):
    allowed = request.user.has_perm("meetings.view_committee")
    return HttpResponse(f"<p>committee: {allowed}</p>", content_type="text/html")


@shared_with_members
@public
def _reads_the_session(request):
    return HttpResponse(f"<p>{request.session.get('seen', 'no')}</p>", content_type="text/html")


@shared_with_members
@public
def _filters_by_the_visitor(request):
    count = DeadlineExtension.objects.filter(member=request.user).count()
    return HttpResponse(f"<p>extensions: {count}</p>", content_type="text/html")


urlpatterns = [
    path("email/", _reads_email),
    path("perm/", _asks_a_permission),
    path("session/", _reads_the_session),
    path("filter/", _filters_by_the_visitor),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/email/", "/perm/", "/session/", "/filter/"])
def test_a_view_that_reads_the_visitor_is_never_shared(url):
    ada = _member("ada", is_staff=True, is_superuser=True)
    bob = _member("bob")
    first = ada.get(url)
    second = bob.get(url)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    if url == "/email/":
        assert "ada@example.org" in first.content.decode()
        assert "bob@example.org" in second.content.decode()
        assert "ada@example.org" not in second.content.decode()
    if url == "/perm/":
        assert "committee: True" in first.content.decode()
        assert "committee: False" in second.content.decode()


def test_the_stand_in_refuses_everything_but_signed_in():
    reader = sharedpages._SignedInReader()
    assert reader.is_authenticated and not reader.is_anonymous
    for read in (
        lambda: reader.pk,
        lambda: reader.email,
        lambda: reader.has_perm("x"),
        lambda: reader == reader,
        lambda: hash(reader),
        lambda: str(reader),
        # getattr with a default and hasattr swallow only AttributeError: not this.
        lambda: getattr(reader, "groups", None),
        lambda: hasattr(reader, "is_staff"),
    ):
        with pytest.raises(NotShareable):
            read()


def test_two_members_share_the_home_page_but_not_their_csrf_tokens():
    ada, bob = _member("ada"), _member("bob")
    first = ada.get(reverse("home"))
    second = bob.get(reverse("home"))
    assert first["X-Page-Cache"] == "member-miss"
    assert second["X-Page-Cache"] == "member-hit"
    # Each page carries its member's own token, and no marker is left.
    assert _tokens(first) and _tokens(second) and not (_tokens(first) & _tokens(second))
    for page in (first, second):
        assert sharedpages.csrf_marker() not in page.content.decode()
        assert "gds-visitor-part" not in page.content.decode()
        assert "private" in page["Cache-Control"]


def test_the_token_from_a_shared_page_is_the_members_own_and_works():
    """Logging out from the shared page's nav: the filled-in token passes CSRF."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    _member("ada").get(reverse("home"))  # someone else filled the shared copy
    page = client.get(reverse("home"))
    assert page["X-Page-Cache"] == "member-hit"
    token = next(iter(_tokens(page)))
    out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert out.status_code == 302
    assert "_auth_user_id" not in client.session


def test_messages_stay_with_their_member():
    ada, bob = _member("ada"), _member("bob")
    bob.get(reverse("home"))  # the shared copy exists before ada's message
    request = ada.get(reverse("home")).wsgi_request
    storage = FallbackStorage(request)
    storage.add(constants.SUCCESS, "Ada's private note")
    response = HttpResponse()
    storage.update(response)
    ada.cookies.update(response.cookies)
    ada_page = ada.get(reverse("home"))
    bob_page = bob.get(reverse("home"))
    assert ada_page["X-Page-Cache"] == bob_page["X-Page-Cache"] == "member-hit"
    assert "Ada&#x27;s private note" in ada_page.content.decode()
    assert "private note" not in bob_page.content.decode()
    # Shown once, as on any page.
    assert "private note" not in ada.get(reverse("home")).content.decode()


def test_staff_links_are_the_staff_members_own():
    staff = _member("sam", roles=[Role.PROGRAM_COMMITTEE])
    member = _member("mia")
    admin_link = f'href="{reverse("admin:index")}"'
    assert admin_link in staff.get(reverse("home")).content.decode()
    page = member.get(reverse("home"))
    assert page["X-Page-Cache"] == "member-hit"
    assert admin_link not in page.content.decode()


def test_a_personal_extension_is_shown_only_to_its_member():
    meeting = MeetingFactory(call_closes_at=timezone.now() - timedelta(hours=1))
    SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    lucky = UserFactory(email="lucky@example.org")
    DeadlineExtension.objects.create(
        meeting=meeting, member=lucky, closes_at=timezone.now() + timedelta(days=2)
    )
    other = _member("other")
    lucky_client = Client()
    lucky_client.force_login(lucky)
    first = other.get(meeting.get_call_url())
    mine = lucky_client.get(meeting.get_call_url())
    again = other.get(meeting.get_call_url())
    assert (first["X-Page-Cache"], mine["X-Page-Cache"]) == ("member-miss", "member-hit")
    assert "The call has closed." in first.content.decode()
    assert "Big Data in Physics" in mine.content.decode()
    assert "for you (a personal extension)" in mine.content.decode()
    assert "Submit an abstract" in mine.content.decode()
    assert "for you (a personal extension)" not in again.content.decode()
    assert "Submit an abstract" not in again.content.decode()


def test_a_webinar_registration_is_shown_only_to_its_member():
    webinar = WebinarFactory(start_at=FUTURE, join_url="https://zoom.example.org/j/123")
    registered = UserFactory(email="reg@example.org")
    RegistrationFactory(webinar=webinar, user=registered, email=registered.email)
    other = _member("other")
    mine = Client()
    mine.force_login(registered)
    mine_first = mine.get(webinar.get_absolute_url())
    theirs = other.get(webinar.get_absolute_url())
    assert mine_first["X-Page-Cache"] == "member-miss"
    assert theirs["X-Page-Cache"] == "member-hit"
    assert "You are registered" in mine_first.content.decode()
    assert "zoom.example.org" in mine_first.content.decode()
    assert "You are registered" not in theirs.content.decode()
    assert "zoom.example.org" not in theirs.content.decode()
    assert 'action="' + reverse("webinars:register", args=[webinar.slug]) in (
        theirs.content.decode()
    )


def test_a_draft_webinar_is_never_shared():
    draft = WebinarFactory(is_published=False)
    editor = _member("ed", is_superuser=True, is_staff=True)
    page = editor.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "X-Page-Cache" not in page
    assert _member("mia").get(draft.get_absolute_url()).status_code == 404


def test_a_committed_write_retires_the_shared_copy(django_capture_on_commit_callbacks):
    authorship = AuthorshipFactory(article__title="Old title of the article")
    issue = authorship.article.issue
    reader = _member("ada")
    assert "Old title" in reader.get(issue.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        authorship.article.title = "New title of the article"
        authorship.article.save()
    page = reader.get(issue.get_absolute_url())
    assert page["X-Page-Cache"] == "member-miss"
    assert "New title" in page.content.decode()


def test_anonymous_readers_still_get_their_own_cache():
    _member("ada").get(reverse("home"))
    Client().get(reverse("home"))
    page = Client().get(reverse("home"))
    assert page["X-Page-Cache"] == "hit"
    assert "Log out" not in page.content.decode()


def test_a_marker_in_someones_text_is_never_filled(django_capture_on_commit_callbacks):
    """A forged marker (without the secret) stays inert text; escaped besides."""
    forged = "<!--gds-visitor-part:0000:account-->gdsvisitorcsrf0000"
    authorship = AuthorshipFactory(article__title=f"Title {forged}")
    page = _member("ada").get(authorship.article.issue.get_absolute_url())
    body = page.content.decode()
    assert "&lt;!--gds-visitor-part:0000:account--&gt;gdsvisitorcsrf0000" in body


def test_one_members_bad_csrf_cookie_does_not_stop_the_sharing():
    """Outside probe: a forged or stale CSRF cookie on the request that rendered the
    shared copy made the page unshared for every member for the whole generation."""
    odd = _member("odd")
    odd.cookies["csrftoken"] = "x"
    first = odd.get(reverse("webinars:list") + "?probe=77")
    assert first["X-Page-Cache"] == "member-miss"
    assert _member("ada").get(reverse("webinars:list") + "?probe=77")["X-Page-Cache"] == (
        "member-hit"
    )


def test_an_edit_of_the_site_settings_shows_at_once(django_capture_on_commit_callbacks):
    """Outside probe: the tagline edited in the admin waited out the 60 s on shared pages."""
    from gds_portal.models import SiteConfiguration

    reader = _member("ada")
    reader.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        config = SiteConfiguration.get_solo()
        config.tagline = "A tagline edited just now"
        config.save()
    page = reader.get(reverse("home"))
    assert page["X-Page-Cache"] == "member-miss"
    assert "A tagline edited just now" in page.content.decode()


def test_the_cache_off_means_no_sharing(settings):
    settings.PAGE_CACHE_SECONDS = 0
    page = _member("ada").get(reverse("home"))
    assert "X-Page-Cache" not in page
    assert "Log out" in page.content.decode()


# --- Every marked view: what its shared render reads ----------------------------------


def _shared_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{entry.namespace}:" if entry.namespace else namespace
            yield from _shared_names(entry, inner)
        elif isinstance(entry, URLPattern) and is_shared(entry.callback):
            yield namespace + (entry.name or "?")


def test_the_marked_views_are_the_reviewed_list():
    """Marking a view shares it between members: a reviewed decision, like @public."""
    assert sorted(_shared_names()) == [
        "community:person",
        "elections:list",
        "elections:officers",
        "elections:results",
        "home",
        "meetings:call",
        "meetings:detail",
        "meetings:list",
        "newsletters:archive",
        "newsletters:article",
        "newsletters:issue",
        "search",
        "webinars:detail",
        "webinars:list",
        "webinars:topic",
    ]


TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def test_a_shared_render_reads_only_public_tables(monkeypatch):
    """Every table a shared page reads is a registered public model, so a committed write
    to anything it shows retires it (pagecache.public_models)."""
    meeting = MeetingFactory()
    SortingCategoryFactory(meeting=meeting)
    webinar = WebinarFactory(start_at=FUTURE)
    authorship = AuthorshipFactory()
    article = authorship.article
    read: dict[str, set[str]] = {}
    real = sharedpages._render_shared

    def watched(request, view_func, args, kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = real(request, view_func, args, kwargs)
        if result != sharedpages.NOT_SHAREABLE:
            tables = {t for q in queries.captured_queries for t in TABLE.findall(q["sql"])}
            read[request.path] = tables
        return result

    monkeypatch.setattr(sharedpages, "_render_shared", watched)
    member = _member("ada")
    pages = [
        reverse("home"),
        reverse("search") + "?q=learning",
        reverse("newsletters:archive"),
        article.issue.get_absolute_url(),
        article.get_absolute_url(),
        reverse("webinars:list"),
        webinar.get_absolute_url(),
        reverse("meetings:list"),
        meeting.get_absolute_url(),
        meeting.get_call_url(),
    ]
    for url in pages:
        assert member.get(url).status_code == 200, url
    assert set(read) == {url.split("?")[0] for url in pages}
    allowed = pagecache.public_models.tables
    for url, tables in read.items():
        assert tables <= allowed, (url, tables - allowed)


# --- What signed-in pages keep per content generation ----------------------------------


def test_verified_addresses_are_kept_until_an_address_changes(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """accounts.identity.verified_addresses reads once per generation, and a removed or
    newly verified address counts from the commit on (a write to a public table)."""
    from allauth.account.models import EmailAddress

    from accounts.identity import verified_addresses
    from accounts.models import User

    member = UserFactory(email="kept@example.org")
    assert "kept@example.org" in verified_addresses(User.objects.get(pk=member.pk))
    fresh = User.objects.get(pk=member.pk)
    with django_assert_num_queries(0):
        assert "kept@example.org" in verified_addresses(fresh)
    with django_capture_on_commit_callbacks(execute=True):
        EmailAddress.objects.filter(user=member).update(verified=False)
    assert verified_addresses(User.objects.get(pk=member.pk)) == frozenset()


def test_a_new_extension_shows_on_the_call_page_at_once(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(call_closes_at=timezone.now() - timedelta(hours=1))
    member = UserFactory()
    client = Client()
    client.force_login(member)
    assert "The call has closed." in client.get(meeting.get_call_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        DeadlineExtension.objects.create(
            meeting=meeting, member=member, closes_at=timezone.now() + timedelta(days=1)
        )
    page = client.get(meeting.get_call_url()).content.decode()
    assert "for you (a personal extension)" in page
