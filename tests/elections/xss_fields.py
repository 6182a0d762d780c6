"""XSS corpus fields of elections (see tests/security/xss.py)."""

from datetime import date, timedelta

from django.utils import timezone

from community.models import Person
from elections.enums import CandidacyStatus
from elections.models import Candidacy, Contest, Election, HandoverNote, Office, Term
from elections.services.results import results_publish
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from elections.services.voting import ballot_cast
from tests.factories.community import PersonFactory
from tests.factories.elections import ElectionFactory


def seed(corpus) -> list[str]:
    office = Office.objects.create(
        name=corpus.text("office name", 120),
        slug="xss-office",
        description=corpus.markdown("office description"),
    )
    # (The visitor may already have a person from another app's seed: it chairs a meeting.)
    person = Person.objects.filter(user=corpus.user).first() or PersonFactory(
        user=corpus.user, name="XSS Officer"
    )
    today = date.today()
    term = Term.objects.create(
        office=office,
        person=person,
        title=corpus.text("term title", 120),
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
    )
    HandoverNote.objects.create(office=office, text=corpus.markdown("handover note"))
    election = ElectionFactory(
        slug="xss-election",
        title=corpus.text("election title", 200),
        description=corpus.markdown("election description"),
        slate_approved_at=timezone.now(),
    )
    contest = Contest.objects.create(election=election, office=office)
    candidacy = Candidacy.objects.create(
        contest=contest,
        user=corpus.user,
        person=person,
        status=CandidacyStatus.ACCEPTED,
        statement=corpus.markdown("candidate statement"),
        is_approved=True,
        ballot_name=corpus.text("candidate's name on the ballot", 300),
    )
    roll_freeze(election=election)
    ballot_cast(election=election, user=corpus.user, marks={contest.pk: [candidacy.pk]})
    ballot_page = [f"/elections/{election.slug}/", f"/elections/{election.slug}/ballot/"]
    Election.objects.filter(pk=election.pk).update(
        voting_close_at=timezone.now() - timedelta(seconds=1)
    )
    elections_tick()
    election.refresh_from_db()
    results_publish(election=election, by=corpus.user)
    # The lookup is a POST (never in an address); its answer shows what was typed.
    corpus.post(
        f"/elections/{election.slug}/ballots/",
        {"tracker": corpus.text("tracker lookup (reflected)", 40)},
    )
    corpus.document(f"/elections/{election.slug}/audit.json")
    # Not the calendars: iCalendar is plain text for calendar apps (the title as typed,
    # like a mail's text body), and the walk's rule that no HTML opener appears is for
    # what browsers render. tests/elections/test_member_pages.py reads them.
    corpus.export(f"/elections/{election.slug}/ballots.csv")
    return [
        *ballot_page,
        "/elections/",
        "/elections/officers/",
        "/elections/officers/xss-office/handover/",
        f"/elections/{election.slug}/results/",
        f"/elections/{election.slug}/ballots/",
        person.get_absolute_url(),
        "/my/",
        "/admin/elections/office/",
        f"/admin/elections/office/{office.pk}/change/",
        "/admin/elections/term/",
        f"/admin/elections/term/{term.pk}/change/",
        "/admin/elections/election/",
        f"/admin/elections/election/{election.pk}/change/",
        "/admin/elections/candidacy/",
        f"/admin/elections/candidacy/{candidacy.pk}/change/",
        "/admin/elections/rolegrant/",
    ]
