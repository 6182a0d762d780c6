from django.core.management.base import BaseCommand

from crrg.services.answering import drafts_discard


class Command(BaseCommand):
    help = (
        "Delete the unsubmitted drafts of questionnaires that have closed (members are told "
        "on the survey page that a draft is kept until then). Run daily; running it twice "
        "deletes nothing more."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {drafts_discard()} unsubmitted draft(s) of closed surveys.")
