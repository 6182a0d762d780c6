from django.core.management.base import BaseCommand, CommandError

from elections.services.tick import elections_tick


class Command(BaseCommand):
    help = (
        "The scheduled work of elections: freeze the voter roll when voting opens, send "
        "reminders (at most two), seal and count the ballots at the close. Idempotent; "
        "run it every few minutes (docs/elections.md). Exits non-zero if any election's "
        "work failed (the others are still done; the log has the traceback)."
    )

    def handle(self, *args, **options):
        report = elections_tick()
        for line in report.done:
            self.stdout.write(line)
        for line in report.held:
            self.stdout.write(self.style.WARNING(line))
        if report.failed:
            # Non-zero so the scheduler (cron mail, systemd) tells someone.
            raise CommandError(
                f"The scheduled work failed for {len(report.failed)} election(s): "
                f"{', '.join(report.failed)}. See the log for the tracebacks."
            )
