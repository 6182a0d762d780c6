from django.core.management.base import BaseCommand

from meetings.services.reminders import abstract_send_reminders


class Command(BaseCommand):
    help = (
        "Mail each member with a draft abstract once, when its call closes within 48 hours. "
        "Run it from a scheduler (e.g. hourly); running it twice sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = abstract_send_reminders()
        self.stdout.write(f"Queued {sent} abstract reminder(s).")
