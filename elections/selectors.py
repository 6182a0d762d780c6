"""Reusable reads, each with its joins, so every page has a fixed query count."""

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from community.models import Person
from elections.enums import CandidacyStatus
from elections.models import (
    Ballot,
    Candidacy,
    CandidacyQuerySet,
    Contest,
    ContestResult,
    CountedTracker,
    Election,
    HandoverNote,
    Office,
    Term,
    Voter,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def officers() -> list[Office]:
    """Every office with its terms, newest first, and each term's person: two queries."""
    terms = Term.objects.select_related("person__user").order_by("-starts_on", "pk")
    return list(Office.objects.prefetch_related(Prefetch("terms", queryset=terms)))


def terms_of(person: Person) -> list[Term]:
    return list(Term.objects.filter(person=person).select_related("office").order_by("-starts_on"))


def names_people_publicly() -> Q:
    """People who held an office, or stand on a published slate, are public."""
    on_slate = Candidacy.objects.on_ballot().filter(
        person=OuterRef("pk"),
        contest__election__is_announced=True,
        contest__election__slate_approved_at__isnull=False,
    )
    return Q(Exists(Term.objects.filter(person=OuterRef("pk")))) | Q(Exists(on_slate))


def announced_elections() -> list[Election]:
    return list(Election.objects.announced().order_by("-voting_open_at"))


def _candidates() -> CandidacyQuerySet[Candidacy]:
    return Candidacy.objects.on_ballot().select_related("user", "person").order_by("pk")


def election_for_page(slug: str, *, preview: bool = False) -> Election:
    """An announced election (or, for the committee, a draft) with its contests and slate."""
    elections = Election.objects.all() if preview else Election.objects.announced()
    contests = Contest.objects.select_related("office").prefetch_related(
        Prefetch("candidacies", queryset=_candidates(), to_attr="slate")
    )
    election = elections.prefetch_related(Prefetch("contests", queryset=contests)).filter(slug=slug)
    found = election.first()
    if found is None:
        raise Http404("No such election.")
    return found


def voting_blocked_because(election: Election) -> str | None:
    """Why voting cannot open (Election.voting_blocked_because: one rule everywhere)."""
    return election.voting_blocked_because()


def offices_without_candidates(election: Election) -> list[str]:
    """The names of the election's offices that have nobody on the slate."""
    on_ballot = Candidacy.objects.on_ballot().filter(contest=OuterRef("pk"))
    empty = Contest.objects.filter(election=election).exclude(Exists(on_ballot))
    return list(empty.values_list("office__name", flat=True))


class Slate(TypedDict):
    """Set on a contest by the `Prefetch(..., to_attr="slate")` of its candidates."""

    slate: list[Candidacy]


class ResultRow(TypedDict):
    contest: "WithAnnotations[Contest, Slate]"
    names: dict[int, Candidacy]
    winners: list[Candidacy]
    result: ContestResult | None


def results(election: Election) -> list[ResultRow]:
    """Per contest: the office, the candidates by name, the winners and the rounds."""
    contests: QuerySet[WithAnnotations[Contest, Slate]] = (
        Contest.objects.filter(election=election)
        .select_related("office", "result")
        .prefetch_related(Prefetch("candidacies", queryset=_candidates(), to_attr="slate"))
    )
    rows: list[ResultRow] = []
    for contest in contests:
        result = getattr(contest, "result", None)
        names = {c.pk: c for c in contest.slate}
        winners = [names[pk] for pk in (result.winners if result else []) if pk in names]
        rows.append({"contest": contest, "names": names, "winners": winners, "result": result})
    return rows


def voter(election: Election, user: User | AnonymousUser) -> Voter | None:
    if not user.is_authenticated:
        return None
    return Voter.objects.filter(election=election, user=user).first()


def published_ballots(election: Election) -> QuerySet[Ballot]:
    return Ballot.objects.filter(election=election).order_by("id").only("id", "tracker", "marks")


def tracker_counted(election: Election, tracker: str) -> bool:
    tracker = tracker.strip().upper()
    if election.trackers_on_ballots:
        return Ballot.objects.filter(election=election, tracker=tracker).exists()
    return CountedTracker.objects.filter(election=election, tracker=tracker).exists()


def counted_trackers(election: Election) -> list[str]:
    return list(
        CountedTracker.objects.filter(election=election)
        .order_by("tracker")
        .values_list("tracker", flat=True)
    )


def handover_notes(office: Office) -> list[HandoverNote]:
    return list(HandoverNote.objects.filter(office=office).select_related("author"))


class MyElectionsAnnotations(TypedDict):
    on_roll: bool
    has_voted: bool


class MyElections(TypedDict):
    elections: list["WithAnnotations[Election, MyElectionsAnnotations]"]
    candidacies: list[Candidacy]
    now: datetime
    statuses: type[CandidacyStatus]


def my_elections(user: User) -> MyElections:
    """For My GDS: elections taking nominations or votes, whether I voted, my candidacies."""
    now = timezone.now()
    open_now = Election.objects.announced().filter(
        Q(nominations_open_at__lte=now, nominations_close_at__gt=now)
        | Q(voting_open_at__lte=now, voting_close_at__gt=now)
    )
    voted = Voter.objects.filter(election=OuterRef("pk"), user=user)
    elections = open_now.annotate(
        on_roll=Exists(voted), has_voted=Exists(voted.filter(has_voted=True))
    ).order_by("voting_open_at")
    candidacies = (
        Candidacy.objects.filter(user=user, contest__election__is_announced=True)
        .exclude(contest__election__results_published_at__isnull=False)
        .select_related("contest__election", "contest__office")
    )
    return {
        "elections": list(elections),
        "candidacies": list(candidacies),
        "now": now,
        "statuses": CandidacyStatus,
    }


def open_election_for_home() -> Election | None:
    """The announced election now taking nominations or votes, soonest first."""
    now = timezone.now()
    return (
        Election.objects.announced()
        .filter(
            Q(nominations_open_at__lte=now, nominations_close_at__gt=now)
            | Q(voting_open_at__lte=now, voting_close_at__gt=now)
        )
        .order_by("voting_open_at")
        .first()
    )


def offices_held_by(user: User | AnonymousUser) -> list[Office]:
    if not user.is_authenticated:
        return []
    return list(
        Office.objects.filter(terms__in=Term.objects.current().filter(person__user=user)).distinct()
    )
