"""The Program committee's side, nominations: members nominate invited speakers, the
committee triages them (tests/meetings/test_committee.py has reviews and decisions).

Personas: member nominates speakers and must never see the committee's flags;
program_committee reads them, in aggregates that suppress small counts.
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gds_portal.models import OutboundEmail
from meetings.enums import NominationStatus, SessionOwnership
from meetings.models import InvitedSession, InvitedTalk
from meetings.selectors.nominations import nomination_aggregates, nominations_for_committee
from meetings.services.invited_sessions import invited_session_save
from meetings.services.nominations import NominationData, nomination_create
from tests.factories.community import PersonFactory
from tests.factories.meetings import (
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


# --- Nominations -------------------------------------------------------------------------

NOMINATION = {
    "nominee_name": "Nadia Nominee",
    "nominee_affiliation": "Université Exemple",
    "nominee_email": "nadia@example.org",
    "talk_title": "Learning symmetries",
    "rationale": "Opened a new field.",
    "alternate_1_name": "Alex Alternate",
    "alternate_1_affiliation": "Lab A",
    "alternate_1_email": "alex@example.org",
    "alternate_2_name": "Bea Backup",
    "alternate_2_affiliation": "Lab B",
    "nominee_is_woman": "on",
}


def _nomination(**changes) -> dict:
    """The nomination form as a browser sends it, with its own one-time token."""
    return {**NOMINATION, "token": str(uuid.uuid4()), **changes}


@pytest.fixture
def open_meeting(db):
    now = timezone.now()
    return MeetingFactory(
        nominations_open_at=now - timedelta(days=1), nominations_close_at=now + timedelta(days=5)
    )


def test_member_nominates_and_sees_public_status(personas, open_meeting, client_for):
    client = client_for(personas.member)
    response = client.post(reverse("meetings:nominate", args=[open_meeting.slug]), _nomination())
    assert response.status_code == 302
    nomination = personas.member.speaker_nominations.get()
    assert [a["name"] for a in nomination.alternates] == ["Alex Alternate", "Bea Backup"]
    assert nomination.nominee_is_woman and not nomination.nominee_is_urm
    page = client.get(reverse("meetings:my_nominations")).content.decode()
    assert "Nadia Nominee" in page
    assert "Under consideration by the Program committee" in page
    assert "woman" not in page.lower().replace("women", "")
    assert OutboundEmail.objects.count() == 0  # flags never travel by mail


def test_nomination_refused_when_closed_and_text_kept(personas, client_for):
    closed = MeetingFactory(
        nominations_open_at=timezone.now() - timedelta(days=9),
        nominations_close_at=timezone.now() - timedelta(days=1),
    )
    response = client_for(personas.member).post(
        reverse("meetings:nominate", args=[closed.slug]), _nomination()
    )
    assert response.status_code == 409
    assert "are not open" in response.content.decode()
    assert "Opened a new field." in response.content.decode()
    assert not closed.nominations.exists()


def test_alternate_without_name_is_refused_at_the_field(personas, open_meeting, client_for):
    data = _nomination(alternate_2_name="")
    response = client_for(personas.member).post(
        reverse("meetings:nominate", args=[open_meeting.slug]), data
    )
    assert "Give the alternate&#x27;s name too." in response.content.decode()
    assert not open_meeting.nominations.exists()


def test_committee_warned_about_last_years_invited_speaker(personas, open_meeting):
    last_year = MeetingFactory(
        kind=open_meeting.kind, year=open_meeting.year - 1, invited_session_slots=1
    )
    session = invited_session_save(
        session=InvitedSession(
            meeting=last_year, title="Session", ownership=SessionOwnership.CO_SPONSORED
        )
    )
    InvitedTalk.objects.create(
        session=session, title="Old talk", speaker=PersonFactory(name="Sergei Gleyzer")
    )
    data = NominationData(
        nominee_name="sergei gleyzer",
        nominee_affiliation="UA",
        nominee_email="s@example.org",
        talk_title="T",
        rationale="R",
    )
    nomination_create(meeting=open_meeting, by=personas.member, data=data, token=uuid.uuid4())
    other = NominationData(
        nominee_name="Someone Else",
        nominee_affiliation="X",
        nominee_email="x@example.org",
        talk_title="T",
        rationale="R",
    )
    nomination_create(meeting=open_meeting, by=personas.member, data=other, token=uuid.uuid4())
    rows = nominations_for_committee(meeting=open_meeting)
    assert [(n.nominee_name, [t.title for t in n.previous_talks]) for n in rows] == [
        ("sergei gleyzer", ["Old talk"]),
        ("Someone Else", []),
    ]


def test_flag_aggregates_suppress_small_counts(personas, open_meeting):
    data = {
        "nominee_affiliation": "X",
        "nominee_email": "x@example.org",
        "talk_title": "T",
        "rationale": "R",
        "nominee_is_woman": True,
    }
    for n in range(6):
        nomination_create(
            meeting=open_meeting,
            by=personas.member,
            data=NominationData(nominee_name=f"N{n}", nominee_is_urm=n < 2, **data),
            token=uuid.uuid4(),
        )
    counts = nomination_aggregates(meeting=open_meeting)
    assert counts == {
        "total": "6",
        "women": "6",
        "urm": "fewer than 5",
        "outside_us": "fewer than 5",
    }


def test_nomination_status_labels_hide_the_shortlist(db):
    assert NominationStatus.SHORTLISTED.public_label == NominationStatus.RECEIVED.public_label
    assert NominationStatus.INVITED.public_label == NominationStatus.RECEIVED.public_label


def test_admin_shows_flags_to_the_program_committee_only(personas, open_meeting, client_for):
    data = NominationData(
        nominee_name="Nadia Nominee",
        nominee_affiliation="X",
        nominee_email="n@example.org",
        talk_title="T",
        rationale="R",
        nominee_is_woman=True,
    )
    nomination = nomination_create(
        meeting=open_meeting, by=personas.member, data=data, token=uuid.uuid4()
    ).nomination
    url = f"/admin/meetings/speakernomination/{nomination.pk}/change/"
    committee = client_for(personas.program_committee).get(url).content.decode()
    superuser = client_for(personas.staff).get(url).content.decode()
    assert "nominee_is_woman" in committee
    assert "Nadia Nominee" in superuser
    assert "nominee_is_woman" not in superuser


def test_committee_page_shows_flags_to_the_program_committee_only(
    personas, open_meeting, client_for
):
    data = NominationData(
        nominee_name="Nadia Nominee",
        nominee_affiliation="X",
        nominee_email="n@example.org",
        talk_title="T",
        rationale="R",
        nominee_is_urm=True,
    )
    nomination_create(meeting=open_meeting, by=personas.member, data=data, token=uuid.uuid4())
    url = reverse("meetings:nominations", args=[open_meeting.slug])
    assert (
        "under-represented minority"
        in client_for(personas.program_committee).get(url).content.decode()
    )
    superuser = client_for(personas.staff).get(url).content.decode()
    assert "Nadia Nominee" in superuser
    assert "under-represented minority;" not in superuser
