import time

from django.core.management.base import BaseCommand, CommandError

from meetings.services.duplicates import BATCH_SIZE, check_pending


class Command(BaseCommand):
    help = (
        "Compare abstracts submitted or changed since their last check with the other "
        "numbered abstracts of their meeting and store the likely duplicates the committee "
        "sees. One batch by default; --all until none is due; --loop keeps polling. Safe "
        "to run on many hosts at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling for work")
        parser.add_argument(
            "--all", action="store_true", dest="drain", help="check every due abstract, then stop"
        )
        parser.add_argument("--interval", type=float, default=2.0, help="idle seconds per poll")
        parser.add_argument("--batch", type=int, default=BATCH_SIZE, help="abstracts per claim")

    def handle(self, *args, loop: bool, drain: bool, interval: float, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        while True:
            count = check_pending(limit=batch)
            if count:
                self.stdout.write(f"Checked {count} abstract(s) for likely duplicates.")
                if loop or drain:
                    continue
            if not loop:
                return
            time.sleep(interval)  # nothing was due
