import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from elections.audit import verify


class Command(BaseCommand):
    help = (
        "Recount an election from its audit bundle (the JSON file its results page offers): "
        "checks the ballot hash and turnout, and that the recount elects the published "
        "winners in the published rounds. Reads only the file, never the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("bundle", help="path to the downloaded audit bundle (JSON)")

    def handle(self, *args, bundle: str, **options):
        try:
            data = json.loads(Path(bundle).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {bundle}: {error}") from error
        problems = verify(data)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError("The bundle does not verify.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Verified: {data['turnout']} ballots, hash {data['ballot_hash']}; "
                "the recount elects the published winners."
            )
        )
