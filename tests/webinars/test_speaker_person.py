"""A nominee matched to a person of another name is the committee's to resolve (issue 17
item 4): the nominator who typed their own ORCID iD never becomes the speaker."""

import html

import pytest
from django.core.exceptions import ValidationError

from tests.factories.community import PersonFactory
from tests.factories.webinars import SpeakerNominationFactory
from webinars.enums import NominationStatus, SpeakerPersonChoice
from webinars.models import Webinar
from webinars.services import (
    nomination_choose_speaker_person,
    nominee_person_conflict,
    webinar_create_from_nomination,
)

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"


@pytest.fixture
def nominators_profile(personas):
    return PersonFactory(name="Mia Member", orcid=ORCID, user=personas.member)


def _nomination(personas, nominee_name="Nora Nominee"):
    return SpeakerNominationFactory(
        nominator=personas.member,
        nominee_name=nominee_name,
        orcid=ORCID,
        email="",
        status=NominationStatus.ACCEPTED,
    )


def _speaker(webinar):
    return webinar.speaker_slots.get().person


def test_a_match_of_another_name_blocks_the_draft_until_resolved(personas, nominators_profile):
    nomination = _nomination(personas)
    assert nominee_person_conflict(nomination) == nominators_profile
    with pytest.raises(ValidationError, match="belongs to “Mia Member”, not “Nora Nominee”"):
        webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    assert Webinar.objects.count() == 0

    nomination_choose_speaker_person(
        nomination=nomination, choice=SpeakerPersonChoice.NEW_PERSON, by=personas.webinar_committee
    )
    nomination.refresh_from_db()
    webinar = webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    speaker = _speaker(webinar)
    assert speaker != nominators_profile
    assert (speaker.name, speaker.orcid, speaker.user_id) == ("Nora Nominee", "", None)


def test_the_committee_may_use_the_matched_person(personas):
    matched = PersonFactory(name="Nora N. Nominee-Smith", orcid=ORCID)
    nomination = _nomination(personas)
    nomination_choose_speaker_person(
        nomination=nomination, choice=SpeakerPersonChoice.USE_MATCH, by=personas.webinar_committee
    )
    nomination.refresh_from_db()
    webinar = webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    assert _speaker(webinar) == matched


def test_the_nominators_own_profile_is_in_doubt_even_under_the_same_name(
    personas, nominators_profile
):
    nomination = _nomination(personas, nominee_name="Mia Member")
    assert nominee_person_conflict(nomination) == nominators_profile
    nomination.is_self_nomination = True
    assert nominee_person_conflict(nomination) is None  # nominating oneself: it is them


def test_a_match_of_the_same_name_is_used_without_asking(personas):
    matched = PersonFactory(name="nora  NOMINEE", orcid=ORCID)
    nomination = _nomination(personas)
    assert nominee_person_conflict(nomination) is None
    webinar = webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    assert _speaker(webinar) == matched


def test_only_the_committee_resolves_a_match(personas):
    nomination = _nomination(personas)
    with pytest.raises(ValidationError):
        nomination_choose_speaker_person(
            nomination=nomination, choice=SpeakerPersonChoice.USE_MATCH, by=personas.member
        )


def test_the_admin_warns_and_its_actions_resolve(personas, nominators_profile, client_for):
    nomination = _nomination(personas)
    client = client_for(personas.webinar_committee)
    url = f"/admin/webinars/speakernomination/{nomination.pk}/change/"
    page = html.unescape(client.get(url).content.decode())
    assert "Warning: The nominee's email or ORCID iD belongs to “Mia Member”" in page
    response = client.post(
        "/admin/webinars/speakernomination/",
        {"action": "new_person_for_nominee", "_selected_action": [nomination.pk]},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.speaker_person == SpeakerPersonChoice.NEW_PERSON
    assert (
        "Create a new person for the nominee (matched: Mia Member)"
        in client.get(url).content.decode()
    )
