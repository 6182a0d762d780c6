from gds_portal.polling import PollingCommand
from newsletters.services import announce_due_issues


class Command(PollingCommand):
    help = (
        "Publish scheduled newsletter issues whose time has come and mail their "
        "announcement to subscribers. One pass by default; --loop keeps polling. "
        "Running it twice, or on many hosts at once, mails nobody twice."
    )

    idle = "0 announcement(s) queued."

    def run_once(self, **options) -> str:
        queued = announce_due_issues()
        return f"{queued} announcement(s) queued." if queued else ""
