"""Casting a ballot, and reminding the members on the roll who have not voted."""

import secrets
import uuid
from base64 import b32encode
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from elections.models import Ballot, CountedTracker, Election, Voter
from gds_portal.mail import SENSITIVE_HEADER, send_template_mail


class CastRefused(Exception):
    """The ballot was not cast; the message says why, in words for the voter."""


def new_tracker() -> str:
    """80 random bits as 16 letters and digits in four groups; nothing about the voter."""
    code = b32encode(secrets.token_bytes(10)).decode()
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def voting_is_open(election: Election, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return election.is_announced and election.voting_open_at <= now < election.voting_close_at


def ballot_closed_because(election: Election, voter: Voter | None) -> str | None:
    """Why this member gets no ballot now, in words for them; None when they may vote."""
    if not voting_is_open(election):
        return "Voting is not open."
    if election.roll_frozen_at is None:
        # Voting opens only on a published slate (roll_freeze); the committee is told.
        return "Voting has not opened yet: the slate of candidates is not ready."
    if voter is None:
        return "You are not on the voter roll of this election."
    if voter.has_voted:
        return "You have voted in this election. A cast ballot cannot be changed."
    return None


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


# The second reminder never follows the first by less than a sixth of the voting window.
# They are planned at a third and two thirds (a third apart), but a scheduler that was
# down, or a roll frozen late, could send both minutes apart, which reads as a fault and
# not as a reminder. A fixed 24 hours would forbid any second reminder in windows of up
# to three days; a sixth scales with the window and is half the planned gap.
REMINDER_GAP_PART = 6


def reminder_due(election: Election, now: datetime) -> int:
    """How many reminders are due by `now`: one from a third of the window, the second
    from two thirds but no sooner than a sixth of the window after the first went."""
    window = election.voting_close_at - election.voting_open_at
    elapsed = now - election.voting_open_at
    if elapsed.total_seconds() <= 0:
        return 0
    due = max(0, min(2, int(3 * elapsed / window)))
    first = election.first_reminder_at
    if due == 2 and (first is None or now - first < window / REMINDER_GAP_PART):
        return 1
    return due


def reminders_send(*, election: Election, now: datetime | None = None) -> int:
    """Remind the members on the roll who have not voted; at most two reminders each.

    Side effects: the election's `first_reminder_at` when the first reminders are due;
    each reminded roll row's `reminders_sent` set to the number due (a conditional
    UPDATE claims it, so two schedulers never mail twice, and a member missed in the
    first round gets one reminder, not two in a row; the column's check constraint
    caps it at two) and one mail per row. Returns how many.
    """
    now = now or timezone.now()
    if not voting_is_open(election, now):
        return 0
    due = reminder_due(election, now)
    if due and election.first_reminder_at is None:
        Election.objects.filter(pk=election.pk, first_reminder_at__isnull=True).update(
            first_reminder_at=now
        )
        election.refresh_from_db(fields=["first_reminder_at"])
    sent = 0
    waiting = Voter.objects.filter(election=election, has_voted=False, reminders_sent__lt=due)
    for voter_id in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Voter.objects.filter(
                pk=voter_id, has_voted=False, reminders_sent__lt=due
            ).update(reminders_sent=due)
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
