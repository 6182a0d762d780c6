"""Query budgets: the ballot, results and ballots pages cost the same with 1 or 3 candidates."""

import pytest

from elections.services.results import results_publish
from elections.services.roll import roll_freeze
from elections.services.voting import ballot_cast
from tests.elections.scripted import close
from tests.factories.elections import election_with_slate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 3])
def test_ballot_page_query_budget(n, personas, client_for, django_assert_num_queries):
    election, _, _ = election_with_slate(candidates=n, slug="budget")
    roll_freeze(election=election)
    client = client_for(personas.member)
    client.get("/elections/budget/ballot/")  # warm the session and site configuration
    # session, user, election with contests and slate (3), the voter's roll row
    with django_assert_num_queries(BALLOT):
        assert client.get("/elections/budget/ballot/").status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_results_and_ballots_pages_query_budget(n, personas, client_for, django_assert_num_queries):
    election, contest, slate = election_with_slate(candidates=n, slug="budget")
    roll_freeze(election=election)

    for user in (personas.member, personas.other_member, personas.executive)[:n]:
        ballot_cast(election=election, user=user, marks={contest.pk: [slate[0].pk]})
    close(election)
    results_publish(election=election, by=personas.executive)
    client = client_for(personas.other_member)
    client.get("/elections/budget/results/")
    # user (the session comes from the cache), election with contests and slate (3),
    # contests with results, their slate (published results ask no rule: issue 20); the
    # ballots page: the committee-preview rule, the page of ballots and its count
    with django_assert_num_queries(RESULTS):
        assert client.get("/elections/budget/results/").status_code == 200
    client.get("/elections/budget/ballots/")
    with django_assert_num_queries(BALLOTS):
        assert client.get("/elections/budget/ballots/").status_code == 200


BALLOT = 5
RESULTS = 6
BALLOTS = 9
