"""What a member sees around elections: My GDS, the home page, calendars, sitemap."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from elections.services.roll import roll_freeze
from elections.services.voting import ballot_cast
from tests.factories.elections import ElectionFactory, election_with_slate

pytestmark = pytest.mark.django_db


def _at(days: float):
    return timezone.now() + timedelta(days=days)


def test_my_gds_shows_open_nominations_and_whether_i_voted(client_for, personas):
    ElectionFactory(
        slug="nominating",
        title="Nominations now",
        nominations_open_at=_at(-1),
        nominations_close_at=_at(5),
        voting_open_at=_at(6),
        voting_close_at=_at(9),
    )
    election, contest, slate = election_with_slate(slug="voting", title="Voting now")
    roll_freeze(election=election)
    page = client_for(personas.member).get("/my/").content.decode()
    assert "Nominations now" in page and "/elections/nominating/nominate/" in page
    assert "you have not voted yet" in page
    ballot_cast(election=election, user=personas.member, marks={contest.pk: [slate[0].pk]})
    page = client_for(personas.member).get("/my/").content.decode()
    assert 'data-testid="my-vote-status">you have voted<' in page
    newcomer_page = client_for(personas.unverified).get("/my/").content.decode()
    assert "you are not on the voter roll" in newcomer_page


def test_home_page_announces_an_open_election(client):
    assert 'data-testid="home-election"' not in client.get("/").content.decode()
    ElectionFactory(slug="now", title="Fall election")
    page = client.get("/").content.decode()
    assert 'data-testid="home-election"' in page and "Fall election" in page


def test_draft_elections_are_announced_nowhere(client):
    ElectionFactory(slug="draft", title="Secret draft", is_announced=False)
    for url in ("/", "/elections/", "/elections/calendar.ics", "/sitemap.xml"):
        assert b"Secret draft" not in client.get(url).content
        assert b"/elections/draft/" not in client.get(url).content


def test_calendar_has_both_windows(client):
    election = ElectionFactory(slug="cal", title="Fall election")
    election.refresh_from_db()
    whole = {
        f: getattr(election, f).replace(microsecond=0)
        for f in (
            "nominations_open_at",
            "nominations_close_at",
            "voting_open_at",
            "voting_close_at",
        )
    }
    calendar = Calendar.from_ical(client.get("/elections/cal/calendar.ics").content)
    events = sorted(
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"))
        for e in calendar.walk("VEVENT")
    )
    assert events == [
        (
            "Nominations open: Fall election",
            whole["nominations_open_at"],
            whole["nominations_close_at"],
        ),
        ("Voting open: Fall election", whole["voting_open_at"], whole["voting_close_at"]),
    ]
    feed = Calendar.from_ical(client.get("/elections/calendar.ics").content)
    assert len(list(feed.walk("VEVENT"))) == 2


def test_sitemap_lists_the_officers_page_and_announced_elections(client):
    ElectionFactory(slug="listed")
    body = client.get("/sitemap.xml").content.decode()
    assert "/elections/officers/" in body and "/elections/listed/" in body
