"""The anonymous page cache: shared only between anonymous readers, fresh after edits."""

import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gds_portal import pagecache
from newsletters.enums import IssueStatus
from newsletters.models import Issue
from newsletters.services import issue_publish
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import AuthorshipFactory, IssueFactory, ReferenceFactory
from tests.factories.webinars import TopicFactory, WebinarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def issue():
    """A draft issue, ready to publish."""
    draft = IssueFactory(status=IssueStatus.DRAFT, published_at=None, year=2020, season="summer")
    AuthorshipFactory(article__issue=draft)
    return draft


def test_second_anonymous_request_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    first = client.get(reverse("newsletters:archive"))
    with django_assert_num_queries(0):
        second = client.get(reverse("newsletters:archive"))
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second.content.replace(b"hit", b"") != b""
    assert second.status_code == 200


def test_no_page_needs_a_nonce_so_a_cached_copy_replays_none(client):
    # The cache stores a page as it is; that is safe only while nothing in it differs
    # per response. Scripts come from our own files, and no template asks for a nonce.
    second = [client.get(reverse("home")) for _ in range(2)][-1]
    assert second["X-Page-Cache"] == "hit"
    assert "nonce-" not in second["Content-Security-Policy"]
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    assert [t.name for t in templates if "nonce" in t.read_text()] == []


def test_security_headers_are_added_afresh_to_cached_copies(client):
    client.get(reverse("home"))
    second = client.get(reverse("home"))
    assert second["X-Page-Cache"] == "hit"
    assert "default-src 'none'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert "camera=()" in second["Permissions-Policy"]


def test_a_member_never_gets_the_anonymous_copy_and_never_fills_the_cache(client_for):
    member = UserFactory()
    reader = Client()
    reader.get(reverse("home"))  # the anonymous copy is now cached
    member_page = client_for(member).get(reverse("home"))
    # Members share their own copy (gds_portal/sharedpages.py), never the anonymous one.
    assert member_page["X-Page-Cache"] == "member-miss"
    assert "Log out" in member_page.content.decode()
    assert "private" in member_page["Cache-Control"]
    # A member's page is not stored either: a fresh anonymous reader after a
    # cache flush renders afresh, and never gets the member's page.
    pagecache.invalidate()
    assert client_for(member).get(reverse("home"))["X-Page-Cache"] == "member-miss"
    after = Client().get(reverse("home"))
    assert "X-Page-Cache" not in after
    assert "Log out" not in after.content.decode()


def test_pages_with_a_csrf_token_are_not_stored(client):
    client.get(reverse("newsletters:subscribe"))
    second = client.get(reverse("newsletters:subscribe"))
    assert "X-Page-Cache" not in second
    assert "csrfmiddlewaretoken" in second.content.decode()


def test_publishing_an_issue_refreshes_the_archive_at_once(
    client, issue, django_capture_on_commit_callbacks
):
    before = client.get(reverse("newsletters:archive"))
    assert "Summer 2020" not in before.content.decode()
    assert client.get(reverse("newsletters:archive"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None, at=timezone.now() - timezone.timedelta(minutes=1))
    after = client.get(reverse("newsletters:archive"))
    assert "X-Page-Cache" not in after
    assert "Summer 2020" in after.content.decode()


def test_a_visitor_with_pending_messages_gets_a_fresh_page(client):
    client.get(reverse("home"))
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_the_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("home"))
    assert "X-Page-Cache" not in client.get(reverse("home"))


def test_bench_instruments_are_off_by_default(client, settings):
    assert settings.BENCH_MODE is False
    assert client.get("/bench/ceiling/").status_code == 404
    response = client.get(reverse("home"))
    assert "X-Bench-Queries" not in response
    # The cold-render header is ignored outside the benchmark.
    assert client.get(reverse("home"), HTTP_X_BENCH_COLD="1")["X-Page-Cache"] == "hit"


def test_fragments_are_computed_once_per_content_generation():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert pagecache.cached_fragment("test:n", compute) == 1
    assert pagecache.cached_fragment("test:n", compute) == 1
    pagecache.invalidate()
    assert pagecache.cached_fragment("test:n", compute) == 2


def test_fragments_are_computed_every_time_with_the_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    values = iter([1, 2])
    assert pagecache.cached_fragment("test:m", lambda: next(values)) == 1
    assert pagecache.cached_fragment("test:m", lambda: next(values)) == 2


def test_webinar_archive_totals_follow_a_newly_published_webinar(
    client_for, personas, django_capture_on_commit_callbacks
):
    member = client_for(personas.member)  # members share fragments, never pages
    WebinarFactory(title="First held webinar")
    first = member.get(reverse("webinars:list")).context["numbers"]["webinars"]
    with django_capture_on_commit_callbacks(execute=True):
        WebinarFactory(title="Second held webinar")
    assert member.get(reverse("webinars:list")).context["numbers"]["webinars"] == first + 1


def test_a_write_invalidates_only_when_it_commits(issue, django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks() as callbacks:
        Issue.objects.filter(pk=issue.pk).update(title="Summer 2020, revised")
        assert pagecache.generation() == before  # still inside the transaction
    assert callbacks  # the bump waits for the commit
    for callback in callbacks:
        callback()
    assert pagecache.generation() != before


def test_a_write_rolled_back_invalidates_nothing(issue, django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Issue.objects.filter(pk=issue.pk).update(title="Never committed")
        raise RuntimeError
    assert pagecache.generation() == before


def _in_another_connection(work):
    """Run `work` in a thread of its own, hence on a database connection of its own."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the test below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.django_db(transaction=True)
def test_a_reader_between_a_save_and_its_commit_never_stores_the_old_page(issue):
    """The race: a writer has saved but not committed; a reader on another connection
    renders the page from the rows it can still see (the old ones). Its copy must
    never be served after the commit."""
    archive = reverse("newsletters:archive")
    with transaction.atomic():
        issue_publish(issue=issue, by=None, at=timezone.now() - timezone.timedelta(minutes=1))
        during = _in_another_connection(lambda: Client().get(archive))
        assert "Summer 2020" not in during.content.decode()  # the old rows, as it should
    after = Client().get(archive)
    assert "X-Page-Cache" not in after
    assert "Summer 2020" in after.content.decode()


def _public_models():
    tables = pagecache.public_models.tables
    return [model for model in apps.get_models() if model._meta.db_table in tables]


def _plain_field(model) -> str:
    return next(
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.is_relation and not field.generated
    )


@pytest.mark.parametrize("model", _public_models(), ids=lambda model: model._meta.label)
def test_a_bulk_update_of_any_public_model_invalidates(model, django_capture_on_commit_callbacks):
    # Generated from the registry: a model registered tomorrow is covered too.
    field = _plain_field(model)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        model._default_manager.filter(pk=-1).update(**{field: models.F(field)})
    assert pagecache.generation() != before


def test_a_bulk_update_refreshes_the_cached_page(client, django_capture_on_commit_callbacks):
    IssueFactory(title="Spring 2019", year=2019, season="spring")
    assert "Spring 2019" in client.get(reverse("newsletters:archive")).content.decode()
    assert client.get(reverse("newsletters:archive"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        Issue.objects.filter(title="Spring 2019").update(title="Spring 2019 (reissued)")
    after = client.get(reverse("newsletters:archive"))
    assert "X-Page-Cache" not in after
    assert "Spring 2019 (reissued)" in after.content.decode()


def test_bulk_deletes_and_many_to_many_changes_invalidate(django_capture_on_commit_callbacks):
    reference = ReferenceFactory()
    webinar, topic = WebinarFactory(), TopicFactory()
    for write in (
        lambda: type(reference).objects.filter(pk=reference.pk).delete(),
        lambda: webinar.topics.add(topic),
    ):
        before = pagecache.generation()
        with django_capture_on_commit_callbacks(execute=True):
            write()
        assert pagecache.generation() != before


def test_writes_to_private_tables_leave_the_cache_alone(django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        # An account without a verified address: a verified one is public (it shows a
        # presenter's person page), so meetings registers allauth's addresses.
        UserFactory(verified=False)
    assert pagecache.generation() == before


def test_a_lost_generation_is_replaced_by_a_new_one_never_an_old_one():
    """A culled or evicted token must not come back as a value stale pages were
    stored under (a counter restarting at 1 would)."""
    seen = {pagecache.generation()}
    for _ in range(5):
        pagecache.invalidate()
        seen.add(pagecache.generation())
        pagecache._cache().delete(pagecache.GENERATION_KEY)
        seen.add(pagecache.generation())
    assert len(seen) == 11
