"""XSS corpus fields of webinars (see tests/security/xss.py)."""

import csv
import io
import uuid
from urllib.parse import urlencode, urlsplit

from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FUTURE,
    FeedbackFactory,
    TopicFactory,
    WebinarFactory,
    recently_held,
)
from webinars.announcements import announcements_send, announcements_set
from webinars.attendance import attendance_import
from webinars.enums import CommentStatus, NominationStatus
from webinars.feedback import feedback_send_requests
from webinars.models import (
    HostVolunteer,
    Participant,
    SpeakerNomination,
    TopicSuggestion,
    Webinar,
    WebinarSpeaker,
)
from webinars.registration import (
    registration_confirm,
    registration_guest,
    registration_mail_cancellation,
)
from webinars.services import (
    nomination_set_status,
    nomination_submit,
    webinar_create_from_nomination,
    webinar_reindex,
)
from webinars.speakers import (
    invitation_release,
    invitation_respond,
    invitation_url,
    speaker_invite,
    webinar_send_run_sheet,
)


def _speaker_path(corpus):
    """A speaker invited (with the committee's message), who accepted with their talk's
    details and signed the release (with a name), on a webinar whose release text the
    committee wrote: the speaker's page, the admin and the mails show them all."""
    nomination = nomination_submit(
        nomination=SpeakerNomination(
            nominee_name=corpus.text("invited speaker name"),
            email="invited@example.org",
            website="https://example.org/invited",
            proposed_title="Speaker path XSS talk",
            rationale="r",
        ),
        by=corpus.user,
        token=uuid.uuid4(),
    ).nomination
    nomination_set_status(nomination=nomination, status=NominationStatus.ACCEPTED, by=corpus.user)
    webinar = webinar_create_from_nomination(nomination=nomination, by=corpus.user)
    Webinar.objects.filter(pk=webinar.pk).update(release_text=corpus.text("release text", 2000))
    nomination.refresh_from_db()
    invitation = speaker_invite(
        nomination=nomination, by=corpus.user, message=corpus.text("invitation message")
    )
    invitation_respond(
        invitation=invitation,
        accept=True,
        talk_title=corpus.text("speaker talk title", 250),
        abstract=corpus.text("speaker abstract"),
        bio=corpus.text("speaker bio"),
        start_at=FUTURE,
    )
    invitation_release(invitation=invitation, signed=True, name=corpus.text("release name"))
    return invitation


def _feedback_and_announcements(corpus) -> list[str]:
    """Attendees' comments (approved: the speaker view; pending: the admin), and the
    announcement mail of a webinar with a payload title to the visiting member."""
    # Plain titles: recent and upcoming webinars are in the iCalendar feed, which is
    # text and not walked for markup (the titles' payloads are walked elsewhere).
    held = recently_held(title="Held XSS feedback webinar")
    approved = FeedbackFactory(
        registration__webinar=held,
        registration__name=corpus.text("attendee name", 200),
        comment=corpus.text("approved feedback comment", 4000),
        comment_status=CommentStatus.APPROVED,
    )
    pending = FeedbackFactory(
        registration__webinar=held, comment=corpus.text("pending feedback comment", 4000)
    )
    feedback_send_requests()  # the thank-you mail: title and attendee's name
    announcements_set(user=corpus.user, subscribed=True)
    announced = WebinarFactory(title=corpus.text("announced webinar title", 250), start_at=FUTURE)
    announcements_send()
    # Then called off, so that the payload title stays out of the iCalendar feed.
    Webinar.objects.filter(pk=announced.pk).update(is_cancelled=True)
    return [
        f"/webinars/{held.slug}/feedback/speakers/",
        "/admin/webinars/feedback/",
        "/admin/webinars/feedback/?comment_status=all",
        f"/admin/webinars/feedback/{approved.pk}/change/",
        f"/admin/webinars/feedback/{pending.pk}/change/",
    ]


def seed(corpus) -> list[str]:
    topic = TopicFactory(
        name=corpus.text("topic name", 120), slug="xss-topic", description=corpus.markdown("topic")
    )
    speaker = PersonFactory(name=corpus.text("speaker name"))
    host = PersonFactory(name=corpus.text("host name"))
    webinar = WebinarFactory(
        title=corpus.text("webinar title", 250),
        description=corpus.markdown("webinar description"),
        host=host,
        topics=[topic],
    )
    WebinarSpeaker.objects.create(
        webinar=webinar, person=speaker, talk_title=corpus.text("talk title", 250)
    )
    webinar_reindex(webinar_ids=[webinar.pk])
    # A guest's name: in the committee's registration list and page, and the webinar's inline.
    upcoming = WebinarFactory(title="Registration XSS webinar", start_at=FUTURE)
    guest = registration_guest(
        webinar=upcoming, name=corpus.text("guest registrant name", 200), email="g@example.org"
    )
    registration_confirm(registration=guest)
    # A second webinar, cancelled: its registrant's mail carries the title and their name.
    called_off = WebinarFactory(title=corpus.text("cancelled webinar title", 250), start_at=FUTURE)
    registration_confirm(
        registration=registration_guest(
            webinar=called_off, name=corpus.text("told registrant name", 200), email="t@example.org"
        )
    )
    Webinar.objects.filter(pk=called_off.pk).update(is_cancelled=True)
    registration_mail_cancellation(webinar=called_off)
    # A name from a platform's attendance report (attendees choose their display names):
    # in the committee's list of imported rows; the held webinar's title on the figures.
    report = io.StringIO()
    csv.writer(report).writerows(
        [["Email", "Name"], ["attendee@example.org", corpus.text("imported attendee name", 200)]]
    )
    attendance_import(webinar=webinar, text=report.getvalue())
    participant = Participant.objects.get(webinar=webinar)
    # An address is validated on import, but a quoted local part may hold markup.
    Participant.objects.create(
        webinar=webinar, email_key=corpus.text("imported attendee address", 254)
    )
    speaker_filter = urlencode({"speaker": corpus.text("archive speaker filter (reflected)")})
    corpus.document("/webinars/feed.atom")
    corpus.document("/webinars/feed.ics")
    suggestion = nomination_submit(
        nomination=TopicSuggestion(
            title=corpus.text("suggested topic", 250),
            description=corpus.text("suggestion description"),
            why_now=corpus.text("why now"),
            suggested_speakers=corpus.text("suggested speakers"),
            internal_notes=corpus.text("suggestion notes"),
        ),
        by=corpus.user,
        token=uuid.uuid4(),
    ).nomination
    nomination = nomination_submit(
        nomination=SpeakerNomination(
            nominee_name=corpus.text("nominee name"),
            affiliation=corpus.text("nominee affiliation", 250),
            website="https://example.org/nominee",
            proposed_title=corpus.text("proposed title", 250),
            rationale=corpus.text("rationale"),
            internal_notes=corpus.text("nomination notes"),
        ),
        by=corpus.user,
        token=uuid.uuid4(),
        topics=[topic],
    ).nomination
    volunteer = nomination_submit(
        nomination=HostVolunteer(
            other_topics=corpus.text("host other topics"),
            availability=corpus.text("host availability"),
            internal_notes=corpus.text("host volunteer notes"),
        ),
        by=corpus.user,
        token=uuid.uuid4(),
        topics=[topic],
    ).nomination
    nomination_set_status(
        nomination=nomination,
        status=NominationStatus.UNDER_REVIEW,
        by=corpus.user,
        note=corpus.text("nomination status note", 500),
    )
    # The committee's note: in the status mail it went with (text and HTML bodies, then
    # cleared), and on the admin page of an item whose note is still to be sent.
    suggestion.committee_note = corpus.text("topic status mail note")
    suggestion.save(update_fields=["committee_note"])
    nomination_set_status(nomination=suggestion, status=NominationStatus.ACCEPTED, by=corpus.user)
    for item in (suggestion, nomination, volunteer):
        item.committee_note = corpus.text(f"{item.kind_slug} status mail note (unsent)")
        item.save(update_fields=["committee_note"])
    # The history pages: the list of versions (with the note as their reason and the
    # field changes between them) and one past version's page, for each kind.
    history = []
    for item in (suggestion, nomination, volunteer):
        admin_url = f"/admin/webinars/{item._meta.model_name}/{item.pk}/history/"
        history += [admin_url, f"{admin_url}{item.history.earliest().history_id}/"]
    feedback_pages = _feedback_and_announcements(corpus)
    invitation = _speaker_path(corpus)
    # The run sheet's notes: in its preview (escaped) and the mail it sends.
    sheet = WebinarFactory(
        title="Run sheet XSS webinar",
        start_at=FUTURE,
        join_url="https://meet.example.org/j/xss",
        host=PersonFactory(name="Run Sheet Host", email="sheet-host@example.org"),
        run_sheet_notes=corpus.text("run sheet notes"),
        is_published=False,
    )
    webinar_send_run_sheet(webinar=sheet)
    return [
        *feedback_pages,
        f"/webinars/committee/{sheet.slug}/run-sheet/",
        urlsplit(invitation_url(invitation)).path,
        "/admin/webinars/speakerinvitation/",
        f"/admin/webinars/speakerinvitation/{invitation.pk}/change/",
        f"/admin/webinars/webinar/{invitation.webinar_id}/change/",
        "/webinars/",
        f"/webinars/?{speaker_filter}",
        webinar.get_absolute_url(),
        topic.get_absolute_url(),
        speaker.get_absolute_url(),
        host.get_absolute_url(),
        "/search/?q=alert",
        "/",
        "/my/",
        suggestion.get_absolute_url(),
        nomination.get_absolute_url(),
        volunteer.get_absolute_url(),
        "/admin/webinars/webinar/",
        f"/admin/webinars/webinar/{upcoming.pk}/change/",
        "/admin/webinars/registration/",
        f"/admin/webinars/registration/{guest.pk}/change/",
        f"/admin/webinars/webinar/{webinar.pk}/change/",
        "/admin/webinars/participant/",
        f"/admin/webinars/participant/{participant.pk}/change/",
        "/webinars/committee/figures/",
        "/admin/webinars/topic/",
        f"/admin/webinars/topic/{topic.pk}/change/",
        "/admin/webinars/topicsuggestion/",
        f"/admin/webinars/topicsuggestion/{suggestion.pk}/change/",
        "/admin/webinars/speakernomination/",
        f"/admin/webinars/speakernomination/{nomination.pk}/change/",
        "/admin/webinars/hostvolunteer/",
        f"/admin/webinars/hostvolunteer/{volunteer.pk}/change/",
        *history,
    ]
