from gds_portal.mail import deliver_due
from gds_portal.polling import PollingCommand


class Command(PollingCommand):
    help = (
        "Deliver queued mail from the outbox, each message once (retries with backoff). "
        "Safe to run on many hosts at once."
    )
    default_interval = 5.0
    polls = "polling the outbox"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--batch", type=int, default=100, help="messages per pass (each claimed on its own)"
        )

    def run_once(self, *, batch: int, **options) -> str:
        attempted = 0
        while (count := deliver_due(limit=batch)) > 0:
            attempted += count
        return f"Attempted {attempted} message(s)." if attempted else ""
