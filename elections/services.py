"""Every write in the elections app that touches more than one row or has a side effect."""

import logging
import random
import secrets
import uuid
from base64 import b32encode
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.identity import canonical_email
from accounts.models import User
from accounts.services import role_grant, role_revoke
from community.models import Person
from community.services import person_find_or_create
from elections import audit, tally
from elections.enums import CandidacyStatus
from elections.models import (
    Ballot,
    Candidacy,
    Contest,
    ContestResult,
    CountedTracker,
    Election,
    FormToken,
    HandoverNote,
    Nomination,
    Office,
    RoleGrant,
    Term,
    Voter,
)
from gds_portal.mail import SENSITIVE_HEADER, send_template_mail
from gds_portal.once import claim_token

log = logging.getLogger(__name__)

# --- Terms and the committee roles that come with them -----------------------------


@dataclass
class SyncReport:
    granted: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.granted or self.withdrawn)


def _in_group(user: User, role: str) -> bool:
    return user.groups.filter(name=role).exists()


def _wanted(grant: RoleGrant, today: date) -> bool:
    term = grant.term
    return (
        term is not None
        and term.is_current(today)
        and term.person.user_id == grant.user_id
        and grant.role in term.office.roles
    )


@transaction.atomic
def office_roles_sync(*, today: date | None = None) -> SyncReport:
    """Give current term holders their offices' committee roles; withdraw ended ones.

    Side effects: RoleGrant rows opened and closed; group membership through
    accounts.services.role_grant / role_revoke; one log line per change. A role the
    member already held by other means is recorded as `held_before` and never
    withdrawn by the sync. Idempotent: a second run on the same day changes nothing.
    A term whose person has no linked account grants nothing (logged).
    """
    today = today or timezone.localdate()
    report = SyncReport()
    open_grants = RoleGrant.objects.filter(withdrawn_on__isnull=True)
    for grant in open_grants.select_related("term__office", "term__person", "user"):
        if not _wanted(grant, today):
            _withdraw(grant, today, report)
    terms = Term.objects.current(today).select_related("office", "person__user")
    for term in terms.filter(person__user__is_active=True).exclude(office__roles=[]):
        for role in term.office.roles:
            if not RoleGrant.objects.filter(
                term=term, role=role, withdrawn_on__isnull=True
            ).exists():
                _grant(term, Role(role), today, report)
    for term in terms.filter(person__user__isnull=True).exclude(office__roles=[]):
        log.info("Term %s (%s): no linked account, so no roles granted.", term.pk, term)
    return report


def _grant(term: Term, role: Role, today: date, report: SyncReport) -> None:
    user = term.person.user
    if user is None:
        # A person without a linked account gets no roles (roles_sync only calls this for
        # terms whose person has an active account, and logs the others).
        return
    # By other means: in the group, and not because of any grant of ours.
    ours = RoleGrant.objects.filter(
        user=user, role=role, withdrawn_on__isnull=True, held_before=False
    ).exists()
    held_before = _in_group(user, role) and not ours
    RoleGrant.objects.create(
        term=term, user=user, role=role, held_before=held_before, granted_on=today
    )
    if not _in_group(user, role):
        role_grant(user=user, role=role)
    message = f"{role} granted to {user.email} for term {term.pk} ({term})"
    log.info(message)
    report.granted.append(message)


def _withdraw(grant: RoleGrant, today: date, report: SyncReport) -> None:
    grant.withdrawn_on = today
    grant.save(update_fields=["withdrawn_on"])
    others = RoleGrant.objects.filter(user=grant.user, role=grant.role, withdrawn_on__isnull=True)
    if not grant.held_before and not others.exists() and _in_group(grant.user, grant.role):
        role_revoke(user=grant.user, role=Role(grant.role))
    message = f"{grant.role} withdrawn from {grant.user.email} (term {grant.term_id} ended)"
    log.info(message)
    report.withdrawn.append(message)


@dataclass
class Submitted:
    """What a create service did; `replayed` when its form had been sent before."""

    made: object | None
    replayed: bool = False


@transaction.atomic
def handover_note_add(*, office: Office, text: str, by: User, token: uuid.UUID) -> Submitted:
    """Leave a handover note for the next holders of `office`, once per form.

    Side effects: a FormToken row and one HandoverNote. Only a current holder of the
    office may write one (PermissionDenied otherwise).
    """
    if not by.has_perm("elections.read_handover", office):
        raise PermissionDenied("Only the office's current holders leave handover notes.")
    if earlier := claim_token(FormToken, token=token, by=by):
        return Submitted(made=earlier.note if earlier.user_id == by.pk else None, replayed=True)
    author = Person.objects.filter(user=by).first()
    note = HandoverNote.objects.create(office=office, author=author, text=text)
    FormToken.objects.filter(token=token).update(note=note)
    return Submitted(made=note)


# --- Nominations ----------------------------------------------------------------------

ANSWER_SALT = "elections.candidacy-answer"
# A link in the nominee's mail works for three weeks; the nominations window still
# decides whether an answer is taken.
ANSWER_MAX_AGE = 21 * 24 * 3600


def answer_token(candidacy: Candidacy) -> str:
    return signing.dumps({"c": candidacy.pk, "u": candidacy.user_id}, salt=ANSWER_SALT)


def candidacy_for_token(token: str) -> Candidacy | None:
    """The candidacy a nominee's signed link names, or None if forged or expired."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    pk, user_id = data.get("c"), data.get("u")
    if pk is None or user_id is None:
        # Every token answer_token signs names both (a lookup by None would match nothing).
        return None
    candidacy = Candidacy.objects.select_related("contest__election", "contest__office", "user")
    return candidacy.filter(pk=pk, user_id=user_id).first()


def nominations_are_open(election: Election, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return election.is_announced and (
        election.nominations_open_at <= now < election.nominations_close_at
    )


def member_with_address(address: str) -> User | None:
    """The active member whose verified address is `address` (canonical form), or None."""
    user = User.objects.with_email(address).filter(is_active=True).first()
    if user is None:
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    wanted = canonical_email(address)
    return user if any(canonical_email(e) == wanted for e in verified) else None


@transaction.atomic
def nomination_submit(
    *, contest: Contest, nominee: User | None, by: User, token: uuid.UUID
) -> Submitted:
    """Record `by`'s nomination of `nominee` for `contest`, once per form.

    Side effects: a FormToken row; the nominee's Candidacy if it is new (then a mail
    asking them to accept or decline, with a signed link); one Nomination row. A
    nominee who is not a member in good standing (None) gets nothing and the nominator
    learns nothing: the answer is the same whatever the address, so the form tells
    no one who is a member. A nominee who declined is not asked again. Raises
    ValidationError outside the nominations window.
    """
    if not nominations_are_open(contest.election):
        raise ValidationError("Nominations for this election are closed.")
    if earlier := claim_token(FormToken, token=token, by=by):
        return Submitted(
            made=earlier.nomination if earlier.user_id == by.pk else None, replayed=True
        )
    if nominee is None or not nominee.has_perm("elections.nominate"):
        return Submitted(made=None)
    candidacy, created = Candidacy.objects.get_or_create(contest=contest, user=nominee)
    nomination, _ = Nomination.objects.get_or_create(candidacy=candidacy, nominator=by)
    FormToken.objects.filter(token=token).update(nomination=nomination)
    if created:
        _mail_nominee(candidacy, self_nominated=nominee.pk == by.pk)
    return Submitted(made=nomination)


def _mail_nominee(candidacy: Candidacy, *, self_nominated: bool) -> None:
    election = candidacy.contest.election
    link = reverse(
        "elections:answer", kwargs={"slug": election.slug, "token": answer_token(candidacy)}
    )
    context = {
        "name": candidacy.user.full_name,
        "office": candidacy.contest.office.name,
        "election": election.title,
        "closes": election.nominations_close_at,
        "answer_url": link,
        "self_nominated": self_nominated,
    }
    # The link is a key to the nominee's candidacy: only superusers may read it stored.
    send_template_mail(
        "elections/nominee-ask",
        to=[candidacy.user.email],
        context=context,
        headers={SENSITIVE_HEADER: "1"},
    )


@transaction.atomic
def candidacy_answer(
    *,
    candidacy: Candidacy,
    accept: bool,
    statement: str = "",
    photo: "UploadedFile[bytes] | None" = None,  # generic only in django-stubs
) -> Candidacy:
    """The nominee accepts (with a statement, optionally a photo) or declines.

    Side effects: the candidacy's status, statement, photo, answer time and, when
    the member's account is linked to a public profile, that Person. May be changed
    until nominations close; a decline empties the statement and photo and leaves the slate.
    """
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("contest__election")
        .get(pk=candidacy.pk)
    )
    if not nominations_are_open(candidacy.contest.election):
        raise ValidationError("Nominations have closed; the answer can no longer change.")
    candidacy.answered_at = timezone.now()
    if accept:
        candidacy.status = CandidacyStatus.ACCEPTED
        candidacy.statement = statement
        candidacy.person = Person.objects.filter(user_id=candidacy.user_id).first()
        if photo is not None:
            candidacy.photo = photo
    else:
        candidacy.status = CandidacyStatus.DECLINED
        candidacy.statement = ""
        candidacy.photo = ""
        candidacy.is_approved = False
    candidacy.full_clean(exclude=["photo"])
    candidacy.save()
    return candidacy


def _before_voting(election: Election) -> None:
    if election.voting_open_at <= timezone.now():
        raise ValidationError("Voting has opened: the slate can no longer change.")


@transaction.atomic
def candidacy_set_approved(*, candidacies: Iterable[Candidacy], approved: bool, by: User) -> int:
    """Put accepted candidacies on the slate (or take them off); how many changed.

    Side effects: `is_approved` of the given accepted candidacies. Refused after
    voting opens and for anyone but the executive committee.
    """
    if not by.has_perm("elections.approve_slate"):
        raise PermissionDenied("Only the executive committee approves the slate.")
    ids = [c.pk for c in candidacies]
    for election in Election.objects.filter(contests__candidacies__pk__in=ids).distinct():
        _before_voting(election)
    chosen = Candidacy.objects.filter(pk__in=ids, status=CandidacyStatus.ACCEPTED)
    return chosen.exclude(is_approved=approved).update(is_approved=approved)


@transaction.atomic
def slate_publish(*, election: Election, by: User) -> None:
    """Publish the slate: the approved candidates appear on the election page.

    Side effects: `slate_approved_at`. Refused after voting opens, before
    nominations close, and for anyone but the executive committee.
    """
    if not by.has_perm("elections.approve_slate"):
        raise PermissionDenied("Only the executive committee approves the slate.")
    _before_voting(election)
    if timezone.now() < election.nominations_close_at:
        raise ValidationError("Nominations are still open.")
    Election.objects.filter(pk=election.pk).update(slate_approved_at=timezone.now())
    election.slate_approved_at = timezone.now()


# --- The voter roll -------------------------------------------------------------------


def eligible_users(election: Election) -> list[int]:
    """Active members whose own address is verified and whose account existed on the cut-off."""
    users = User.objects.filter(
        is_active=True, date_joined__date__lte=election.eligibility_cutoff
    ).values_list("pk", "email")
    verified: dict[int, set[str]] = {}
    rows = EmailAddress.objects.filter(verified=True, user__in=[pk for pk, _ in users])
    for user_id, email in rows.values_list("user_id", "email"):
        verified.setdefault(user_id, set()).add(canonical_email(email))
    return [pk for pk, email in users if canonical_email(email) in verified.get(pk, ())]


@transaction.atomic
def roll_freeze(*, election: Election, now: datetime | None = None) -> bool:
    """Freeze the voter roll when voting opens; True if this call froze it.

    Side effects: one Voter row per eligible member (in a random order), the
    election's `roll_frozen_at` and `roll_size`. Idempotent: the election row is
    locked and a frozen roll is never touched again, so members who become
    eligible later are not added and those who become ineligible stay listed
    (but cannot vote: see ballot_cast).
    """
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.roll_frozen_at or now < election.voting_open_at or not election.is_announced:
        return False
    user_ids = eligible_users(election)
    random.SystemRandom().shuffle(user_ids)
    Voter.objects.bulk_create(Voter(election=election, user_id=pk) for pk in user_ids)
    Election.objects.filter(pk=election.pk).update(roll_frozen_at=now, roll_size=len(user_ids))
    log.info("Election %s: voter roll frozen with %s members.", election.slug, len(user_ids))
    return True


# --- Casting a ballot -------------------------------------------------------------------


class CastRefused(Exception):
    """The ballot was not cast; the message says why, in words for the voter."""


def new_tracker() -> str:
    """80 random bits as 16 letters and digits in four groups; nothing about the voter."""
    code = b32encode(secrets.token_bytes(10)).decode()
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def voting_is_open(election: Election, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return election.is_announced and election.voting_open_at <= now < election.voting_close_at


def clean_marks(election: Election, marks: dict[int, list[int]]) -> dict[str, list[int]]:
    """`marks` checked against the ballot: known candidates, none twice, at most K.

    Returns it keyed by contest id as text (JSON's keys), every contest present
    (an empty list is an abstention in that contest). Raises CastRefused.
    """
    cleaned = {}
    for contest in election.contests.all():
        chosen = list(marks.get(contest.pk, []))
        on_ballot = set(contest.candidacies.on_ballot().values_list("pk", flat=True))
        if len(set(chosen)) != len(chosen) or not set(chosen) <= on_ballot:
            raise CastRefused(f"The choices for {contest.office.name} are not on the ballot.")
        if not contest.is_ranked and len(chosen) > contest.marks_allowed:
            raise CastRefused(f"Mark at most {contest.marks_allowed} for {contest.office.name}.")
        cleaned[str(contest.pk)] = chosen
    return cleaned


@transaction.atomic
def ballot_cast(*, election: Election, user: User, marks: dict[int, list[int]]) -> str:
    """Cast `user`'s ballot once; return its tracker (shown to the voter once).

    Side effects, in one transaction:
    - the voter's roll row flips to has_voted, by a conditional UPDATE: under any
      number of concurrent attempts exactly one finds has_voted false (the others
      wait on the row lock, then match nothing), so the database keeps one vote
      per member;
    - one Ballot with a random UUID key and no time or voter in it; the tracker is
      stored on it (TrackerPolicy.ON_BALLOTS) or in the separate CountedTracker list;
    - one confirmation mail. It carries the tracker only under LIST_ONLY, where a
      tracker shows that someone voted (the roll says that anyway) but not how;
      under ON_BALLOTS a stored mail naming address and tracker would join the voter
      to their published ballot, so the tracker is shown on screen only. The mail is
      marked sensitive, so no committee reads it in the outbox.
    Nothing is logged. Raises CastRefused when voting is closed, the member is not
    on the frozen roll, is no longer in good standing, or has voted already.
    """
    if not voting_is_open(election):
        raise CastRefused("Voting is not open.")
    if not (user.is_active and user.has_perm("elections.nominate")):
        raise CastRefused("Only members in good standing may vote.")
    cleaned = clean_marks(election, marks)
    flipped = Voter.objects.filter(election=election, user=user, has_voted=False).update(
        has_voted=True
    )
    if flipped != 1:
        raise CastRefused("You are not on the voter roll of this election, or you have voted.")
    tracker = new_tracker()
    on_ballot = election.trackers_on_ballots
    Ballot.objects.create(
        id=uuid.uuid4(), election=election, tracker=tracker if on_ballot else None, marks=cleaned
    )
    if not on_ballot:
        CountedTracker.objects.create(id=uuid.uuid4(), election=election, tracker=tracker)
    context = {
        "name": user.full_name,
        "election": election.title,
        "tracker": "" if on_ballot else tracker,
        "election_url": election.get_absolute_url(),
    }
    send_template_mail(
        "elections/ballot-cast", to=[user.email], context=context, headers={SENSITIVE_HEADER: "1"}
    )
    return tracker


# --- Reminders --------------------------------------------------------------------------


def reminder_due(election: Election, now: datetime) -> int:
    """How many reminders are due by `now`: one at a third of the window, one at two thirds."""
    window = election.voting_close_at - election.voting_open_at
    elapsed = now - election.voting_open_at
    return max(0, min(2, int(3 * elapsed / window))) if elapsed.total_seconds() > 0 else 0


def reminders_send(*, election: Election, now: datetime | None = None) -> int:
    """Remind the members on the roll who have not voted; at most two reminders each.

    Side effects: each reminded roll row's `reminders_sent` goes up by one (a
    conditional UPDATE claims it, so two schedulers never mail twice; the column's
    check constraint caps it at two) and one mail per row. Returns how many.
    """
    now = now or timezone.now()
    if not voting_is_open(election, now):
        return 0
    due = reminder_due(election, now)
    sent = 0
    waiting = Voter.objects.filter(election=election, has_voted=False, reminders_sent__lt=due)
    for voter_id in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Voter.objects.filter(
                pk=voter_id, has_voted=False, reminders_sent__lt=due
            ).update(reminders_sent=F("reminders_sent") + 1)
            if not claimed:
                continue
            voter = Voter.objects.select_related("user").get(pk=voter_id)
            context = {
                "name": voter.user.full_name,
                "election": election.title,
                "closes": election.voting_close_at,
                "ballot_url": reverse("elections:ballot", kwargs={"slug": election.slug}),
                "last": voter.reminders_sent == 2,
            }
            send_template_mail("elections/vote-reminder", to=[voter.user.email], context=context)
            sent += 1
    return sent


# --- After the close: seal, count, publish --------------------------------------------


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
    """
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.sealed_at or now < election.voting_close_at:
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
    re-elected member keeps one profile. Never links the account."""
    if candidacy.person is not None:
        return candidacy.person
    user = candidacy.user
    return person_find_or_create(
        name=user.full_name or user.email.split("@")[0],
        user=user,
        email=user.email,
        orcid=user.orcid,
        details={"affiliation": user.affiliation},
    )


@transaction.atomic
def results_publish(*, election: Election, by: User) -> list[Term]:
    """Publish a counted election's results and create the winners' terms.

    Side effects: `results_published_at`; one Term per winner (the election's term
    dates), with the winner's Person (their linked profile, or a new one: making a
    profile is not linking an account). Raises PermissionDenied for anyone but the
    executive committee, ValidationError before the count or a second time.
    """
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not by.has_perm("elections.publish_results", election):
        raise PermissionDenied("Only the executive committee publishes results, once.")
    if not election.counted_at:
        raise ValidationError("The election has not been counted yet.")
    terms = []
    results = ContestResult.objects.filter(contest__election=election).select_related("contest")
    for result in results:
        winners = Candidacy.objects.filter(pk__in=result.winners).select_related("user", "person")
        for candidacy in winners:
            candidacy.person = _person_for(candidacy)
            candidacy.save(update_fields=["person"])
            terms.append(
                Term.objects.create(
                    office=result.contest.office,
                    person=candidacy.person,
                    starts_on=election.term_starts_on,
                    ends_on=election.term_ends_on,
                    election=election,
                )
            )
    Election.objects.filter(pk=election.pk).update(results_published_at=timezone.now())
    log.info("Election %s: results published by %s.", election.slug, by.email)
    return terms


def elections_tick(*, now: datetime | None = None) -> list[str]:
    """The scheduled work of every election: freeze rolls, remind, seal and count.

    Side effects: those of roll_freeze, reminders_send, election_seal and
    election_count. Safe to run as often as wanted. Returns what it did.
    """
    now = now or timezone.now()
    done = []
    for election in Election.objects.announced().filter(
        Q(roll_frozen_at__isnull=True, voting_open_at__lte=now)
        | Q(voting_open_at__lte=now, voting_close_at__gt=now)
        | Q(counted_at__isnull=True, voting_close_at__lte=now)
    ):
        if roll_freeze(election=election, now=now):
            done.append(f"{election.slug}: voter roll frozen")
        if sent := reminders_send(election=election, now=now):
            done.append(f"{election.slug}: {sent} reminders")
        if election_seal(election=election, now=now):
            storage_rewrite()
            done.append(f"{election.slug}: ballots sealed")
        if election_count(election=election, now=now):
            done.append(f"{election.slug}: counted")
    return done
