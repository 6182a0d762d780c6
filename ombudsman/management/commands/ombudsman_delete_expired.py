from django.core.management.base import BaseCommand

from ombudsman.services import concerns_delete_expired


class Command(BaseCommand):
    help = (
        "Delete concerns (and their replies) whose last activity is older than the "
        "retention period the ombudsman set. Run daily; running it twice deletes nothing more."
    )

    def handle(self, *args, **options):
        deleted = concerns_delete_expired()
        self.stdout.write(f"Deleted {len(deleted)} expired concern(s).")
