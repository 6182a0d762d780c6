import time

from django.core.management.base import BaseCommand

from webinars.registration import registration_send_reminders


class Command(BaseCommand):
    help = (
        "Remind confirmed webinar registrants 24 hours and 1 hour before the start, each "
        "once, through the outbox. One pass by default; --loop keeps polling. Running it "
        "twice, or on many hosts at once, sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling for work")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between polls")

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            sent = registration_send_reminders()
            if sent:
                self.stdout.write(f"Queued {sent} webinar reminder(s).")
            if not loop:
                return
            time.sleep(interval)
