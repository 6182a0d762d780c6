import time

from django.core.management.base import BaseCommand

from gds_portal.mail import deliver_due


class Command(BaseCommand):
    help = (
        "Deliver queued mail from the outbox, each message once (retries with backoff). "
        "Safe to run on many hosts at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling the outbox")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
        parser.add_argument(
            "--batch", type=int, default=100, help="messages per pass (each claimed on its own)"
        )

    def handle(self, *args, loop: bool, interval: float, batch: int, **options):
        while True:
            while (count := deliver_due(limit=batch)) > 0:
                self.stdout.write(f"Attempted {count} message(s).")
            if not loop:
                return
            time.sleep(interval)
