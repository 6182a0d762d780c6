"""A replay without a signed release is never public (issue 17 item 4).

A held, published webinar with a replay address whose speakers have not all signed
the release; every page, feed and index that names the webinar is fetched by
everyone, the committee included, and none shows or links the replay. Once the
speaker signs, the same pages show it (so the test can fail); a refusal hides it
again.
"""

import pytest
from django.core.cache import cache

from tests.factories.community import PersonFactory
from tests.factories.webinars import SpeakerNominationFactory, TopicFactory, WebinarFactory
from webinars.enums import NominationStatus
from webinars.models import SpeakerInvitation, Webinar
from webinars.services import webinar_create_from_nomination, webinar_reindex
from webinars.speakers import invitation_release, invitation_respond, speaker_invite

pytestmark = pytest.mark.django_db

VIDEO = "RelVid12345"
REPLAY = f"https://www.youtube.com/watch?v={VIDEO}"


@pytest.fixture
def invitation(personas):
    """The speaker's path up to the replay: invited, accepted, release not yet answered."""
    nomination = SpeakerNominationFactory(
        nominee_name="Rhea Releaseless",
        email="rhea@example.org",
        proposed_title="Unreleased talk",
        status=NominationStatus.ACCEPTED,
    )
    webinar = webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    nomination.refresh_from_db()
    invitation = speaker_invite(nomination=nomination, by=personas.webinar_committee)
    invitation_respond(invitation=invitation, accept=True, talk_title="T", abstract="A", bio="B")
    speaker = webinar.speaker_slots.get().person
    host = PersonFactory(name="Hugo Host", slug="hugo-host")
    topic = TopicFactory(name="Release topic", slug="release-topic")
    Webinar.objects.filter(pk=webinar.pk).update(
        slug="unreleased-talk",
        start_at=WebinarFactory.start_at,
        is_published=True,
        replay_url=REPLAY,
        host=host,
    )
    webinar.topics.set([topic])
    webinar.refresh_from_db()
    type(speaker).objects.filter(pk=speaker.pk).update(slug="rhea-releaseless")
    webinar_reindex(webinar_ids=[webinar.pk])
    return SpeakerInvitation.objects.get(pk=invitation.pk)


PAGES = [
    "/webinars/unreleased-talk/",
    "/webinars/unreleased-talk/calendar.ics",
    "/webinars/",
    "/webinars/?year=2020",
    "/webinars/feed.ics",
    "/webinars/feed.atom",
    "/webinars/speakers.json?q=rhea",
    "/webinars/topics/release-topic/",
    "/sitemap.xml",
    "/search/?q=Unreleased",
    "/people/rhea-releaseless/",
    "/people/hugo-host/",
    "/",
]


def _shown(client) -> list[str]:
    """The pages that show or link the replay (its video id, or the Replay badge)."""
    shown = []
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if VIDEO in body or ">Replay<" in body:
            shown.append(url)
    return shown


def test_a_replay_without_a_signed_release_is_never_public(
    invitation, personas, client_for, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    webinar = invitation.webinar
    assert Webinar.objects.replay_public().filter(pk=webinar.pk).exists() is False
    assert webinar.video is None
    for who in (None, personas.member, personas.webinar_committee, personas.staff):
        assert _shown(client_for(who)) == []

    # Refused: still private.
    invitation_release(invitation=invitation, signed=False, name="Rhea Releaseless")
    cache.clear()
    assert _shown(client_for(None)) == []

    # Signed: the pages that show replays now do (the check above can fail).
    invitation_release(invitation=invitation, signed=True, name="Rhea Releaseless")
    cache.clear()
    webinar.refresh_from_db()
    assert webinar.replay_is_public
    assert Webinar.objects.replay_public().filter(pk=webinar.pk).exists()
    assert set(_shown(client_for(None))) >= {"/webinars/unreleased-talk/", "/webinars/"}

    # Refused again (a later change of mind): private again, at once.
    invitation_release(invitation=invitation, signed=False, name="Rhea Releaseless")
    cache.clear()
    assert _shown(client_for(None)) == []


def test_the_committee_cannot_record_a_release_in_the_webinar_form(
    invitation, client_for, personas
):
    webinar = invitation.webinar
    page = client_for(personas.webinar_committee).get(
        f"/admin/webinars/webinar/{webinar.pk}/change/"
    )
    body = page.content.decode()
    assert 'name="replay_released_at"' not in body
    assert 'name="release_text"' in body
    assert "not every speaker who accepted has signed" in body
