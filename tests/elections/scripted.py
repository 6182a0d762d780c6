"""A scripted election, run through the pages a voter uses, then closed and counted."""

import re
from datetime import timedelta

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from elections.enums import CountingRule
from elections.models import Election
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from tests.factories.accounts import UserFactory
from tests.factories.elections import CandidacyFactory, ContestFactory, election_with_slate


def close(election: Election) -> list[str]:
    """End the voting window now and run the scheduler: seal and count."""
    Election.objects.filter(pk=election.pk).update(
        voting_close_at=timezone.now() - timedelta(seconds=1)
    )
    done = elections_tick().done
    election.refresh_from_db()
    return done


def review_then_cast(client: Client, election: Election, data: dict) -> HttpResponse:
    """Send the ballot to review, then cast it with the review page's marker, as a voter does."""
    url = f"/elections/{election.slug}/ballot/"
    review = client.post(url, {**data, "review": "1"}).content.decode()
    reviewed = re.search(r'name="reviewed" value="([^"]+)"', review)
    assert reviewed, review[:2000]
    return client.post(url, {**data, "reviewed": reviewed[1], "cast": "1"})


def cast_through_the_page(client: Client, election: Election, data: dict) -> str:
    response = review_then_cast(client, election, data)
    assert response.status_code == 200, response.content.decode()[:500]
    # From the page as the voter sees it (the test client's context list also holds
    # the receipt mail's context, whose tracker may be blank).
    return re.search(r'data-testid="tracker">([A-Z2-7-]+)<', response.content.decode())[1]


def scripted_election(*, voters: int = 5, **election_fields):
    """Two contests (vote for one; ranked for two seats), `voters` members who vote.

    Returns (election, voters, trackers in the order cast, candidates by contest).
    """
    election, plain, names = election_with_slate(candidates=3, slug="scripted", **election_fields)
    ranked = ContestFactory(election=election, rule=CountingRule.RANKED, seats=2)
    ranked_names = [CandidacyFactory(contest=ranked) for _ in range(4)]
    people = [UserFactory() for _ in range(voters)]
    roll_freeze(election=election)
    trackers = []
    for n, user in enumerate(people):
        client = Client()
        client.force_login(user)
        choice = names[[0, 0, 1, 1, 2][n % 5]]
        order = ranked_names[n % 4 :] + ranked_names[: n % 4]
        data = {f"c{plain.pk}": [str(choice.pk)]}
        data.update({f"c{ranked.pk}_r{r + 1}": str(c.pk) for r, c in enumerate(order[:3])})
        trackers.append(cast_through_the_page(client, election, data))
    return election, people, trackers, {plain: names, ranked: ranked_names}
