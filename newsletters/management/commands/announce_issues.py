import time

from django.core.management.base import BaseCommand

from newsletters.services import announce_due_issues


class Command(BaseCommand):
    help = (
        "Publish scheduled newsletter issues whose time has come and mail their "
        "announcement to subscribers. One pass by default; --loop keeps polling. "
        "Running it twice, or on many hosts at once, mails nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling for work")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between polls")

    def handle(self, *args, loop: bool = False, interval: float = 60.0, **options):
        while True:
            queued = announce_due_issues()
            # Quiet when there is nothing to do, so a loop's log shows only real work.
            if queued or not loop:
                self.stdout.write(f"{queued} announcement(s) queued.")
            if not loop:
                return
            time.sleep(interval)
