from django.core.management.base import BaseCommand

from elections.services.tick import elections_tick


class Command(BaseCommand):
    help = (
        "The scheduled work of elections: freeze the voter roll when voting opens, send "
        "reminders (at most two), seal and count the ballots at the close. Idempotent; "
        "run it every few minutes (docs/elections.md)."
    )

    def handle(self, *args, **options):
        for line in elections_tick():
            self.stdout.write(line)
