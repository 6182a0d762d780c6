"""The scheduler's tick: the timed work of every election (the election_tick command)."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from elections.models import Election
from elections.selectors import voting_blocked_because
from elections.services.results import election_count, election_seal, storage_rewrite
from elections.services.roll import roll_freeze
from elections.services.voting import reminders_send

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    """What one tick did: lines of work done, elections whose voting could not open and
    why (for the committee), and the slugs of elections whose work raised."""

    done: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def elections_tick(*, now: datetime | None = None) -> TickReport:
    """The scheduled work of every election: freeze rolls, remind, seal and count.

    Side effects: those of roll_freeze, reminders_send, election_seal and
    election_count; a warning logged for each election whose voting window has begun
    but whose roll cannot be frozen (no published slate with a candidate on it),
    also listed in `held`. Safe to run as often as wanted. One election whose work raises
    is logged with its traceback and listed in `failed`; the others still get
    theirs (each step is its own transaction, so a failed step leaves nothing half
    done, and the next tick tries it again).
    """
    now = now or timezone.now()
    report = TickReport()
    # Announced elections, and any whose roll was frozen: once voting has opened it is
    # sealed and counted even if someone hid it since (outside probe 2, F3).
    elections = Election.objects.filter(Q(is_announced=True) | Q(roll_frozen_at__isnull=False))
    for election in elections.filter(
        Q(roll_frozen_at__isnull=True, voting_open_at__lte=now)
        | Q(voting_open_at__lte=now, voting_close_at__gt=now)
        | Q(counted_at__isnull=True, voting_close_at__lte=now)
    ):
        try:
            _tick_one(election, now, report)
        except Exception:
            # Any error, ours or the database's: one broken election must not stop the
            # count of the others. The command exits non-zero at the end (election_tick).
            log.exception("Election %s: the scheduled work failed.", election.slug)
            report.failed.append(election.slug)
    return report


def _tick_one(election: Election, now: datetime, report: TickReport) -> None:
    if roll_freeze(election=election, now=now):
        report.done.append(f"{election.slug}: voter roll frozen")
    elif election.roll_frozen_at is None and (reason := voting_blocked_because(election)):
        # Said at every tick until the committee acts (docs/elections.md, "Voting").
        line = f"{election.slug}: voting has not opened: {reason}"
        log.warning("Election %s", line)
        report.held.append(line)
    if sent := reminders_send(election=election, now=now):
        report.done.append(f"{election.slug}: {sent} reminders")
    if election_seal(election=election, now=now):
        storage_rewrite()
        report.done.append(f"{election.slug}: ballots sealed")
    if election_count(election=election, now=now):
        report.done.append(f"{election.slug}: counted")
