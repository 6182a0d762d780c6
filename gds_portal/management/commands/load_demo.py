from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gds_portal.demos import demo_loaders


class Command(BaseCommand):
    help = (
        "Load the demo content idempotently: every loader the apps registered "
        "(gds_portal/demos.py), in INSTALLED_APPS order. Demo accounts have a known "
        "password, so it refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo accounts with DEBUG off (use --force).")
        for load in demo_loaders.loaders():
            with transaction.atomic():
                load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
