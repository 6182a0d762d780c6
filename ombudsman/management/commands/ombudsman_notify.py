from django.core.management.base import BaseCommand

from ombudsman.services import holder_change_notify, ombudsman_notify


class Command(BaseCommand):
    help = (
        "Mail the ombudsman how many cases have news (new concerns, reporters' answers) "
        "since the last notice; no codes, no text. Run hourly or daily: the notice is "
        "never sent when a concern arrives, so its time cannot date the concern. "
        "First, if the office changed hands since the last run, log it and mail the "
        "outgoing holder."
    )

    def handle(self, *args, **options):
        if holder_change_notify():
            self.stdout.write("The office changed hands: logged, and the outgoing holder told.")
        count = ombudsman_notify()
        self.stdout.write(f"Told the ombudsman of {count} case(s) with news.")
