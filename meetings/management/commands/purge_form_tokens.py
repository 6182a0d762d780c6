from django.core.management.base import BaseCommand, CommandError

from gds_portal.once import tokens_purge
from meetings.maintenance import BATCH_SIZE, FORM_TOKEN_DAYS


class Command(BaseCommand):
    help = (
        "Delete the forms' one-time tokens (abstracts, speaker nominations, webinar "
        f"nominations) older than --days (default {FORM_TOKEN_DAYS}), in batches. Run it "
        "daily from a scheduler; what the forms made is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=FORM_TOKEN_DAYS)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, days: int, batch_size: int, **options):
        if days < 1 or batch_size < 1:
            raise CommandError("--days and --batch-size must be at least 1.")
        deleted = tokens_purge(days=days, batch_size=batch_size)
        self.stdout.write(f"Deleted {deleted} form token(s) older than {days} days.")
