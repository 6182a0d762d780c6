from django.core.management.base import BaseCommand

from elections.services.terms import office_roles_sync


class Command(BaseCommand):
    help = (
        "Grant the committee roles of offices whose terms have started and withdraw those "
        "of ended terms. Idempotent; run it daily from the scheduler (docs/elections.md)."
    )

    def handle(self, *args, **options):
        report = office_roles_sync()
        for line in report.granted + report.withdrawn:
            self.stdout.write(line)
        if not report.changed:
            self.stdout.write("Office roles are up to date.")
