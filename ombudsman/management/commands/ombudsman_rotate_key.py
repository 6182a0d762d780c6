from django.core.management.base import BaseCommand, CommandError

from ombudsman.crypto import EncryptionUnavailable
from ombudsman.services import key_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every concern, reply and reporter address under the first key in "
        "OMBUDSMAN_ENCRYPTION_KEYS (see docs/ombudsman.md, key rotation)."
    )

    def handle(self, *args, **options):
        try:
            count = key_rotate()
        except EncryptionUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Re-encrypted {count} value(s) under the first key.")
