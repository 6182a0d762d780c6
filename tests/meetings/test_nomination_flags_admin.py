"""The voluntary flags of speaker nominations are never a filter (issue 15, break 12).

A superuser outside the Program committee does not see the flags, and could list
who ticked which box with `?nominee_is_woman__exact=1`. No one may: as in the
webinars admin, the flags are read one nomination at a time, by the Program
committee only, and counted only in suppressed aggregates.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.admin.invited import FLAG_FIELDS
from meetings.models import SpeakerNomination
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

URL = "/admin/meetings/speakernomination/"


@pytest.fixture
def nominations(personas):
    now = timezone.now()
    meeting = MeetingFactory(nominations_open_at=now - timedelta(days=1))

    def nominate(name, flagged):
        flags = dict.fromkeys(FLAG_FIELDS, flagged)
        return SpeakerNomination.objects.create(
            meeting=meeting,
            nominator=personas.member,
            nominee_name=name,
            nominee_affiliation="Somewhere",
            nominee_email=f"{name.lower()}@example.org",
            talk_title="A talk",
            rationale="Because.",
            **flags,
        )

    return nominate("Flagged", True), nominate("Unflagged", False)


SUFFIXES = [("__exact", "1"), ("", "True"), ("__in", "1"), ("__exact", "0")]
LOOKUPS = [f"{field}{suffix}={value}" for field in FLAG_FIELDS for suffix, value in SUFFIXES]


@pytest.mark.parametrize("role", ["staff", "program_committee"])
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_nobody_filters_nominations_by_a_voluntary_flag(
    nominations, personas, client_for, role, lookup
):
    response = client_for(getattr(personas, role)).get(f"{URL}?{lookup}")
    page = response.content.decode()
    assert response.status_code == 400
    assert ("Flagged" in page, "Unflagged" in page) == (False, False)


@pytest.mark.parametrize("role", ["staff", "program_committee"])
def test_the_list_itself_still_shows_every_nomination(nominations, personas, client_for, role):
    page = client_for(getattr(personas, role)).get(URL).content.decode()
    assert ("Flagged" in page, "Unflagged" in page) == (True, True)


def test_a_superuser_outside_the_committee_does_not_see_the_flags(
    nominations, personas, client_for
):
    flagged = nominations[0]
    page = client_for(personas.staff).get(f"{URL}{flagged.pk}/change/").content.decode()
    assert [field for field in FLAG_FIELDS if f'name="{field}"' in page] == []
    page = client_for(personas.program_committee).get(f"{URL}{flagged.pk}/change/")
    assert [f for f in FLAG_FIELDS if f'name="{f}"' in page.content.decode()] == FLAG_FIELDS
