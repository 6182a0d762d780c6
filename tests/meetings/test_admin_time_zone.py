"""Admin date-times of a meeting are typed and shown in the meeting's own time zone,
labelled with it (issue 16, item 8): 12:00 for a meeting in America/Chicago is 12:00 in
Chicago (18:00 UTC in winter), not 12:00 UTC (06:00 in Chicago).

Persona: program_committee curates meetings in the admin.
"""

from datetime import UTC, datetime

import pytest

from meetings.models import DeadlineExtension, Meeting
from tests.admin_post import admin_form_post
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

WINTER_NOON_IN_CHICAGO = datetime(2027, 1, 15, 18, 0, tzinfo=UTC)


@pytest.fixture
def chicago():
    return MeetingFactory(
        slug="chicago-2027",
        time_zone="America/Chicago",
        call_opens_at=datetime(2026, 11, 1, 15, 0, tzinfo=UTC),
        call_closes_at=datetime(2027, 2, 1, 15, 0, tzinfo=UTC),
    )


def _url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def test_typed_noon_is_noon_in_the_meetings_zone_and_shown_back(personas, client_for, chicago):
    client = client_for(personas.program_committee)
    data = admin_form_post(
        client,
        _url(chicago),
        call_closes_at_0="2027-01-15",
        call_closes_at_1="12:00:00",
        nominations_open_at_0="2026-12-01",
        nominations_open_at_1="09:30:00",
        nominations_close_at_0="2027-01-15",
        nominations_close_at_1="12:00:00",
    )
    response = client.post(_url(chicago), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    chicago.refresh_from_db()
    assert chicago.call_closes_at == WINTER_NOON_IN_CHICAGO
    assert chicago.nominations_close_at == WINTER_NOON_IN_CHICAGO
    assert chicago.nominations_open_at == datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    # Shown back as typed, with the zone in the label; the other times unchanged.
    page = client.get(_url(chicago)).content.decode()
    assert 'name="call_closes_at_1" value="12:00:00"' in page
    assert 'name="call_opens_at_1" value="09:00:00"' in page  # 15:00 UTC, 09:00 CST
    assert "Call closes at (America/Chicago)" in page
    assert "Nominations open at (America/Chicago)" in page


def test_changing_the_zone_reads_the_times_in_the_new_zone(personas, client_for, chicago):
    client = client_for(personas.program_committee)
    data = admin_form_post(
        client,
        _url(chicago),
        time_zone="Europe/Berlin",
        call_closes_at_0="2027-01-15",
        call_closes_at_1="12:00:00",
    )
    assert client.post(_url(chicago), data).status_code == 302
    chicago.refresh_from_db()
    assert chicago.call_closes_at == datetime(2027, 1, 15, 11, 0, tzinfo=UTC)


def test_a_new_meeting_takes_the_zone_it_is_given(personas, client_for):
    client = client_for(personas.program_committee)
    data = admin_form_post(
        client,
        "/admin/meetings/meeting/add/",
        name="Chicago Meeting",
        slug="chicago-new",
        kind="march",
        year="2027",
        starts_on="2027-03-01",
        ends_on="2027-03-05",
        time_zone="America/Chicago",
        call_opens_at_0="2026-11-01",
        call_opens_at_1="09:00:00",
        call_closes_at_0="2027-01-15",
        call_closes_at_1="12:00:00",
    )
    response = client.post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Meeting.objects.get(slug="chicago-new").call_closes_at == WINTER_NOON_IN_CHICAGO


def test_a_bad_zone_is_refused_with_a_message(personas, client_for, chicago):
    client = client_for(personas.program_committee)
    data = admin_form_post(client, _url(chicago), time_zone="Mars/Olympus")
    response = client.post(_url(chicago), data)
    assert response.status_code == 200
    assert "is not a time zone name such as America/New_York" in response.content.decode()
    chicago.refresh_from_db()
    assert chicago.time_zone == "America/Chicago"


def test_list_and_extensions_show_the_meetings_zone(personas, client_for, chicago):
    extension = DeadlineExtension.objects.create(
        meeting=chicago, member=personas.member, closes_at=WINTER_NOON_IN_CHICAGO
    )
    client = client_for(personas.program_committee)
    listing = client.get("/admin/meetings/meeting/").content.decode()
    assert "1 Feb 2027, 09:00 America/Chicago" in listing  # the call's close, 15:00 UTC
    extensions = client.get("/admin/meetings/deadlineextension/").content.decode()
    assert "15 Jan 2027, 12:00 America/Chicago" in extensions
    url = f"/admin/meetings/deadlineextension/{extension.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="closes_at_1" value="12:00:00"' in page
    assert "Closes at (America/Chicago)" in page
    # A new extension's meeting is not chosen yet: the label says whose zone it will be.
    add = client.get("/admin/meetings/deadlineextension/add/").content.decode()
    assert "Closes at (the chosen meeting&#x27;s time zone)" in add
    # The inline on the meeting's page too.
    assert (
        'name="extensions-0-closes_at_1" value="12:00:00"'
        in client.get(_url(chicago)).content.decode()
    )


def test_a_new_extension_is_read_in_its_meetings_zone(personas, client_for, chicago):
    client = client_for(personas.program_committee)
    url = "/admin/meetings/deadlineextension/add/"
    data = admin_form_post(
        client,
        url,
        meeting=str(chicago.pk),
        member=str(personas.member.pk),
        closes_at_0="2027-01-15",
        closes_at_1="12:00:00",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DeadlineExtension.objects.get().closes_at == WINTER_NOON_IN_CHICAGO
