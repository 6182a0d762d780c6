from django.core.management.base import BaseCommand

from newsletters.services import announce_due_issues


class Command(BaseCommand):
    help = (
        "Mail subscribers about scheduled issues whose publication time has passed. "
        "Run it every few minutes from the scheduler; it never mails anyone twice."
    )

    def handle(self, *args, **options):
        queued = announce_due_issues()
        self.stdout.write(f"{queued} announcement(s) queued.")
