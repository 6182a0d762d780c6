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
    SpeakerNominationFactory,
    TopicSuggestionFactory,
    WebinarFactory,
)
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row
from webinars.enums import NominationStatus
from webinars.models import Registration, SpeakerInvitation, SpeakerNomination, TopicSuggestion
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
        "invitation": invitation,
        "invite_path": urlsplit(invitation_url(invitation)).path,
        "upcoming": upcoming,
        "registration": registration,
        "guest": guest,
        "nomination": nomination,
        "suggestion": suggestion,
        "draft": draft,
        "draft_speaker": draft.speakers.get(),
        "private": [NOTE, NOMINEE, DRAFT, SUGGESTION, JOIN, GUEST],
    }


def nomination_state(world) -> tuple:
    return SpeakerNomination.objects.values_list("status", "internal_notes").get(
        pk=world["nomination"].pk
    )


def registration_states(world) -> list:
    return list(Registration.objects.order_by("id").values_list("email", "status"))


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
