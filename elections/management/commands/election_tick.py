from django.core.management.base import BaseCommand
from django.db import connection

from elections.models import Ballot, CountedTracker, Voter
from elections.services import elections_tick


class Command(BaseCommand):
    help = (
        "The scheduled work of elections: freeze the voter roll when voting opens, send "
        "reminders (at most two), seal and count the ballots at the close. Idempotent; "
        "run it every few minutes (docs/elections.md)."
    )

    def handle(self, *args, **options):
        done = elections_tick()
        for line in done:
            self.stdout.write(line)
        if any(line.endswith("ballots sealed") for line in done) and not connection.in_atomic_block:
            # Sealing leaves the rows' earlier versions in the table files until they
            # are vacuumed; remove them now rather than when autovacuum gets round to it.
            with connection.cursor() as cursor:
                for model in (Ballot, CountedTracker, Voter):
                    cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
            self.stdout.write("Vacuumed the ballot and roll tables.")
