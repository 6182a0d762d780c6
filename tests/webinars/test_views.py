import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories.community import PersonFactory
from tests.factories.webinars import FUTURE, TopicFactory, WebinarFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def _titles(response, key) -> list[str]:
    items = response.context[key]
    return [w.title for w in (items.object_list if hasattr(items, "object_list") else items)]


@time_machine.travel(NOW, tick=False)
def test_list_shows_upcoming_soonest_first_then_archive_newest_first(client):
    WebinarFactory(title="Later", start_at=NOW + timedelta(days=20))
    WebinarFactory(title="Sooner", start_at=NOW + timedelta(days=2))
    WebinarFactory(title="Old", start_at=NOW - timedelta(days=300))
    WebinarFactory(title="Recent", start_at=NOW - timedelta(days=3))
    WebinarFactory(title="Called off", start_at=NOW + timedelta(days=5), is_cancelled=True)
    WebinarFactory(title="Draft", start_at=NOW + timedelta(days=5), is_published=False)

    response = client.get("/webinars/")

    assert _titles(response, "upcoming") == ["Sooner", "Later"]
    assert _titles(response, "page") == ["Called off", "Recent", "Old"]
    assert b"Draft" not in response.content


@time_machine.travel(NOW, tick=False)
def test_list_filters_by_topic_year_kind_and_speaker(client):
    dl = TopicFactory(name="Deep learning", slug="deep-learning")
    ada = PersonFactory(name="Ada", slug="ada")
    WebinarFactory(title="DL 2029", topics=[dl], start_at=datetime(2029, 3, 1, tzinfo=UTC))
    WebinarFactory(title="DL 2028", topics=[dl], start_at=datetime(2028, 3, 1, tzinfo=UTC))
    WebinarFactory(title="Other 2029", start_at=datetime(2029, 4, 1, tzinfo=UTC), kind="panel")
    WebinarFactory(title="Ada talk", speakers=[ada], start_at=datetime(2029, 5, 1, tzinfo=UTC))

    def titles(query):
        return _titles(client.get(f"/webinars/?{query}"), "page")

    assert titles("topic=deep-learning") == ["DL 2029", "DL 2028"]
    assert titles("year=2028") == ["DL 2028"]
    assert titles("kind=panel") == ["Other 2029"]
    assert titles("speaker=ada") == ["Ada talk"]
    assert titles("topic=deep-learning&year=2029") == ["DL 2029"]
    # An unknown value is ignored rather than breaking the page.
    assert titles("topic=nope&year=abc") == ["Ada talk", "Other 2029", "DL 2029", "DL 2028"]


def test_archive_is_paginated_and_keeps_filters_in_page_links(client):
    topic = TopicFactory(slug="t")
    for day in range(13):
        WebinarFactory(topics=[topic], start_at=datetime(2020, 1, 1 + day, tzinfo=UTC))
    response = client.get("/webinars/?topic=t")
    assert len(response.context["page"].object_list) == 12
    assert b'href="?topic=t&amp;page=2"' in response.content
    assert len(client.get("/webinars/?topic=t&page=2").context["page"].object_list) == 1
    assert client.get("/webinars/?page=999").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_series_numbers_are_computed_from_held_webinars(client):
    a, b = PersonFactory(), PersonFactory()
    WebinarFactory(start_at=NOW - timedelta(days=9), registrant_count=100, speakers=[a, b])
    WebinarFactory(start_at=NOW - timedelta(days=5), registrant_count=50, speakers=[a])
    WebinarFactory(
        start_at=NOW + timedelta(days=5), registrant_count=999, speakers=[PersonFactory()]
    )
    WebinarFactory(start_at=NOW - timedelta(days=5), registrant_count=7, is_cancelled=True)
    WebinarFactory(start_at=NOW - timedelta(days=5), registrant_count=7, is_published=False)

    assert client.get("/webinars/").context["numbers"] == {
        "webinars": 2,
        "speakers": 2,
        "registrants": 150,
    }


def test_detail_embeds_replay_privately_and_links_speakers(client):
    ada = PersonFactory(name="Ada Lovelace", slug="ada-lovelace")
    webinar = WebinarFactory(
        replay_url="https://www.youtube.com/watch?v=abcDEF12345",
        speakers=[ada],
        slides_url="https://example.org/slides.pdf",
        description="Hi <script>alert(1)</script> [x](javascript:alert(2))",
    )
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in html
    assert 'href="/people/ada-lovelace/"' in html
    assert 'href="https://example.org/slides.pdf"' in html
    assert f'href="/webinars/{webinar.slug}/calendar.ics"' in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


def test_drafts_are_hidden_from_the_public_and_previewable_by_the_committee(client_for, personas):
    draft = WebinarFactory(is_published=False, title="Secret draft")
    assert client_for(None).get(draft.get_absolute_url()).status_code == 404
    assert client_for(personas.member).get(draft.get_absolute_url()).status_code == 404
    assert client_for(personas.program_committee).get(draft.get_absolute_url()).status_code == 404
    response = client_for(personas.webinar_committee).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_topic_page_lists_its_published_webinars(client):
    topic = TopicFactory(name="Autonomous experimentation", slug="ae")
    WebinarFactory(title="On topic", topics=[topic])
    WebinarFactory(title="Off topic")
    WebinarFactory(title="Draft on topic", topics=[topic], is_published=False)
    response = client.get("/webinars/topics/ae/")
    assert _titles(response, "webinars") == ["On topic"]
    assert client.get("/webinars/topics/missing/").status_code == 404


def test_person_page_lists_webinars_spoken_at_and_hosted(client):
    ada = PersonFactory(slug="ada")
    WebinarFactory(title="Spoke", speakers=[ada], start_at=datetime(2021, 1, 1, tzinfo=UTC))
    WebinarFactory(title="Hosted", host=ada, start_at=datetime(2020, 1, 1, tzinfo=UTC))
    WebinarFactory(title="Draft", speakers=[ada], is_published=False)
    html = client.get("/people/ada/").content.decode()
    assert html.index("Spoke") < html.index("Hosted")
    assert "Draft" not in html


def test_home_page_shows_upcoming_webinars(client):
    WebinarFactory(title="Coming soon", start_at=FUTURE)
    WebinarFactory(title="Long ago")
    html = client.get("/").content.decode()
    assert "Coming soon" in html
    assert "Long ago" not in html


def test_site_search_finds_webinars_by_title_description_speaker_and_topic(client):
    topic = TopicFactory(name="Crystallography")
    WebinarFactory(
        title="Transformers for spectra",
        description="Attention over **photon** counts.",
        speakers=[PersonFactory(name="Zelda Quasar")],
        topics=[topic],
    )
    WebinarFactory(title="Hidden draft Transformers", is_published=False)

    def found(q):
        return [
            r.title for r in client.get("/search/", {"q": q}).context["page"] if r.kind == "Webinar"
        ]

    assert found("transformers") == ["Transformers for spectra"]
    assert found("photon") == ["Transformers for spectra"]
    assert found("Quasar") == ["Transformers for spectra"]
    assert found("crystallography") == ["Transformers for spectra"]


def test_renaming_a_speaker_updates_webinar_search(client):
    person = PersonFactory(name="Old Name")
    WebinarFactory(title="Talk", speakers=[person])
    person.name = "Newname Fermion"
    person.save()
    results = client.get("/search/", {"q": "Fermion"}).context["page"]
    assert [r.title for r in results if r.kind == "Webinar"] == ["Talk"]


# --- Query budgets: the same number of queries for 1 and 3 objects --------------


def _webinars_with_people(n: int, topic, start):
    for i in range(n):
        WebinarFactory(
            topics=[topic],
            speakers=[PersonFactory(), PersonFactory()],
            host=PersonFactory(),
            start_at=start + timedelta(days=i),
        )


@pytest.mark.parametrize("n", [1, 3])
@time_machine.travel(NOW, tick=False)
def test_list_query_budget(client, django_assert_num_queries, n):
    topic = TopicFactory(slug="q")
    _webinars_with_people(n, topic, NOW - timedelta(days=30))
    _webinars_with_people(n, topic, NOW + timedelta(days=3))
    client.get("/webinars/")  # warm caches (content types, site settings, series numbers)
    with django_assert_num_queries(11):
        client.get("/webinars/")
    with django_assert_num_queries(11):
        client.get("/webinars/?topic=q&kind=talk")


@pytest.mark.parametrize("n", [1, 3])
def test_detail_query_budget(client, django_assert_num_queries, n):
    webinar = WebinarFactory(
        speakers=[PersonFactory() for _ in range(n)],
        topics=[TopicFactory() for _ in range(n)],
        host=PersonFactory(),
    )
    client.get(webinar.get_absolute_url())  # warm caches (content types, site settings)
    with django_assert_num_queries(3):
        client.get(webinar.get_absolute_url())


@pytest.mark.parametrize("n", [1, 3])
def test_topic_query_budget(client, django_assert_num_queries, n):
    topic = TopicFactory(slug="budget")
    _webinars_with_people(n, topic, datetime(2020, 1, 1, tzinfo=UTC))
    client.get("/webinars/topics/budget/")  # warm caches (content types, site settings)
    with django_assert_num_queries(4):
        client.get("/webinars/topics/budget/")


def test_upcoming_webinars_are_found_through_the_start_index():
    from django.db import connection, transaction

    from webinars.models import Webinar

    WebinarFactory.create_batch(3)
    upcoming = Webinar.objects.published().upcoming().order_by("start_at")[:3]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = upcoming.explain()
    # A range condition on start_at bounds the scan to the last day (MAX_DURATION),
    # instead of reading every past webinar to compare its end with now.
    assert re.search(r"Index Cond: .*start_at > '", plan)


def test_search_and_archive_queries_can_use_their_indexes():
    from django.db import connection, transaction

    from gds_portal.search import websearch_query
    from webinars.models import Webinar

    WebinarFactory.create_batch(3)
    search = Webinar.objects.filter(search_vector=websearch_query("neural")).order_by()
    archive = Webinar.objects.published().order_by("-start_at")[:12]
    with transaction.atomic(), connection.cursor() as cursor:
        # A tiny table with whatever statistics earlier tests left: make the planner
        # show its hand. Only bitmap scans remain, and they need an index condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        assert "webinar_search_idx" in search.explain()
        assert "webinar_published_start_idx" in archive.explain()


def test_only_reading_pages_are_marked_public():
    from django.urls import resolve

    from gds_portal.access import is_public

    public = ["/webinars/", "/webinars/x/", "/webinars/x/calendar.ics", "/webinars/topics/x/",
              "/webinars/feed.ics", "/webinars/feed.atom", "/webinars/nominate/"]  # fmt: skip
    private = ["/webinars/nominate/speaker/", "/webinars/nominate/topic/1/",
               "/webinars/nominate/host/1/withdraw/",
               "/webinars/committee/participation/"]  # fmt: skip
    assert [is_public(resolve(url).func) for url in public] == [True] * len(public)
    assert [is_public(resolve(url).func) for url in private] == [False] * len(private)


def test_sitemap_lists_published_webinars_and_their_topics_only(client):
    shown = TopicFactory(slug="shown-topic")
    hidden = TopicFactory(slug="hidden-topic")
    published = WebinarFactory(topics=[shown])
    draft = WebinarFactory(topics=[hidden], is_published=False)
    body = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in body
    assert "/webinars/topics/shown-topic/" in body
    assert draft.get_absolute_url() not in body
    assert "hidden-topic" not in body
