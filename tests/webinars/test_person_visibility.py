"""A nominee drafted into a webinar stays private until the webinar is published
(issue 15, break 12).

Creating a draft webinar from an accepted nomination makes the nominee's Person.
Before, that Person's page and search hit were public at once, telling anyone who
was being considered. A Person is public only while something public names them
(community.visibility): here, a published webinar.
"""

import pytest

from tests.factories.webinars import PAST, SpeakerNominationFactory
from webinars.enums import NominationStatus
from webinars.services import webinar_create_from_nomination

pytestmark = pytest.mark.django_db

NAME = "Zephyrine Quasar"


@pytest.fixture
def draft(personas):
    nomination = SpeakerNominationFactory(
        nominee_name=NAME, email="zq@example.org", status=NominationStatus.ACCEPTED
    )
    return webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)


def _seen(client, person) -> tuple[int, bool, bool]:
    page = client.get(person.get_absolute_url())
    found = client.get("/search/", {"q": "Zephyrine"}).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    return page.status_code, person.get_absolute_url() in found, person.slug in sitemap


@pytest.mark.parametrize("who", [None, "member", "webinar_committee"])
def test_a_drafted_nominee_is_not_public(draft, personas, client_for, who):
    person = draft.speakers.get()
    client = client_for(getattr(personas, who) if who else None)
    assert _seen(client, person) == (404, False, False)


def test_publishing_the_webinar_makes_the_speaker_public(draft, client_for):
    person = draft.speakers.get()
    draft.start_at = PAST  # a draft from a nomination has no date until one is agreed
    draft.is_published = True
    draft.save()
    status, in_search, _ = _seen(client_for(None), person)
    assert (status, in_search) == (200, True)
    assert draft.title in client_for(None).get(person.get_absolute_url()).content.decode()
