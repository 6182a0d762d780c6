from gds_portal.polling import PollingCommand
from webinars.registration import registration_send_reminders


class Command(PollingCommand):
    help = (
        "Remind confirmed webinar registrants 24 hours and 1 hour before the start, each "
        "once, through the outbox. One pass by default; --loop keeps polling. Running it "
        "twice, or on many hosts at once, sends nothing twice."
    )

    def run_once(self, **options) -> str:
        sent = registration_send_reminders()
        return f"Queued {sent} webinar reminder(s)." if sent else ""
