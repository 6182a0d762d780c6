from gds_portal.polling import PollingCommand
from webinars.registration import registration_send_reminders
from webinars.replays import registration_send_replay_mails


class Command(PollingCommand):
    help = (
        "Remind confirmed webinar registrants 24 hours and 1 hour before the start, each "
        "once, and tell them once when the replay is public, through the outbox. One "
        "pass by default; --loop keeps polling. Running it "
        "twice, or on many hosts at once, sends nothing twice."
    )

    def run_once(self, **options) -> str:
        sent = registration_send_reminders()
        replays = registration_send_replay_mails()
        done = [f"{sent} webinar reminder(s)"] * bool(sent)
        done += [f"{replays} replay mail(s)"] * bool(replays)
        return f"Queued {' and '.join(done)}." if done else ""
