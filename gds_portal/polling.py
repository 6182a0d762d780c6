"""The workers' one polling loop (`make worker`, `make run`).

Each background job is a management command that does one pass by default and, with
`--loop`, keeps polling every `--interval` seconds. The passes themselves are safe to run
twice or on many hosts at once (each claims its rows); this is only the loop around them.
"""

import time

from django.core.management.base import BaseCommand


class PollingCommand(BaseCommand):
    """Subclasses say what one pass does (`run_once`, returning the line to log, or "" when
    there was nothing to do, so a loop's log shows only real work)."""

    default_interval = 60.0
    polls = "polling for work"
    idle = "Nothing to do."  # what a single pass that found nothing says

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help=f"keep running, {self.polls}")
        parser.add_argument(
            "--interval", type=float, default=self.default_interval, help="seconds between polls"
        )

    def run_once(self, **options) -> str:
        raise NotImplementedError

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            said = self.run_once(**options)
            if said or not loop:
                self.stdout.write(said or self.idle)
            if not loop:
                return
            time.sleep(interval)
