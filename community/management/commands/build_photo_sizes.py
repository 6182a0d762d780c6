from django.core.management.base import BaseCommand

from community.models import Person
from community.photos import PHOTO_SIZES, build_photo_sizes


class Command(BaseCommand):
    help = (
        f"Make the fixed sizes ({', '.join(map(str, PHOTO_SIZES))} px squares) of every "
        "person's photo that lacks them. Idempotent; run once after deploying."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Make every size again.")

    def handle(self, *args, force: bool = False, **options):
        made = 0
        for person in Person.objects.exclude(photo="").only("pk", "photo").iterator():
            made += len(build_photo_sizes(person.photo, force=force))
        self.stdout.write(f"Made {made} photo sizes.")
