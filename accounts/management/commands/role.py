from django.core.management.base import BaseCommand, CommandError

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant, role_revoke


class Command(BaseCommand):
    help = "Grant or revoke a committee role, e.g. role grant jane@example.org 'Program committee'"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "revoke"])
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args, action: str, email: str, role: str, **options):
        try:
            # By canonical form, as login does (never iexact: see UserManager).
            user = User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError(f"No account has the email address {email}.") from None
        (role_grant if action == "grant" else role_revoke)(user=user, role=Role(role))
        verb = "now holds" if action == "grant" else "no longer holds"
        self.stdout.write(self.style.SUCCESS(f"{user.email} {verb} the role {role}."))
