"""After the close: seal the ballots, count them, publish the results."""

import logging
from datetime import datetime
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from community.models import Person
from community.services import person_find_or_create
from elections import audit, tally
from elections.models import (
    Ballot,
    Candidacy,
    ContestResult,
    CountedTracker,
    Election,
    Term,
    Voter,
)
from elections.services.terms import term_add
from gds_portal.offices import offices

log = logging.getLogger(__name__)


@transaction.atomic
def election_seal(*, election: Election, now: datetime | None = None) -> bool:
    """Rewrite the roll and the ballots after the close so their storage says nothing.

    During voting PostgreSQL keeps, on every row, the id of the transaction that
    wrote it (`xmin`), and one cast writes the voter's roll row and the ballot in
    one transaction; the table files also hold ballots, and updated roll rows, in
    the order votes came in. Here, in this one transaction, every ballot and
    tracker is deleted and inserted again in the order of its random id (ballots)
    or random code (trackers), and every roll row in the order of its id (fixed
    when the roll was frozen, before anyone voted). Afterwards all rows of these
    tables carry one `xmin`. Where the new rows land in the files is up to
    PostgreSQL, and the deleted versions stay there until they are cleaned up:
    `storage_rewrite` then fixes both.

    Side effects: the rows above and `sealed_at`. Idempotent; True if it sealed.
    An election whose voting never opened (no frozen roll) is never sealed, so never
    counted: there is no vote to count.
    """
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.sealed_at or now < election.voting_close_at or not election.roll_frozen_at:
        return False
    _reinsert(Ballot, election, "id")
    _reinsert(CountedTracker, election, "tracker")
    _reinsert(Voter, election, "id")
    Election.objects.filter(pk=election.pk).update(sealed_at=now)
    return True


# The tables election_seal rewrites, one at a time (so each keeps its own row type).
_Sealed = TypeVar("_Sealed", Ballot, CountedTracker, Voter)


def _reinsert(model: type[_Sealed], election: Election, order: str) -> None:
    """Delete the election's rows of `model` and insert them again ordered by `order`."""
    rows = list(model.objects.filter(election=election).order_by(order))
    model.objects.filter(election=election).delete()
    model.objects.bulk_create(rows)


# Each table is rewritten in the order of a key that owes nothing to when anyone voted.
STORAGE_ORDER = {
    Ballot: "elections_ballot_pkey",  # random UUIDs
    CountedTracker: "tracker_unique",  # election, then the random code
    Voter: "elections_voter_pkey",  # ids given at the freeze, in random order of members
}


def storage_rewrite() -> None:
    """Rewrite the ballot, tracker and roll tables in key order, dropping old row versions.

    CLUSTER writes a new file holding the rows in the order of the named index and
    only the row versions still needed, so neither storage order nor leftover
    versions keep the order in which votes came in. It locks each table for the
    moment it takes (a few thousand rows: well under a second). Run after a seal
    has committed (elections_tick does), so the deleted versions are gone for good.
    """
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # Inside a transaction (a test's), PostgreSQL refuses to rewrite a table
            # with deferred foreign-key checks pending: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, index in STORAGE_ORDER.items():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"CLUSTER {table} USING {connection.ops.quote_name(index)}")
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def election_count(*, election: Election, now: datetime | None = None) -> bool:
    """Count every contest of a sealed election; True if this call counted it.

    Side effects: one ContestResult per contest (winners and the counting rule's
    rounds; ties drawn by lot seeded with the hash of the ballot list, so anyone
    can redraw it), and the election's ballot hash, ballot count and `counted_at`.
    Idempotent.
    """
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.counted_at or not election.sealed_at:
        return False
    bundle = audit.ballot_rows(election)
    digest = audit.ballot_hash(bundle)
    for contest in election.contests.all():
        outcome = tally.count_contest(audit.contest_spec(contest), bundle, seed=digest)
        ContestResult.objects.update_or_create(
            contest=contest,
            defaults={"winners": outcome.winners, "rounds": outcome.rounds, "counted_at": now},
        )
    Election.objects.filter(pk=election.pk).update(
        counted_at=now, ballot_hash=digest, ballot_count=len(bundle)
    )
    log.info("Election %s counted: %s ballots, hash %s.", election.slug, len(bundle), digest)
    return True


def _person_for(candidacy: Candidacy) -> Person:
    """The winner's profile: the one the candidacy names, else the community's one
    find-or-create (their linked Person, or one with their address or ORCID), so a
    re-elected member keeps one profile. Never a profile linked to another account
    (a new one then): the term would make that account the holder. Never links."""
    if candidacy.person is not None:
        return candidacy.person
    user = candidacy.user
    details = {"affiliation": user.affiliation}
    person = person_find_or_create(
        name=candidacy.name,  # the name on the ballot, not one changed since
        user=user,
        email=user.email,
        orcid=user.orcid,
        details=details,
    )
    if person.user_id is not None and person.user_id != user.pk:
        # The oldest profile with the winner's address or ORCID is another account's:
        # a term naming it would make that account the holder. The winner gets a
        # profile of their own instead (no identifiers: it matches nothing else).
        person = person_find_or_create(name=candidacy.name, details=details)
    return person


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d %B %Y, %H:%M %Z")


@transaction.atomic
def results_publish(*, election: Election, by: User) -> list[Term]:
    """Publish a counted election's results and create the winners' terms.

    Side effects: `results_published_at`; one Term per winner (the election's term
    dates), with the winner's Person (their linked profile, or a new one: making a
    profile is not linking an account); for an office that gives access (guarded in
    gds_portal.offices: the ombudsman's), the term goes through `term_add` like an
    appointment: it starts no earlier than today (the election's first day, or today
    if that has passed), after every other term of the office (ValidationError
    otherwise, and nothing is published), ends the term under way the day before,
    and the guarding app hears of it. Raises PermissionDenied for anyone but the
    executive committee, ValidationError before the count or a second time.
    """
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not by.has_perm("elections.run_election"):
        raise PermissionDenied("Only the executive committee publishes results.")
    # The committee is told the real reason first (outside probe 2, F6).
    if election.results_published_at:
        raise ValidationError(f"{election}: the results are already published.")
    if not election.counted_at:
        raise ValidationError(
            f"{election}: not counted yet. The count runs once voting has closed "
            f"({_when(election.voting_close_at)}) and the ballots are sealed; publish then."
        )
    if not by.has_perm("elections.publish_results", election):
        raise PermissionDenied("Only the executive committee publishes results, once.")
    terms = []
    today = timezone.localdate()
    results = ContestResult.objects.filter(contest__election=election).select_related("contest")
    for result in results:
        winners = Candidacy.objects.filter(pk__in=result.winners).select_related("user", "person")
        office = result.contest.office
        for candidacy in winners:
            candidacy.person = _person_for(candidacy)
            candidacy.save(update_fields=["person"])
            term = Term(
                office=office,
                person=candidacy.person,
                starts_on=election.term_starts_on,
                ends_on=election.term_ends_on,
                election=election,
            )
            if offices.guarded(office.slug):
                # The same rules as an appointment (elections.guarded): never before
                # today, after every other term; the term under way ends the day before.
                term.starts_on = max(term.starts_on, today)
                if term.ends_on is not None and term.ends_on < term.starts_on:
                    raise ValidationError(
                        f"{office.name}: the election's term ended on "
                        f"{term.ends_on:%d %B %Y}, before today; its terms are the record "
                        "of who had access, so no term starts in the past. Appoint instead."
                    )
                terms.append(term_add(term=term, by=by))
            else:
                term.save()
                terms.append(term)
    Election.objects.filter(pk=election.pk).update(results_published_at=timezone.now())
    log.info("Election %s: results published by %s.", election.slug, by.email)
    return terms
