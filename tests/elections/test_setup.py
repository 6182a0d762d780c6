"""Election set-up by the executive committee, and the voter roll frozen at voting open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from elections.models import Election, Voter
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from tests.factories.accounts import UserFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    ElectionFactory,
    OfficeFactory,
    election_with_slate,
)

pytestmark = pytest.mark.django_db


def _admin_form(office, **changes) -> dict:
    now = timezone.now()
    data = {
        "title": "Fall 2030 election",
        "slug": "fall-2030",
        "description": "",
        "is_announced": "on",
        "tracker_policy": "list_only",
        "tie_rule": "backwards-then-lot",
        "nominations_open_at_0": (now + timedelta(days=1)).strftime("%Y-%m-%d"),
        "nominations_open_at_1": "09:00:00",
        "nominations_close_at_0": (now + timedelta(days=20)).strftime("%Y-%m-%d"),
        "nominations_close_at_1": "17:00:00",
        "voting_open_at_0": (now + timedelta(days=30)).strftime("%Y-%m-%d"),
        "voting_open_at_1": "09:00:00",
        "voting_close_at_0": (now + timedelta(days=44)).strftime("%Y-%m-%d"),
        "voting_close_at_1": "17:00:00",
        "eligibility_cutoff": (now + timedelta(days=25)).strftime("%Y-%m-%d"),
        "term_starts_on": "2031-04-01",
        "term_ends_on": "2032-03-31",
        "contests-TOTAL_FORMS": "1",
        "contests-INITIAL_FORMS": "0",
        "contests-MIN_NUM_FORMS": "0",
        "contests-MAX_NUM_FORMS": "1000",
        "contests-0-order": "1",
        "contests-0-office": str(office.pk),
        "contests-0-seats": "2",
        "contests-0-rule": "ranked",
        "contests-0-max_marks": "",
    }
    data.update(changes)
    return data


def test_executive_committee_sets_up_an_election_in_the_admin(client_for, personas):
    office = OfficeFactory(name="Member-at-Large", seats=3, roles=[Role.EXECUTIVE_COMMITTEE])
    client = client_for(personas.executive)
    response = client.post("/admin/elections/election/add/", _admin_form(office))
    assert response.status_code == 302, response.content.decode()[:3000]
    election = Election.objects.get(slug="fall-2030")
    assert list(election.contests.values_list("office__name", "seats", "rule")) == [
        ("Member-at-Large", 2, "ranked")
    ]
    assert election.roll_frozen_at is None


def test_windows_out_of_order_are_refused(client_for, personas):
    office = OfficeFactory()
    client = client_for(personas.executive)
    data = _admin_form(office, voting_close_at_0="2000-01-01")
    response = client.post("/admin/elections/election/add/", data)
    assert response.status_code == 200
    assert "in order" in response.content.decode()
    assert not Election.objects.exists()


def test_other_committees_cannot_set_up_elections(client_for, personas):
    office = OfficeFactory()
    for user in (personas.member, personas.webinar_committee, personas.program_committee):
        response = client_for(user).post("/admin/elections/election/add/", _admin_form(office))
        assert response.status_code in (302, 403)
    assert not Election.objects.exists()


def test_roll_freezes_at_voting_open_with_eligible_members_only():
    election = ElectionFactory(
        voting_open_at=timezone.now() + timedelta(hours=1), slate_approved_at=timezone.now()
    )
    member = UserFactory()
    CandidacyFactory(contest=ContestFactory(election=election), user=member)
    UserFactory(verified=False)  # not verified: not eligible
    UserFactory(is_active=False)  # not in good standing
    late = UserFactory()
    late.date_joined = timezone.now() + timedelta(days=2)  # joined after the cut-off
    late.save()
    assert roll_freeze(election=election) is False  # voting has not opened yet
    assert elections_tick(now=election.voting_open_at + timedelta(minutes=1)).done == [
        f"{election.slug}: voter roll frozen"
    ]
    election.refresh_from_db()
    assert list(Voter.objects.filter(election=election).values_list("user", flat=True)) == [
        member.pk
    ]
    assert election.roll_size == 1
    UserFactory()  # joins after the freeze
    assert roll_freeze(election=election, now=election.voting_open_at + timedelta(hours=2)) is False
    assert Voter.objects.filter(election=election).count() == 1


def test_roll_size_is_shown_and_rules_are_fixed_once_frozen(client_for, personas, client):
    election, _contest, _slate = election_with_slate()
    assert roll_freeze(election=election) is True
    election.refresh_from_db()
    page = client.get(election.get_absolute_url()).content.decode()
    assert f'data-testid="roll-size">{election.roll_size}<' in page
    admin_page = client_for(personas.executive).get(
        f"/admin/elections/election/{election.pk}/change/"
    )
    text = admin_page.content.decode()
    assert 'name="voting_close_at_0"' not in text  # read-only once the roll is frozen
    assert 'name="contests-0-seats"' not in text  # the offices are shown, fixed
