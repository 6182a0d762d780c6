import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gds_portal.pagecache import cached_fragment
from tests.factories.community import PersonFactory
from tests.factories.webinars import FUTURE, TopicFactory, WebinarFactory, add_participants
from webinars import figures
from webinars.models import Webinar, WebinarSpeaker

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
    assert titles("speaker=ada") == ["Ada talk"]  # a speaker's slug, as older links carry
    assert titles("topic=deep-learning&year=2029") == ["DL 2029"]
    # An unknown value is ignored rather than breaking the page.
    assert titles("topic=nope&year=abc") == ["Ada talk", "Other 2029", "DL 2029", "DL 2028"]


def test_year_menu_spans_the_series_and_odd_years_do_no_harm(client):
    WebinarFactory(title="First", start_at=datetime(2019, 6, 1, tzinfo=UTC))
    WebinarFactory(title="Last", start_at=datetime(2022, 6, 1, tzinfo=UTC))
    WebinarFactory(title="Draft", start_at=datetime(2030, 6, 1, tzinfo=UTC), is_published=False)
    html = client.get("/webinars/", {"year": "2020"}).content.decode()
    menu = re.search(r'<select[^>]*id="id_year">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\d*)"( selected)?>', menu) == [
        ("", ""),
        ("2022", ""),
        ("2021", ""),
        ("2020", " selected"),
        ("2019", ""),
    ]

    def titles(year):
        response = client.get("/webinars/", {"year": year})
        assert response.status_code == 200
        return _titles(response, "page")

    assert titles("2020") == []  # a year without webinars: none listed
    assert titles("1850") == []
    for ignored in ("99999", "0", "-1", "20x"):
        assert titles(ignored) == ["Last", "First"]


def test_archive_is_paginated_and_keeps_filters_in_page_links(client):
    topic = TopicFactory(slug="t")
    for day in range(13):
        WebinarFactory(topics=[topic], start_at=datetime(2020, 1, 1 + day, tzinfo=UTC))
    response = client.get("/webinars/?topic=t")
    assert len(response.context["page"].object_list) == 12
    assert b'href="?topic=t&amp;page=2"' in response.content
    second = client.get("/webinars/?topic=t&page=2")
    assert len(second.context["page"].object_list) == 1
    assert b'href="?topic=t&amp;page=1"' in second.content  # "Newer"
    assert b"page=3" not in second.content  # no "Older": this was the last page


@pytest.mark.parametrize("page", ["999", "0", "-4", "abc", "9" * 40])
def test_any_page_number_answers_without_error(client, page):
    WebinarFactory(title="Only one")
    response = client.get("/webinars/", {"page": page})
    assert response.status_code == 200
    shown = _titles(response, "page")
    assert shown == (["Only one"] if page in {"0", "-4", "abc"} else [])


# --- The speaker box: typed names, slugs from links, suggestions -----------------------


@pytest.fixture
def speakers():
    people = {
        "ada": PersonFactory(name="Ada Lovelace", slug="ada-lovelace"),
        "ada2": PersonFactory(name="Ada Lovelace", slug="ada-lovelace-2"),
        "grace": PersonFactory(name="Grace Hopper", slug="grace-hopper"),
        "xu": PersonFactory(name="Wei Xu", slug="wei-xu"),
        "author": PersonFactory(name="Ada Author", slug="ada-author"),  # never spoke
        "drafted": PersonFactory(name="Ada Draft", slug="ada-draft"),  # only at a draft
    }
    WebinarFactory(
        title="Engines", speakers=[people["ada"]], start_at=datetime(2021, 5, 1, tzinfo=UTC)
    )
    WebinarFactory(
        title="Engines II", speakers=[people["ada2"]], start_at=datetime(2021, 4, 1, tzinfo=UTC)
    )
    WebinarFactory(
        title="Compilers",
        speakers=[people["grace"], people["xu"]],
        start_at=datetime(2021, 3, 1, tzinfo=UTC),
    )
    WebinarFactory(title="Draft", speakers=[people["drafted"]], is_published=False)
    return people


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ada Lovelace", ["Engines", "Engines II"]),  # both people of that name
        ("ada lov", ["Engines", "Engines II"]),  # the start of each word, any case
        ("LOVELACE", ["Engines", "Engines II"]),
        ("hopper", ["Compilers"]),
        ("Xu", ["Compilers"]),  # two letters are enough for a short name
        ("grace ada", []),  # every word must match the same speaker
        ("velace", []),  # the start of a word, not its middle
        ("Ada Author", []),  # wrote for the newsletter, never spoke
        ("Ada Draft", []),  # spoke only at an unpublished webinar
        ("ada-lovelace-2", ["Engines II"]),  # a slug picks exactly that speaker
        ("'); drop table x; --", []),  # punctuation is not query syntax
        ("a:* | !b & <->", []),
    ],
)
def test_speaker_box_matches_the_words_of_speakers_names(client, speakers, typed, expected):
    response = client.get("/webinars/", {"speaker": typed})
    assert response.status_code == 200
    assert _titles(response, "page") == expected


def test_speaker_box_says_what_it_matched(client, speakers):
    html = client.get("/webinars/", {"speaker": "ada lov"}).content.decode()
    assert (
        "Webinars with 2 speakers whose name matches “ada lov”: Ada Lovelace, Ada Lovelace." in html
    )
    assert 'value="ada lov"' in html
    html = client.get("/webinars/", {"speaker": "nobody"}).content.decode()
    assert "No speaker's name matches “nobody”." in html
    html = client.get("/webinars/", {"speaker": "ada-lovelace"}).content.decode()
    assert 'Webinars with <a href="/people/ada-lovelace/">Ada Lovelace</a>.' in html
    assert 'value="Ada Lovelace"' in html  # the box shows the name, not the slug


def test_speaker_box_takes_at_most_fifty_speakers_and_says_so(client):
    for i in range(51):
        WebinarFactory(speakers=[PersonFactory(name=f"Zed Number{i:02}")])
    response = client.get("/webinars/", {"speaker": "zed"})
    match = response.context["filters"].speaker
    assert (len(match.people), match.more) == (50, True)
    assert [p.name for p in match.people][-1] == "Zed Number49"  # the first 50 by name
    assert "More than 50 speakers' names match “zed”" in response.content.decode()


def test_cards_link_speakers_to_their_webinars(client, speakers):
    html = client.get("/webinars/").content.decode()
    link = (
        '<a class="webinar-speaker" href="/webinars/?speaker=grace-hopper" '
        'aria-label="Webinars with Grace Hopper">Grace Hopper</a>'
    )
    assert link in html
    assert _titles(client.get("/webinars/?speaker=grace-hopper"), "page") == ["Compilers"]


def test_speaker_filter_combines_with_the_others(client, speakers):
    WebinarFactory(title="Ada panel", kind="panel", speakers=[speakers["ada"]])
    assert _titles(client.get("/webinars/?speaker=ada+lovelace&kind=panel"), "page") == [
        "Ada panel"
    ]
    assert _titles(client.get("/webinars/?speaker=ada+lovelace&year=2021"), "page") == [
        "Engines",
        "Engines II",
    ]


def _suggested(client, q) -> list:
    response = client.get("/webinars/speakers.json", {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["speakers"]


def test_suggestions_name_published_speakers_only_ordered_by_name(client, speakers):
    assert _suggested(client, "ada") == [
        {
            "name": "Ada Lovelace",
            "affiliation": speakers["ada"].affiliation,
            "slug": "ada-lovelace",
        },
        {
            "name": "Ada Lovelace",
            "affiliation": speakers["ada2"].affiliation,
            "slug": "ada-lovelace-2",
        },
    ]
    assert [s["name"] for s in _suggested(client, "gr ho")] == ["Grace Hopper"]
    assert [s["name"] for s in _suggested(client, "xu")] == ["Wei Xu"]


@pytest.mark.parametrize("q", ["", "a", " a ", "'", "!!", "x" * 5000])
def test_suggestions_need_two_letters_and_survive_anything(client, speakers, q):
    assert _suggested(client, q) == []


def test_suggestions_are_at_most_ten(client):
    for i in range(12):
        WebinarFactory(speakers=[PersonFactory(name=f"Yara Number{i:02}")])
    names = [s["name"] for s in _suggested(client, "yara")]
    assert names == [f"Yara Number{i:02}" for i in range(10)]


def test_suggestions_may_be_cached_by_the_browser(client, speakers):
    response = client.get("/webinars/speakers.json", {"q": "ada"})
    assert "max-age=300" in response["Cache-Control"]


@time_machine.travel(NOW, tick=False)
def test_series_numbers_are_computed_from_held_webinars(client):
    a, b = PersonFactory(), PersonFactory()
    add_participants(WebinarFactory(start_at=NOW - timedelta(days=9), speakers=[a, b]), range(100))
    # 50 people at the second, 20 of whom came to the first too: distinct people, not a sum.
    add_participants(WebinarFactory(start_at=NOW - timedelta(days=5), speakers=[a]), range(80, 130))
    upcoming = WebinarFactory(start_at=NOW + timedelta(days=5), speakers=[PersonFactory()])
    add_participants(upcoming, range(1000, 1999))
    add_participants(WebinarFactory(start_at=NOW - timedelta(days=5), is_cancelled=True), [2001])
    add_participants(WebinarFactory(start_at=NOW - timedelta(days=5), is_published=False), [2002])

    numbers = client.get("/webinars/").context["numbers"]
    assert (numbers["webinars"], numbers["speakers"], numbers["registrants"]) == (2, 2, 130)


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
    speaker = PersonFactory(name="Budget Speaker")
    _webinars_with_people(n, topic, NOW - timedelta(days=90))
    for webinar in Webinar.objects.filter(start_at__lt=NOW - timedelta(days=60)):
        WebinarSpeaker.objects.create(webinar=webinar, person=speaker)
    client.get("/webinars/")  # warm caches (content types, site settings, series numbers)
    # Filter options 2, upcoming 1, archive 1, their speakers and topics 2, series numbers 3
    # (the tests run with the page cache off, so the cached fragments are counted each time).
    with django_assert_num_queries(9):
        client.get("/webinars/")
    with django_assert_num_queries(9):
        client.get("/webinars/?topic=q&kind=talk")
    with django_assert_num_queries(10):  # + the speakers the box names
        response = client.get("/webinars/?speaker=budget")
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [1, 3])
def test_suggestions_query_budget(client, django_assert_num_queries, n):
    for i in range(n):
        WebinarFactory(speakers=[PersonFactory(name=f"Budget Person{i}")])
    with django_assert_num_queries(1):
        assert len(_suggested(client, "budget")) == n


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


@time_machine.travel(NOW, tick=False)
def test_a_day_long_webinar_is_upcoming_until_it_ends(client):
    # The upcoming query only looks at webinars that started within the longest duration
    # allowed (a day, so it can use the start index; bench/plans.py checks that it does):
    # a webinar that long still shows until its last minute, and not after.
    day = timedelta(hours=24)
    WebinarFactory(title="Marathon", start_at=NOW - day + timedelta(minutes=1), duration=day)
    WebinarFactory(title="Ended", start_at=NOW - day, duration=day)
    WebinarFactory(title="Tomorrow", start_at=NOW + timedelta(days=1))
    response = client.get("/webinars/")
    assert _titles(response, "upcoming") == ["Marathon", "Tomorrow"]
    assert _titles(response, "page") == ["Ended"]


def test_only_reading_pages_are_marked_public():
    from django.urls import resolve

    from gds_portal.access import is_public

    public = [
        "/webinars/",
        "/webinars/x/",
        "/webinars/x/calendar.ics",
        "/webinars/topics/x/",
        "/webinars/feed.ics",
        "/webinars/feed.atom",
        "/webinars/nominate/",
        "/webinars/speakers.json",
    ]
    private = [
        "/webinars/nominate/speaker/",
        "/webinars/nominate/topic/1/",
        "/webinars/nominate/host/1/withdraw/",
        "/webinars/committee/participation/",
    ]
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


# --- The archive and the caches: the filter form keeps it cacheable; the figures are shared


@pytest.mark.parametrize("query", ["", "?topic=q&year=2029&kind=talk&speaker=ada"])
def test_archive_with_its_filter_form_is_served_from_the_page_cache(client, settings, query):
    """The filter is a GET form: a CSRF token in it would keep the page out of the cache."""
    settings.PAGE_CACHE_SECONDS = 60
    WebinarFactory(topics=[TopicFactory(slug="q")])
    first = client.get(f"/webinars/{query}")
    assert b"csrfmiddlewaretoken" not in first.content
    assert client.get(f"/webinars/{query}")["X-Page-Cache"] == "hit"


def test_series_numbers_are_counted_once_for_every_member(client_for, personas, settings):
    """Members share the counted figures: in the page they share (issue 20), and in a
    cached fragment when a page is rendered for one member."""
    settings.PAGE_CACHE_SECONDS = 60
    add_participants(WebinarFactory(speakers=[PersonFactory()]), range(12))
    member, other = client_for(personas.member), client_for(personas.other_member)
    assert member.get("/webinars/")["X-Page-Cache"] == "member-miss"  # counts, stores
    with CaptureQueriesContext(connection) as captured:
        page = other.get("/webinars/")
    assert page["X-Page-Cache"] == "member-hit"
    body = page.content.decode()
    for name, value in (("webinars", 1), ("speakers", 1), ("registrants", 12)):
        assert f'data-testid="numbers-{name}">{value}</dd>' in body
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"]]  # not recounted
    # A page rendered for one member alone reads the same fragment, counted once.
    with CaptureQueriesContext(connection) as captured:
        numbers = cached_fragment("webinars:series-figures", figures.series_numbers)
    assert (numbers["webinars"], numbers["speakers"], numbers["registrants"]) == (1, 1, 12)
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"]]
