"""The speaker's path: the committee invites, the speaker answers and signs the release.

From an accepted nomination's draft webinar the committee invites the speaker
(`speaker_invite`): a mail with a signed, expiring link (django.core.signing, as
registration links are; the link names the invitation and its address). On that
link's page the speaker accepts — talk title, abstract, bio, photo, and the
committee's proposed date or one of their own — or declines (`invitation_respond`),
and then signs or refuses the recording release (`invitation_release`).

The release decides whether the replay may ever be public: a webinar's
`replay_released_at` is set when every speaker invited for it has signed, and
cleared as soon as one refuses; `Webinar.replay_is_public` and
`WebinarQuerySet.replay_public` read nothing else.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from gds_portal.mail import send_template_mail
from webinars.enums import InvitationState, NominationStatus, ReleaseState
from webinars.models import SpeakerInvitation, SpeakerNomination, Webinar, WebinarSpeaker
from webinars.services import _committee_emails

INVITE_SALT = "webinars.speakers.invitation"
# Long enough to agree a date and write an abstract; the committee can send a fresh link.
INVITE_MAX_AGE = timedelta(days=60)


class _TokenData(TypedDict):
    i: int
    e: str


def invitation_url(invitation: SpeakerInvitation) -> str:
    data: _TokenData = {"i": invitation.pk, "e": invitation.email_key}
    token = signing.dumps(data, salt=INVITE_SALT)
    path = reverse(
        "webinars:speaker_invitation", kwargs={"slug": invitation.webinar.slug, "token": token}
    )
    return settings.SITE_URL + path


def invitation_for_token(token: str, *, slug: str) -> SpeakerInvitation | None:
    """The invitation a link names; None if forged, expired, for another webinar or for
    an address the invitation no longer has."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    invitation = (
        SpeakerInvitation.objects.select_related("webinar", "person")
        .filter(pk=data["i"], webinar__slug=slug)
        .first()
    )
    if invitation is None or invitation.email_key != data.get("e"):
        return None
    return invitation


def _mail_invitation(invitation: SpeakerInvitation) -> None:
    send_template_mail(
        "webinars/speaker-invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "webinar": invitation.webinar,
            "invitation_url": invitation_url(invitation),
            "max_days": INVITE_MAX_AGE.days,
        },
    )


def invitation_check(nomination: SpeakerNomination) -> None:
    """Raise ValidationError unless the nomination's speaker can be invited."""
    if nomination.status != NominationStatus.ACCEPTED or not nomination.webinar_id:
        raise ValidationError(
            "Only an accepted nomination with a draft webinar can be invited; "
            "create the draft webinar first."
        )
    if not nomination.email:
        raise ValidationError("The nomination has no email address for the nominee.")
    answered = nomination.invitations.exclude(state=InvitationState.INVITED)
    if answered.exists():
        raise ValidationError("The speaker has already answered this invitation.")


@transaction.atomic
def speaker_invite(
    *,
    nomination: SpeakerNomination,
    by: User,
    proposed_start_at: datetime | None = None,
    message: str = "",
) -> SpeakerInvitation:
    """Invite an accepted nomination's speaker to its draft webinar.

    Side effects: creates the SpeakerInvitation for the webinar's speaker made from the
    nomination (or, if one exists and is still unanswered, updates its date and message),
    and queues the invitation mail with a fresh signed link. Raises ValidationError
    unless `by` is on the Webinar committee and the nomination is accepted, has a draft
    webinar and the nominee's email, and its speaker has not answered yet.
    """
    if not by.has_perm("webinars.invite_speakers"):
        raise ValidationError("Only the Webinar committee invites speakers.")
    nomination = SpeakerNomination.objects.select_for_update().get(pk=nomination.pk)
    invitation_check(nomination)
    webinar = Webinar.objects.get(pk=nomination.webinar_id)
    slot = webinar.speaker_slots.select_related("person").order_by("order", "id").first()
    if slot is None:
        raise ValidationError("The draft webinar has no speaker to invite.")
    invitation, created = SpeakerInvitation.objects.get_or_create(
        webinar=webinar,
        person=slot.person,
        defaults={
            "nomination": nomination,
            "email": nomination.email,
            "email_key": canonical_email(nomination.email),
            "invited_by": by,
            "proposed_start_at": proposed_start_at,
            "message": message,
            "talk_title": slot.talk_title,
        },
    )
    if not created:
        if invitation.state != InvitationState.INVITED:
            raise ValidationError("The speaker has already answered this invitation.")
        invitation.proposed_start_at = proposed_start_at or invitation.proposed_start_at
        invitation.message = message or invitation.message
        invitation.save(update_fields=["proposed_start_at", "message"])
    _mail_invitation(invitation)
    return invitation


def signature_matches(typed: str, name: str) -> bool:
    """Whether a typed signature is the invited speaker's name, ignoring case, spaces
    and accents ("Émile  durand" signs for "Emile Durand")."""
    return _name_key(typed) == _name_key(name)


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


@transaction.atomic
def invitation_respond(
    *,
    invitation: SpeakerInvitation,
    accept: bool,
    talk_title: str = "",
    abstract: str = "",
    bio: str = "",
    photo: UploadedFile | None = None,
    start_at: datetime | None = None,
) -> SpeakerInvitation:
    """The speaker accepts (with their talk's details and a date) or declines.

    `start_at` None with a proposed date means the speaker takes the committee's date.
    Side effects: the invitation's answer (state, details, responded_at); on accepting,
    the speaker slot's talk title, and the webinar's start when the speaker took the
    committee's date; a mail to the Webinar committee. Answering again is refused
    (ValidationError): the committee sends a new invitation to change an answer.
    """
    invitation = SpeakerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != InvitationState.INVITED:
        raise ValidationError("This invitation has already been answered.")
    invitation.responded_at = timezone.now()
    invitation.state = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
    if accept:
        invitation.talk_title = talk_title
        invitation.abstract = abstract
        invitation.bio = bio
        if photo is not None:
            invitation.photo = photo
        invitation.accepts_proposed_date = start_at is None
        invitation.speaker_start_at = start_at
        WebinarSpeaker.objects.filter(webinar=invitation.webinar, person=invitation.person).update(
            talk_title=talk_title
        )
        if start_at is None and invitation.proposed_start_at:
            Webinar.objects.filter(pk=invitation.webinar_id).update(
                start_at=invitation.proposed_start_at, updated_at=timezone.now()
            )
    invitation.save()
    committee = _committee_emails()
    if committee:
        send_template_mail(
            "webinars/speaker-answered",
            to=committee,
            context={
                "invitation": invitation,
                "webinar": invitation.webinar,
                "admin_url": reverse(
                    "admin:webinars_speakerinvitation_change", args=[invitation.pk]
                ),
            },
        )
    return invitation


@transaction.atomic
def invitation_release(*, invitation: SpeakerInvitation, signed: bool, name: str) -> None:
    """The speaker signs (or refuses) the recording release of their webinar.

    Side effects: records the answer, the text answered (the webinar's release text as
    it is now), the name typed and when; then the webinar's `replay_released_at` is set
    when every invited speaker has signed, or cleared (the replay stops being public)
    otherwise. Raises ValidationError unless the speaker accepted the invitation. A
    refusal may be turned into a signature later, from the same link.
    """
    webinar = Webinar.objects.select_for_update().get(pk=invitation.webinar_id)
    invitation = SpeakerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != InvitationState.ACCEPTED:
        raise ValidationError("Accept the invitation before answering the release.")
    invitation.release = ReleaseState.SIGNED if signed else ReleaseState.REFUSED
    invitation.release_text = webinar.release_text
    invitation.release_name = name
    invitation.release_answered_at = timezone.now()
    invitation.save(
        update_fields=["release", "release_text", "release_name", "release_answered_at"]
    )
    webinar_update_release(webinar=webinar)


def webinar_update_release(*, webinar: Webinar) -> None:
    """Record whether the webinar's replay may be public, from its speakers' releases.

    Side effects: sets `replay_released_at` (and its note) when every speaker who
    accepted an invitation for the webinar has signed; clears both when any has not.
    Declined invitations do not count. Call with the webinar's row locked. A webinar
    with no accepted invitation keeps what it has (a release recorded
    before the portal recorded releases, migration 0019).
    """
    # Only accepted invitations count: a declined speaker does not speak and never
    # answers the release, so they cannot hold the replay back (issue 17 item 4).
    accepted = webinar.invitations.filter(state=InvitationState.ACCEPTED)
    answers = list(accepted.values_list("release", "release_name"))
    if not answers:
        return
    if all(release == ReleaseState.SIGNED for release, _ in answers):
        webinar.replay_released_at = webinar.replay_released_at or timezone.now()
        names = ", ".join(name for _, name in answers)
        webinar.replay_release_note = f"Signed by {names}"[:250]
    else:
        webinar.replay_released_at = None
        webinar.replay_release_note = ""
    webinar.save(update_fields=["replay_released_at", "replay_release_note", "updated_at"])


# --- The run sheet ---------------------------------------------------------------------


def run_sheet_recipients(webinar: Webinar) -> list[str]:
    """The host's and every accepted speaker's address (the invitation's, else the
    person's), each once, in canonical form order of first appearance."""
    addresses = []
    if webinar.host and webinar.host.email:
        addresses.append(webinar.host.email)
    for invitation in webinar.invitations.filter(state=InvitationState.ACCEPTED).order_by("id"):
        addresses.append(invitation.email)
    for slot in webinar.speaker_slots.select_related("person"):
        if slot.person.email:
            addresses.append(slot.person.email)
    seen, unique = set(), []
    for address in addresses:
        if canonical_email(address) not in seen:
            seen.add(canonical_email(address))
            unique.append(address)
    return unique


def run_sheet_context(webinar: Webinar) -> dict[str, object]:
    slots = list(webinar.speaker_slots.select_related("person"))
    return {
        "webinar": webinar,
        "speakers": slots,
        "webinar_url": settings.SITE_URL + webinar.get_absolute_url(),
        "committee": _committee_emails(),
        "recipients": run_sheet_recipients(webinar),
    }


@transaction.atomic
def webinar_send_run_sheet(*, webinar: Webinar) -> int:
    """Send the run sheet to the host and speakers, once per webinar.

    Side effects: `run_sheet_sent_at` claimed by a conditional update, then one mail to
    the host and speakers together (the join link, the time in UTC, the order of
    events, the committee's notes and contacts). Returns the number of recipients;
    0 if it was sent before. Raises ValidationError if the webinar is cancelled,
    over, has no join link or nobody to send to.
    """
    webinar = Webinar.objects.select_for_update().get(pk=webinar.pk)
    if webinar.start_at is None:
        raise ValidationError("Set the webinar's date first: the run sheet gives the time.")
    if webinar.is_cancelled or webinar.has_ended:
        raise ValidationError("The webinar is cancelled or over: no run sheet to send.")
    if not webinar.join_url:
        raise ValidationError("Add the join link first: the run sheet carries it.")
    recipients = run_sheet_recipients(webinar)
    if not recipients:
        raise ValidationError("Neither the host nor a speaker has an address to send to.")
    claimed = Webinar.objects.filter(pk=webinar.pk, run_sheet_sent_at__isnull=True).update(
        run_sheet_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    send_template_mail("webinars/run-sheet", to=recipients, context=run_sheet_context(webinar))
    return len(recipients)
