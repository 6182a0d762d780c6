"""Survey invitations and reminders: previews, sending rounds through the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from crrg.enums import MailingKind
from crrg.models import (
    MAX_REMINDERS,
    Invitation,
    Questionnaire,
    SurveyMailing,
    SurveyMailingToken,
)
from crrg.selectors.invitations import (
    REMINDER_SPACING,
    Segment,
    invitation_recipients,
    reminder_recipients,
)
from crrg.services.answering import QuestionnaireClosed
from gds_portal.mail import render_mail, send_template_mail
from gds_portal.once import claim_token

# --- Invitations and reminders (issue 18, item 3) ----------------------------------

REMINDER_AUDIENCE = "Invited members who have not submitted"


# The previews are rendered for this stand-in, never for a real recipient: a preview
# that showed "the first recipient" told coordinators who is in a committee role, and
# one rendered with that member's draft status told them who holds an unsubmitted
# draft, which the survey pages promise nobody reads.
PREVIEW_MEMBER_NAME = "(the member's name)"


@dataclass(frozen=True)
class MailPreview:
    """The mail as every recipient gets it, their name shown as PREVIEW_MEMBER_NAME, and
    how many would get one. Nothing in it is about any one member."""

    subject: str
    text: str
    recipient_count: int
    # Reminders only: the text a member who saved a draft gets instead. Shown whether
    # or not anyone holds one, and never counted.
    draft_text: str = ""


def _preview_member() -> User:
    return User(full_name=PREVIEW_MEMBER_NAME, email="")


@dataclass
class MailingOutcome:
    """What survey_invite or survey_remind did; `replayed` when its form was sent before
    (then `mailing` is the first send's, or None if the token was someone else's or the
    first send reached nobody). `mailing` is None, too, when there was nobody to mail."""

    mailing: SurveyMailing | None
    replayed: bool = False


def _survey_context(questionnaire: Questionnaire, member: User) -> dict[str, Any]:
    return {
        "questionnaire": questionnaire,
        "member": member,
        "survey_url": settings.SITE_URL + questionnaire.get_absolute_url(),
        # Who runs it: the owning committee, by its own name.
        "runs_it": questionnaire.owner,
    }


def _invitation_context(
    questionnaire: Questionnaire, member: User, note: str, by: User
) -> dict[str, Any]:
    # The note is data for the template, never template source (CONVENTIONS: text is data).
    # It is signed by its writer: any coordinator named on a survey may write one, and
    # the mail goes out under the committee's name, so members must see who wrote it.
    return {**_survey_context(questionnaire, member), "note": note, "note_by": by.signature}


def _reminder_context(questionnaire: Questionnaire, member: User) -> dict[str, Any]:
    # `has_draft` is annotated by crrg.invitations.reminder_recipients.
    has_draft = getattr(member, "has_draft", False)
    return {**_survey_context(questionnaire, member), "has_draft": has_draft}


def _open_and_locked(questionnaire: Questionnaire) -> None:
    """Lock the survey row for this mailing; raise QuestionnaireClosed unless it is open.

    The lock (FOR NO KEY UPDATE: members' answers, which only reference the row, are
    not held up) makes two coordinators' sends for one survey take turns, so the
    second one reads the first one's invitations and reminders and mails nobody twice.
    """
    locked = Questionnaire.objects.select_for_update(no_key=True).filter(pk=questionnaire.pk)
    current = locked.first()  # its times as they are now, not as the page read them
    if current is None or not current.is_open():
        raise QuestionnaireClosed("Invitations and reminders go out only while the survey is open.")


def _claimed(token: uuid.UUID, by: User) -> MailingOutcome | None:
    if earlier := claim_token(SurveyMailingToken, token=token, by=by):
        return MailingOutcome(earlier.mailing if earlier.user_id == by.pk else None, replayed=True)
    return None


def survey_invite_preview(
    *, questionnaire: Questionnaire, segment: Segment, note: str, by: User
) -> MailPreview:
    """The invitation as `segment`'s recipients would get it (for a stand-in member),
    with the count survey_invite would mail now. Writes nothing."""
    recipients = invitation_recipients(questionnaire, segment.key)
    if not recipients:
        return MailPreview("", "", 0)
    context = _invitation_context(questionnaire, _preview_member(), note, by)
    subject, text, _ = render_mail("crrg/survey-invitation", context)
    return MailPreview(subject, text, len(recipients))


def survey_invite(
    *, questionnaire: Questionnaire, segment: Segment, note: str, by: User, token: uuid.UUID
) -> MailingOutcome:
    """Invite `segment` to the open survey: one personal mail per member, once per form.

    Recipients: the segment's active members with a verified address, less those
    already invited and those who already submitted (crrg.invitations.invitation_recipients).
    Side effects: one SurveyMailingToken row (the same form sent again, even in parallel,
    writes and mails nothing more and answers with the first send); one Invitation row
    and one queued OutboundEmail (crrg/survey-invitation) per recipient, each addressed to
    that member alone; one SurveyMailing row — none of these but the token when nobody
    is left to invite. Raises QuestionnaireClosed unless the survey is open (the token
    is rolled back with it).
    """
    with transaction.atomic():
        if replay := _claimed(token, by):
            return replay
        _open_and_locked(questionnaire)
        recipients = invitation_recipients(questionnaire, segment.key)
        if not recipients:
            return MailingOutcome(None)  # a round that reached nobody is no round
        now = timezone.now()
        Invitation.objects.bulk_create(
            Invitation(questionnaire=questionnaire, user=m, invited_at=now, last_mailed_at=now)
            for m in recipients
        )
        mailing = SurveyMailing(
            kind=MailingKind.INVITATION, audience=segment.label, note=note, sent_at=now
        )
        _send_round(
            mailing,
            questionnaire=questionnaire,
            recipients=recipients,
            by=by,
            token=token,
            template="crrg/survey-invitation",
            context=lambda member: _invitation_context(questionnaire, member, note, by),
        )
    return MailingOutcome(mailing)


def survey_remind_preview(*, questionnaire: Questionnaire) -> MailPreview:
    """The reminder as its recipients would get it (for a stand-in member), with the
    count survey_remind would mail now, and the text a draft holder gets instead (how
    many hold one is not said: drafts are nobody's business). Writes nothing."""
    recipients = reminder_recipients(questionnaire)
    if not recipients:
        return MailPreview("", "", 0)
    member = _preview_member()
    subject, text, _ = render_mail("crrg/survey-reminder", _reminder_context(questionnaire, member))
    member.has_draft = True  # type: ignore[attr-defined]  # as the selector annotates it
    _, draft_text, _ = render_mail("crrg/survey-reminder", _reminder_context(questionnaire, member))
    return MailPreview(subject, text, len(recipients), draft_text)


def survey_remind(*, questionnaire: Questionnaire, by: User, token: uuid.UUID) -> MailingOutcome:
    """Remind the invited members who have not submitted, once per form.

    Recipients: crrg.invitations.reminder_recipients (at most MAX_REMINDERS reminders each,
    none within REMINDER_SPACING of their last mail from this survey, active with a
    verified address); a member holding a draft is told it waits. Side effects: one
    SurveyMailingToken row (a replay mails nothing); each recipient's Invitation counts
    the reminder and its mail time; one queued OutboundEmail (crrg/survey-reminder) per
    recipient; one SurveyMailing row — none of these but the token when nobody is due.
    Raises QuestionnaireClosed unless the survey is open.
    """
    with transaction.atomic():
        if replay := _claimed(token, by):
            return replay
        _open_and_locked(questionnaire)
        now = timezone.now()
        recipients = reminder_recipients(questionnaire, now=now)
        if not recipients:
            return MailingOutcome(None)  # a round that reached nobody is no round
        # The same conditions again in the write, so the cap and the spacing hold in
        # the rows themselves (and the table's check constraint backs the cap).
        Invitation.objects.filter(
            questionnaire=questionnaire,
            user__in=[m.pk for m in recipients],
            reminders_sent__lt=MAX_REMINDERS,
            last_mailed_at__lte=now - REMINDER_SPACING,
        ).update(reminders_sent=F("reminders_sent") + 1, last_mailed_at=now)
        mailing = SurveyMailing(kind=MailingKind.REMINDER, audience=REMINDER_AUDIENCE, sent_at=now)
        _send_round(
            mailing,
            questionnaire=questionnaire,
            recipients=recipients,
            by=by,
            token=token,
            template="crrg/survey-reminder",
            context=lambda member: _reminder_context(questionnaire, member),
        )
    return MailingOutcome(mailing)


def _send_round(
    mailing: SurveyMailing,
    *,
    questionnaire: Questionnaire,
    recipients: Sequence[User],
    by: User,
    token: uuid.UUID,
    template: str,
    context: Callable[[User], dict[str, Any]],
) -> None:
    """What an invitation round and a reminder round share: record the round, queue one
    mail per member addressed to them alone, and tie the form's token to the round (so a
    replay answers with it). Inside the caller's transaction."""
    mailing.questionnaire = questionnaire
    mailing.sent_by = by
    mailing.recipient_count = len(recipients)
    mailing.save()
    for member in recipients:
        send_template_mail(template, to=[member.email], context=context(member))
    SurveyMailingToken.objects.filter(token=token).update(mailing=mailing)
