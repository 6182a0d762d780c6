import io

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from elections import demo
from elections.models import Candidacy, Election, HandoverNote, Office, Term, Voter
from elections.services.voting import voting_is_open

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently_with_the_seed_officers_and_an_open_vote(client):
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    counts = [Office.objects.count(), Term.objects.count(), Candidacy.objects.count()]
    demo.load(io.StringIO())  # a second run changes nothing
    assert [Office.objects.count(), Term.objects.count(), Candidacy.objects.count()] == counts
    assert HandoverNote.objects.count() == 1

    labels = sorted(str(term) for term in Term.objects.select_related("office", "person"))
    assert "Founding chair: Mohammad Soltanieh-ha" in labels
    assert "Chair 2020\u20132021: Jie Ren" in labels
    assert "Newsletter Editor 2020: Kyle Wm. Hall" in labels
    text = client.get("/elections/officers/").content.decode()
    assert "Founding chair: <a" in text and "Jie Ren</a>" in text

    election = Election.objects.get(slug="fall-2020")
    assert voting_is_open(election)
    assert Candidacy.objects.on_ballot().count() == 3
    assert all("Demo data" in c.statement for c in Candidacy.objects.all())
    member = User.objects.get(email="member@demo.gds.example.org")
    assert Voter.objects.filter(election=election, user=member, has_voted=False).exists()
    assert election.roll_size == Voter.objects.filter(election=election).count()
