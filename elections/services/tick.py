"""The scheduler's tick: the timed work of every election (the election_tick command)."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from elections.models import Election
from elections.services.results import election_count, election_seal, storage_rewrite
from elections.services.roll import roll_freeze
from elections.services.voting import reminders_send


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
