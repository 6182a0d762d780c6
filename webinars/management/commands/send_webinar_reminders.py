from gds_portal.polling import PollingCommand
from webinars.announcements import announcements_send
from webinars.feedback import feedback_send_requests
from webinars.registration import registration_send_reminders
from webinars.replays import registration_send_replay_mails


class Command(PollingCommand):
    help = (
        "Remind confirmed webinar registrants 24 hours and 1 hour before the start, ask "
        "attendees for feedback after it, tell registrants when the replay is public and "
        "announce newly scheduled webinars to the members who asked, each once, through "
        "the outbox. One pass by default; --loop "
        "keeps polling. Running it twice, or on many hosts at once, sends nothing twice."
    )

    def run_once(self, **options) -> str:
        counts = [
            (registration_send_reminders(), "webinar reminder(s)"),
            (feedback_send_requests(), "feedback request(s)"),
            (registration_send_replay_mails(), "replay mail(s)"),
            (announcements_send(), "webinar announcement(s)"),
        ]
        return " ".join(f"Queued {n} {what}." for n, what in counts if n)
