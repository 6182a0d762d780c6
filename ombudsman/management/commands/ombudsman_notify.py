from django.core.management.base import BaseCommand

from ombudsman.services import ombudsman_notify


class Command(BaseCommand):
    help = (
        "Mail the ombudsman how many cases have news (new concerns, reporters' answers) "
        "since the last notice; no codes, no text. Run hourly or daily: the notice is "
        "never sent when a concern arrives, so its time cannot date the concern."
    )

    def handle(self, *args, **options):
        count = ombudsman_notify()
        self.stdout.write(f"Told the ombudsman of {count} case(s) with news.")
