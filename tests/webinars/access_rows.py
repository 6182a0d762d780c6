"""Access rows for webinars (see tests/security/access.py).

A nomination, its internal notes and its voluntary answers are for the
nominator (own page, never the notes) and the Webinar committee (admin) only;
everyone else gets the same 404 as for a missing item. Drafts are for the
committee. The participation page is the committee's.
"""

import uuid
from urllib.parse import urlsplit

from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FUTURE,
    FeedbackFactory,
    RegistrationFactory,
    SpeakerNominationFactory,
    TopicSuggestionFactory,
    WebinarFactory,
    recently_held,
)
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row
from webinars.announcements import announcements_set
from webinars.attendance import attendance_import
from webinars.enums import NominationStatus
from webinars.models import (
    AnnouncementSubscription,
    Feedback,
    Participant,
    Registration,
    SpeakerInvitation,
    SpeakerNomination,
    TopicSuggestion,
    Webinar,
)
from webinars.registration import registration_confirm, registration_guest, registration_member
from webinars.services import nomination_submit, webinar_create_from_nomination
from webinars.speakers import invitation_url, speaker_invite

NOTE = "Committee-only remark about the nominee"
NOMINEE = "Quietly Nominated Person"
DRAFT = "Unannounced webinar draft"
SUGGESTION = "Unpublished topic idea"
DRAFT_SPEAKER = "Unannounced Speakerperson"  # speaks only at the draft
USED_TOKEN = uuid.UUID("00000000-0000-4000-8000-000000000015")


JOIN = "https://meet.example.org/j/access-matrix-room"
ATTENDEE = "Imported Attendee Ines"
ATTENDEE_EMAIL = "ines.attendee@example.org"
INVITEE = "Invited Ingrid Speaker"
INVITE_NOTE = "Committee note to the invited speaker"
GUEST = "Guest Registrant Gwen"


def world(personas) -> dict:
    nomination = SpeakerNominationFactory(
        nominator=personas.member,
        nominee_name=NOMINEE,
        internal_notes=NOTE,
        nominee_is_woman=True,
        nominee_is_urm=True,
        nominee_outside_us=True,
        status=NominationStatus.INVITED,
    )
    suggestion = TopicSuggestionFactory(
        nominator=personas.member, title=SUGGESTION, internal_notes=NOTE
    )
    draft = WebinarFactory(
        title=DRAFT,
        is_published=False,
        start_at=FUTURE,
        speakers=[PersonFactory(name=DRAFT_SPEAKER)],
    )
    # A topic form the member has sent already: sending it again makes nothing.
    nomination_submit(
        nomination=TopicSuggestion(title="Sent once", description="y"),
        by=personas.member,
        token=USED_TOKEN,
    )
    # An upcoming webinar the member holds a place for, and a guest who confirmed.
    upcoming = WebinarFactory(title="Registration matrix webinar", start_at=FUTURE, join_url=JOIN)
    registration = registration_member(webinar=upcoming, user=personas.member)
    guest = registration_guest(webinar=upcoming, name=GUEST, email="gwen@example.org")
    registration_confirm(registration=guest)
    # A held webinar whose attendance the committee imported: who came is the committee's.
    imported = WebinarFactory(
        title="Attendance matrix webinar", replay_url="https://vimeo.com/123456789"
    )
    attendance_import(webinar=imported, text=f"Email,Name\n{ATTENDEE_EMAIL},{ATTENDEE}\n")
    # A speaker invited to an accepted nomination's draft (the speaker's path).
    accepted = SpeakerNominationFactory(
        nominee_name=INVITEE, email="invitee@example.org", status=NominationStatus.ACCEPTED
    )
    webinar_create_from_nomination(nomination=accepted, by=personas.webinar_committee)
    accepted.refresh_from_db()
    invitation = speaker_invite(
        nomination=accepted, by=personas.webinar_committee, message=INVITE_NOTE
    )
    return {
        **_feedback_world(personas),
        "imported": imported,
        "participant": Participant.objects.get(webinar=imported),
        "invitation": invitation,
        "invite_path": urlsplit(invitation_url(invitation)).path,
        "upcoming": upcoming,
        "registration": registration,
        "guest": guest,
        "nomination": nomination,
        "suggestion": suggestion,
        "draft": draft,
        "draft_speaker": draft.speakers.get(),
        "private": [
            *(NOTE, NOMINEE, DRAFT, SUGGESTION, JOIN, GUEST),
            *(PENDING, REJECTED, ATTENDEE, ATTENDEE_EMAIL),
        ],
    }


PENDING = "Pending remark from Mia, unmoderated"
REJECTED = "Rejected remark, never for the speaker"
APPROVED = "Approved remark the speaker may read"


def _feedback_world(personas) -> dict:
    """A webinar held an hour ago whose speaker is the other member's linked Person: the
    member attended and commented (pending); two guests rated (one approved comment, one
    rejected); the executive registered but did not attend. A second held webinar of the
    same speaker has sharing switched off. The member opted in to announcements."""
    speaker = PersonFactory(name="Otto as a speaker", user=personas.other_member)
    held = recently_held(title="Held feedback webinar", speakers=[speaker])
    unshared = recently_held(speakers=[speaker], share_feedback_with_speakers=False)
    mine = RegistrationFactory(
        webinar=held, user=personas.member, email=personas.member.email, attended=True
    )
    FeedbackFactory(registration=mine, rating=2, comment=PENDING)
    FeedbackFactory(registration__webinar=held, comment=APPROVED, comment_status="approved")
    FeedbackFactory(registration__webinar=held, comment=REJECTED, comment_status="rejected")
    FeedbackFactory(registration__webinar=unshared, comment=APPROVED, comment_status="approved")
    RegistrationFactory(webinar=held, user=personas.executive, email=personas.executive.email)
    announcements_set(user=personas.member, subscribed=True)
    return {"held": held, "unshared": unshared, "my_feedback": mine.feedback}


def feedback_state(world) -> list:
    return list(Feedback.objects.order_by("id").values_list("rating", "comment", "comment_status"))


def subscription_state(world) -> list:
    return list(AnnouncementSubscription.objects.values_list("user", flat=True))


def nomination_state(world) -> tuple:
    return SpeakerNomination.objects.values_list("status", "internal_notes").get(
        pk=world["nomination"].pk
    )


def registration_states(world) -> list:
    return list(Registration.objects.order_by("id").values_list("email", "status"))


def attendance_state(world) -> list:
    return list(Participant.objects.order_by("id").values_list("email_key", "attended"))


def replay_views(world) -> list:
    return list(Webinar.objects.order_by("id").values_list("replay_views", flat=True))


def invitation_state(world) -> tuple:
    return SpeakerInvitation.objects.values_list("state", "release", "email").get(
        pk=world["invitation"].pk
    )


def suggestion_count(world) -> int:
    return TopicSuggestion.objects.count()


OWN = "/webinars/nominate/speaker/{nomination.pk}/"
OWN_TOPIC = "/webinars/nominate/topic/{suggestion.pk}/"
ADMIN = "/admin/webinars/speakernomination/{nomination.pk}/change/"
PARTICIPATION = "/webinars/committee/participation/"
FLAG_WORDS = ("woman", "minority group", "outside the United States")
OTHERS = (
    "other_member",
    "unverified",
    "newsletter_editor",
    "program_committee",
    "crrg_coordinator",
    "executive",
)
OTHER_ROLES = ("newsletter_editor", "program_committee", "crrg_coordinator", "executive")

UPCOMING = "/webinars/{upcoming.slug}/"
REGISTRATIONS = "/admin/webinars/registration/"
REGISTRATION_ADMIN = "/admin/webinars/registration/{guest.pk}/change/"
REGISTRATION_ROWS = [
    # The join link: the confirmed registrant's own page only.
    Row("registrant sees the join link", "member", "GET", UPCOMING, OK, hidden=(GUEST,)),
    *[
        Row(f"{who} webinar page has no join link", who, "GET", UPCOMING, OK, hidden=(JOIN, GUEST))
        for who in (None, *OTHERS, "webinar_committee")
    ],
    # Who registered: the Webinar committee's admin only.
    Row("webinar committee lists registrations", "webinar_committee", "GET", REGISTRATIONS, OK),
    Row(
        "webinar committee reads a registration",
        "webinar_committee",
        "GET",
        REGISTRATION_ADMIN,
        OK,
    ),
    Row("member registration admin", "member", "GET", REGISTRATIONS, LOGIN),
    Row("anonymous registration admin", None, "GET", REGISTRATIONS, LOGIN),
    *[
        Row(f"{who} registration admin", who, "GET", REGISTRATION_ADMIN, FORBIDDEN)
        for who in OTHER_ROLES
    ],
    Row(
        "webinar committee cannot edit a registration",
        "webinar_committee",
        "POST",
        REGISTRATION_ADMIN,
        FORBIDDEN,
        data={"status": "cancelled", "email": "eve@example.org"},
        unchanged=registration_states,
    ),
    # Other members see nobody's registration, and cannot cancel one.
    Row(
        "other member's My GDS lists no registration",
        "other_member",
        "GET",
        "/my/",
        OK,
        hidden=(GUEST, JOIN),
    ),
    Row(
        "other member cannot cancel the member's place",
        "other_member",
        "POST",
        "/webinars/{upcoming.slug}/unregister/",
        NOT_FOUND,
        unchanged=registration_states,
    ),
    Row(
        "anonymous cannot cancel without the signed link",
        None,
        "POST",
        "/webinars/{upcoming.slug}/unregister/",
        LOGIN,
        unchanged=registration_states,
    ),
    Row(
        "a made-up cancel link is refused",
        None,
        "POST",
        "/webinars/{upcoming.slug}/registration/cancel/{guest.pk}:forged/",
        "status 400",
        unchanged=registration_states,
    ),
    Row(
        "a made-up no-replay-mail link is refused",
        None,
        "POST",
        "/webinars/{upcoming.slug}/registration/no-replay-mail/{guest.pk}:forged/",
        "status 400",
        unchanged=registration_states,
    ),
    Row(
        "a made-up confirm link is refused",
        None,
        "POST",
        "/webinars/{upcoming.slug}/registration/confirm/{guest.pk}:forged/",
        "status 400",
        unchanged=registration_states,
    ),
    # The guest form answers every address alike and changes no one's registration.
    Row(
        "guest form with the member's address",
        None,
        "POST",
        "/webinars/{upcoming.slug}/register/",
        REDIRECT,
        data={"name": "Eve", "email": "member@example.org"},
        hidden=(JOIN,),
        unchanged=registration_states,
    ),
]

FEEDBACK = "/webinars/{held.slug}/feedback/"
SPEAKER = "/webinars/{held.slug}/feedback/speakers/"
FEEDBACK_ADMIN = "/admin/webinars/feedback/"
ANNOUNCEMENTS = "/webinars/announcements/"
FEEDBACK_ROWS = [
    # The attendee: their own feedback, to read and change.
    Row("attendee opens own feedback", "member", "GET", FEEDBACK, OK),
    Row(
        "attendee changes own feedback",
        "member",
        "POST",
        FEEDBACK,
        REDIRECT,
        data={"rating": "5", "comment": PENDING},
    ),
    # A registrant who did not attend, and anyone else: the same 404, nothing written.
    Row(
        "registrant who did not attend cannot give feedback",
        "executive",
        "POST",
        FEEDBACK,
        NOT_FOUND,
        data={"rating": "1"},
        unchanged=feedback_state,
    ),
    *[
        Row(
            f"{who} cannot {m} the member's feedback",
            who,
            m,
            FEEDBACK,
            NOT_FOUND,
            data={"rating": "1", "comment": "pwned"} if m == "POST" else None,
            hidden=(PENDING,),
            unchanged=feedback_state,
        )
        for who in ("other_member", "webinar_committee", "program_committee")
        for m in ("GET", "POST")
    ],
    Row("anonymous feedback form", None, "GET", FEEDBACK, LOGIN),
    Row(
        "a made-up feedback link is refused",
        None,
        "POST",
        "/webinars/{held.slug}/feedback/{my_feedback.registration_id}:forged/",
        "status 400",
        data={"rating": "1"},
        unchanged=feedback_state,
    ),
    # The speaker (other member, linked Person): aggregates and approved comments only.
    Row(
        "speaker reads approved comments only",
        "other_member",
        "GET",
        SPEAKER,
        OK,
        hidden=(PENDING, REJECTED, "Mia Member", "member@example.org"),
    ),
    Row(
        "speaker sees nothing while sharing is off",
        "other_member",
        "GET",
        "/webinars/{unshared.slug}/feedback/speakers/",
        NOT_FOUND,
        hidden=(APPROVED,),
    ),
    Row(
        "speaker's My GDS links their feedback",
        "other_member",
        "GET",
        "/my/",
        OK,
        hidden=(PENDING, REJECTED),
    ),
    Row("webinar committee reads the speaker view", "webinar_committee", "GET", SPEAKER, OK),
    *[
        Row(f"{who} cannot read the speaker view", who, "GET", SPEAKER, NOT_FOUND)
        for who in ("member", "executive", "program_committee", "unverified")
    ],
    Row("anonymous speaker view", None, "GET", SPEAKER, LOGIN),
    # Moderation: the Webinar committee's admin only.
    Row("webinar committee moderates", "webinar_committee", "GET", FEEDBACK_ADMIN, OK),
    Row(
        "webinar committee reads a feedback",
        "webinar_committee",
        "GET",
        "/admin/webinars/feedback/{my_feedback.pk}/change/",
        OK,
    ),
    Row("member feedback admin", "member", "GET", FEEDBACK_ADMIN, LOGIN),
    *[Row(f"{who} feedback admin", who, "GET", FEEDBACK_ADMIN, FORBIDDEN) for who in OTHER_ROLES],
    Row(
        "program committee cannot approve",
        "program_committee",
        "POST",
        FEEDBACK_ADMIN,
        FORBIDDEN,
        data=lambda w: {"action": "approve_selected", "_selected_action": [w["my_feedback"].pk]},
        unchanged=feedback_state,
    ),
    # Announcements: a member's own choice; the signed link for one-click unsubscribe.
    Row("member's announcements page", "member", "GET", ANNOUNCEMENTS, OK),
    Row("anonymous announcements page", None, "GET", ANNOUNCEMENTS, LOGIN),
    Row(
        "unverified member cannot opt in",
        "unverified",
        "POST",
        ANNOUNCEMENTS,
        REDIRECT,
        data={"subscribed": "on"},
        unchanged=subscription_state,
    ),
    Row(
        "other member's choice leaves the member's alone",
        "other_member",
        "POST",
        ANNOUNCEMENTS,
        REDIRECT,
        data={},
        unchanged=subscription_state,
    ),
    Row(
        "a made-up unsubscribe link is refused",
        None,
        "POST",
        "/webinars/announcements/unsubscribe/1:forged/",
        "status 400",
        unchanged=subscription_state,
    ),
    # Cancelling: the member's confirm page asks first; no one else's.
    Row(
        "member's cancel page asks",
        "member",
        "GET",
        "/webinars/{upcoming.slug}/unregister/",
        OK,
        unchanged=registration_states,
    ),
    Row(
        "other member has no cancel page",
        "other_member",
        "GET",
        "/webinars/{upcoming.slug}/unregister/",
        NOT_FOUND,
        hidden=(JOIN,),
    ),
    Row("anonymous cancel page", None, "GET", "/webinars/{upcoming.slug}/unregister/", LOGIN),
]

FIGURES = "/webinars/committee/figures/"
IMPORT = "/admin/webinars/registration/import/"
PARTICIPANTS = "/admin/webinars/participant/"
VIEWS = "/admin/webinars/registration/import-views/"
PARTICIPANT = "/admin/webinars/participant/{participant.pk}/change/"


def forged_import(world) -> dict:
    return {"webinar": world["imported"].pk, "text": f"Email,Attended\n{ATTENDEE_EMAIL},No\n"}


ATTENDANCE_ROWS = [
    # The series' per-webinar figures: the Webinar committee (and superusers) only.
    Row("webinar committee reads the figures", "webinar_committee", "GET", FIGURES, OK),
    Row("staff reads the figures", "staff", "GET", FIGURES, OK),
    *[Row(f"{who} figures", who, "GET", FIGURES, FORBIDDEN) for who in ("member", *OTHER_ROLES)],
    Row("anonymous figures", None, "GET", FIGURES, LOGIN),
    # The public page shows counts, never who attended.
    *[
        Row(
            f"{who} series page names no attendee",
            who,
            "GET",
            "/webinars/",
            OK,
            hidden=(ATTENDEE, ATTENDEE_EMAIL),
        )
        for who in (None, "member")
    ],
    # Importing attendance and reading the imported rows: the committee's admin only.
    Row("webinar committee opens the import", "webinar_committee", "GET", IMPORT, OK),
    Row("webinar committee lists imported rows", "webinar_committee", "GET", PARTICIPANTS, OK),
    Row("webinar committee reads an imported row", "webinar_committee", "GET", PARTICIPANT, OK),
    *[Row(f"{who} import page", who, "GET", IMPORT, FORBIDDEN) for who in OTHER_ROLES],
    *[Row(f"{who} imported rows", who, "GET", PARTICIPANTS, FORBIDDEN) for who in OTHER_ROLES],
    *[Row(f"{who} imported row", who, "GET", PARTICIPANT, FORBIDDEN) for who in OTHER_ROLES],
    *[
        Row(
            f"{who} cannot import",
            who,
            "POST",
            IMPORT,
            FORBIDDEN,
            data=forged_import,
            unchanged=attendance_state,
        )
        for who in OTHER_ROLES
    ],
    *[
        Row(
            f"{who} cannot import",
            who,
            "POST",
            IMPORT,
            LOGIN,
            data=forged_import,
            unchanged=attendance_state,
        )
        for who in (None, "member")
    ],
    Row("member imported rows", "member", "GET", PARTICIPANTS, LOGIN),
    # Replay views from the video host's export: the committee's admin only.
    Row("webinar committee opens the views import", "webinar_committee", "GET", VIEWS, OK),
    *[Row(f"{who} views import", who, "GET", VIEWS, FORBIDDEN) for who in OTHER_ROLES],
    *[Row(f"{who} views import", who, "GET", VIEWS, LOGIN) for who in (None, "member")],
    *[
        Row(
            f"{who} cannot set replay views",
            who,
            "POST",
            VIEWS,
            FORBIDDEN,
            data={"text": "Video URL,Views\nhttps://vimeo.com/123456789,99\n"},
            unchanged=replay_views,
        )
        for who in OTHER_ROLES
    ],
    Row(
        "webinar committee cannot edit an imported row",
        "webinar_committee",
        "POST",
        PARTICIPANT,
        FORBIDDEN,
        data={"attended": "", "email_key": "eve@example.org"},
        unchanged=attendance_state,
    ),
]

INVITATIONS = "/admin/webinars/speakerinvitation/"
RUN_SHEET = "/webinars/committee/{upcoming.slug}/run-sheet/"
INVITATION_ADMIN = "/admin/webinars/speakerinvitation/{invitation.pk}/change/"
SPEAKER_ROWS = [
    # The signed link is the speaker's key: whoever holds it answers (no account needed).
    *[
        Row(f"{who} with the speaker's link sees the invitation", who, "GET", "{invite_path}", OK)
        for who in (None, "member", "webinar_committee")
    ],
    *[
        Row(
            f"{who} with a made-up speaker link",
            who,
            "POST",
            "/webinars/{invitation.webinar.slug}/speaker/{invitation.pk}:forged/",
            "status 400",
            data={"decision": "decline"},
            hidden=(INVITEE, INVITE_NOTE),
            unchanged=invitation_state,
        )
        for who in (None, "member", "webinar_committee")
    ],
    # The invitations and answers: the Webinar committee's admin only.
    Row("webinar committee lists invitations", "webinar_committee", "GET", INVITATIONS, OK),
    Row("webinar committee reads an invitation", "webinar_committee", "GET", INVITATION_ADMIN, OK),
    Row("staff reads an invitation", "staff", "GET", INVITATION_ADMIN, OK),
    Row("anonymous invitation admin", None, "GET", INVITATIONS, LOGIN),
    Row("member invitation admin", "member", "GET", INVITATION_ADMIN, LOGIN),
    *[
        Row(f"{who} invitation admin", who, "GET", INVITATION_ADMIN, FORBIDDEN)
        for who in OTHER_ROLES
    ],
    Row(
        "webinar committee cannot sign a release for the speaker",
        "webinar_committee",
        "POST",
        INVITATION_ADMIN,
        REDIRECT,
        data={"release": "signed", "state": "accepted", "email": "eve@example.org"},
        unchanged=invitation_state,
    ),
    # The run sheet's preview and send: the committee's only.
    Row("webinar committee previews the run sheet", "webinar_committee", "GET", RUN_SHEET, OK),
    Row("anonymous run sheet", None, "GET", RUN_SHEET, LOGIN),
    *[
        Row(f"{who} run sheet", who, "GET", RUN_SHEET, FORBIDDEN, hidden=(JOIN,))
        for who in ("member", *OTHER_ROLES)
    ],
    Row(
        "program committee cannot invite",
        "program_committee",
        "POST",
        "/admin/webinars/speakerinvitation/add/",
        FORBIDDEN,
        data={"nomination": "{invitation.nomination_id}", "message": "x"},
        unchanged=invitation_state,
    ),
]

ROWS = [
    *REGISTRATION_ROWS,
    *FEEDBACK_ROWS,
    *ATTENDANCE_ROWS,
    *SPEAKER_ROWS,
    # The nominator: own items with flags and public-safe status, never the notes.
    Row("nominator reads own nomination", "member", "GET", OWN, OK, hidden=(NOTE, "Invited")),
    Row("nominator reads own topic suggestion", "member", "GET", OWN_TOPIC, OK, hidden=(NOTE,)),
    Row("nominator's My GDS", "member", "GET", "/my/", OK, hidden=(NOTE,)),
    # Everybody else: the same 404 as for a missing item.
    *[Row(f"{who} cannot read the nomination", who, "GET", OWN, NOT_FOUND) for who in OTHERS],
    *[Row(f"{who} cannot read the suggestion", who, "GET", OWN_TOPIC, NOT_FOUND) for who in OTHERS],
    Row(
        "webinar committee uses the admin, not the member page",
        "webinar_committee",
        "GET",
        OWN,
        NOT_FOUND,
    ),
    Row("anonymous nomination", None, "GET", OWN, LOGIN),
    Row(
        "other member cannot withdraw",
        "other_member",
        "POST",
        "/webinars/nominate/speaker/{nomination.pk}/withdraw/",
        NOT_FOUND,
        unchanged=nomination_state,
    ),
    Row(
        "other member's My GDS",
        "other_member",
        "GET",
        "/my/",
        OK,
        hidden=(NOMINEE, SUGGESTION, NOTE),
    ),
    # Nominating needs a verified address.
    Row(
        "unverified member cannot suggest",
        "unverified",
        "POST",
        "/webinars/nominate/topic/",
        REDIRECT,
        data={"title": "x", "description": "y"},
        unchanged=suggestion_count,
    ),
    Row(
        "anonymous cannot suggest",
        None,
        "POST",
        "/webinars/nominate/topic/",
        LOGIN,
        data={"title": "x", "description": "y"},
        unchanged=suggestion_count,
    ),
    # The committee's admin: notes and flags live here only.
    Row("webinar committee reads the nomination", "webinar_committee", "GET", ADMIN, OK),
    Row(
        "webinar committee list shows no flags",
        "webinar_committee",
        "GET",
        "/admin/webinars/speakernomination/",
        OK,
        hidden=FLAG_WORDS,
    ),
    Row("member nomination admin", "member", "GET", ADMIN, LOGIN),
    *[Row(f"{who} nomination admin", who, "GET", ADMIN, FORBIDDEN) for who in OTHER_ROLES],
    Row(
        "program committee cannot triage",
        "program_committee",
        "POST",
        ADMIN,
        FORBIDDEN,
        data={"status": NominationStatus.ACCEPTED, "internal_notes": "pwned"},
        unchanged=nomination_state,
    ),
    # Aggregates only, for the committee only.
    Row(
        "webinar committee participation",
        "webinar_committee",
        "GET",
        PARTICIPATION,
        OK,
        hidden=(NOMINEE,),
    ),
    *[
        Row(f"{who} participation", who, "GET", PARTICIPATION, FORBIDDEN)
        for who in ("member", *OTHER_ROLES)
    ],
    Row("anonymous participation", None, "GET", PARTICIPATION, LOGIN),
    # Drafts: a 404 for everyone but the committee.
    *[
        Row(f"{who} draft webinar", who, "GET", "/webinars/{draft.slug}/", NOT_FOUND)
        for who in (None, "member", *OTHER_ROLES)
    ],
    Row(
        "webinar committee previews the draft",
        "webinar_committee",
        "GET",
        "/webinars/{draft.slug}/",
        OK,
    ),
    # Its speaker is named by nothing public yet: no person page, even for the
    # committee (issue 15, break 12).
    *[
        Row(
            f"{who} draft speaker's page",
            who,
            "GET",
            "/people/{draft_speaker.slug}/",
            NOT_FOUND,
            hidden=(DRAFT_SPEAKER,),
        )
        for who in (None, "member", "webinar_committee")
    ],
    # A form sent again (same one-time token) is answered with the first; nothing new.
    Row(
        "member sends the same topic form again",
        "member",
        "POST",
        "/webinars/nominate/topic/",
        REDIRECT,
        data={"title": "Sent once", "description": "y", "token": str(USED_TOKEN)},
        unchanged=suggestion_count,
    ),
    # The speaker filter and its suggestions name only speakers of published webinars.
    Row(
        "anonymous speaker suggestions omit a draft's speaker",
        None,
        "GET",
        "/webinars/speakers.json?q=Unannounced",
        OK,
        hidden=(DRAFT_SPEAKER, DRAFT),
    ),
    Row(
        "anonymous speaker filter omits a draft's speaker",
        None,
        "GET",
        "/webinars/?speaker=Unannoun",
        OK,
        hidden=(DRAFT_SPEAKER, DRAFT),
    ),
    Row(
        "member speaker suggestions omit a draft's speaker",
        "member",
        "GET",
        "/webinars/speakers.json?q=Speakerperson",
        OK,
        hidden=(DRAFT_SPEAKER,),
    ),
    # Public pages, feeds and search carry no nominations, notes, flags or drafts.
    *[
        Row(
            f"anonymous {url} shows nothing private",
            None,
            "GET",
            url,
            OK,
            hidden=(NOMINEE, NOTE, DRAFT, SUGGESTION, *FLAG_WORDS),
        )
        for url in (
            "/webinars/",
            "/webinars/feed.ics",
            "/webinars/feed.atom",
            "/search/?q=Quietly",
            "/search/?q=webinar",
        )
    ],
]
