"""The join link reaches confirmed registrants only (issue 17, item 1).

A webinar with a join link, a speaker, a host and a topic, and registrants in every
state; every public page, feed and index that names the webinar is fetched by
people who may not see the link, with the shared page cache on, before and after a
registrant has looked at their own page.
"""

import pytest
from django.core.cache import cache

from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.webinars import FUTURE, TopicFactory, WebinarFactory
from webinars.registration import registration_guest, registration_member
from webinars.services import webinar_reindex

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/j/secret-room-4711"
SECRET = "secret-room-4711"


@pytest.fixture
def webinar(personas):
    speaker = PersonFactory(name="Sally Speaker", slug="sally-speaker")
    host = PersonFactory(name="Hal Host", slug="hal-host")
    topic = TopicFactory(name="Registration topic", slug="registration-topic")
    webinar = WebinarFactory(
        title="Joinable webinar",
        slug="joinable-webinar",
        start_at=FUTURE,
        join_url=JOIN,
        capacity=1,
        host=host,
        topics=[topic],
        speakers=[speaker],
    )
    webinar_reindex(webinar_ids=[webinar.pk])
    registration_member(webinar=webinar, user=personas.member)  # the one place
    registration_member(webinar=webinar, user=UserFactory(email="wait@example.org"))
    registration_guest(webinar=webinar, name="Pending Pat", email="pat@example.org")
    return webinar


def _pages(webinar) -> list[str]:
    return [
        webinar.get_absolute_url(),
        f"/webinars/{webinar.slug}/register/",
        f"/webinars/{webinar.slug}/register/sent/",
        f"/webinars/{webinar.slug}/calendar.ics",
        "/webinars/",
        "/webinars/feed.ics",
        "/webinars/feed.atom",
        "/webinars/topics/registration-topic/",
        "/sitemap.xml",
        "/search/?q=Joinable",
        "/search/?q=secret-room",
        "/people/sally-speaker/",
        "/people/hal-host/",
        "/",
    ]


def _assert_no_join_link(client, webinar):
    for url in _pages(webinar):
        response = client.get(url, follow=True)  # a member's GET of the form: the page
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url


def test_no_anonymous_or_non_registrant_response_has_the_join_link(
    webinar, personas, client_for, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    waiting = UserFactory(email="wait2@example.org")
    registration_member(webinar=webinar, user=waiting)
    unverified = personas.unverified
    for who in (None, personas.other_member, waiting, unverified, personas.webinar_committee):
        _assert_no_join_link(client_for(who), webinar)

    # The registrant sees it on their own page; the next anonymous reader still does not,
    # from the cache or afresh.
    own = client_for(personas.member).get(webinar.get_absolute_url())
    assert JOIN in own.content.decode()
    assert "private" in own["Cache-Control"]
    _assert_no_join_link(client_for(None), webinar)


def test_the_registrants_page_is_never_stored_for_others(webinar, personas, client_for, settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    member = client_for(personas.member)
    # The member's session cookie keeps the page out of the shared cache; a copy of the
    # anonymous page served afterwards is the anonymous one.
    assert JOIN in member.get(webinar.get_absolute_url()).content.decode()
    anonymous = client_for(None)
    first = anonymous.get(webinar.get_absolute_url())
    second = anonymous.get(webinar.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert SECRET not in first.content.decode() + second.content.decode()
