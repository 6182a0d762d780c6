"""Every CRRG write: answering, joining and leaving groups, retiring questions, messages."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from crrg.enums import MailingKind, MembershipSource, QuestionKind
from crrg.models import (
    MAX_REMINDERS,
    Answer,
    Choice,
    GroupMessage,
    InterestGroup,
    InterestGroupMembership,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SurveyMailing,
    SurveyMailingToken,
)
from crrg.selectors import (
    REMINDER_SPACING,
    Segment,
    contactable_members,
    invitation_recipients,
    reminder_recipients,
)
from gds_portal.mail import render_mail, send_template_mail
from gds_portal.once import claim_token

LEAVE_SALT = "crrg.leave-group"
# A link in a group message keeps working for a long while: people read old mail.
LEAVE_LINK_MAX_AGE = 60 * 60 * 24 * 180


class QuestionInUse(Exception):
    """Raised when a question with answers would be deleted."""

    message = "Members have answered this question, so it cannot be deleted. Retire it instead."


class QuestionnaireClosed(Exception):
    """Raised when answers arrive outside the questionnaire's opening times."""


class AlreadySubmitted(Exception):
    """Raised when a submitted response would be put back to a draft."""

    message = (
        "Your answers were already submitted, so they were not saved for later. Change "
        "them below and submit again if you wish."
    )


def response_submit(
    *,
    questionnaire: Questionnaire,
    user: User,
    answers: dict[Question, Any],
    consent_contact: bool,
    consent_listed: bool,
) -> tuple[Response, bool]:
    """Save the member's answers as their one submitted response to `questionnaire`.

    `answers` maps every asked (not retired) question to its cleaned value, or
    None when it is unanswered or hidden by its condition.
    Side effects: the Response row is created or locked and updated (a draft the
    member saved before becomes the submitted response, dated now); Answer and
    AnswerChoice rows are written or removed (answers to retired questions are
    kept); the member is placed in, or taken out of, the interest groups their
    picked choices map to. Returns (response, created), created meaning "submitted
    for the first time". Raises QuestionnaireClosed outside the opening times.
    """
    with transaction.atomic():
        response, first = _locked_response(questionnaire, user)
        groups_before = _picked_groups(response) if not first else set()
        _write_answers(response, answers)
        now = timezone.now()
        if first:
            # Counted from its submission: a draft saved weeks ago is not an early answer.
            response.created_at = response.submitted_at = now
        response.consent_contact = consent_contact
        response.consent_listed = consent_listed and questionnaire.grants_membership
        response.updated_at = now
        response.withdrawn_at = None
        response.save()
        _sync_groups(user, groups_before, _picked_groups(response))
    return response, first


def response_save_draft(
    *,
    questionnaire: Questionnaire,
    user: User,
    answers: dict[Question, Any],
    consent_contact: bool,
    consent_listed: bool,
) -> Response:
    """Keep the member's answers so far, unsubmitted, to finish later.

    A draft counts nowhere (summaries, exports, rosters, interest groups: the
    default manager leaves it out) and is deleted unsent when the questionnaire
    closes (`drafts_discard`). Side effects: the draft row and its answers are
    written. Raises QuestionnaireClosed outside the opening times, AlreadySubmitted
    if the member's response was submitted (a submitted answer is never withdrawn
    into a draft).
    """
    with transaction.atomic():
        response, first = _locked_response(questionnaire, user)
        if not first:
            raise AlreadySubmitted(AlreadySubmitted.message)
        _write_answers(response, answers)
        response.consent_contact = consent_contact
        response.consent_listed = consent_listed and questionnaire.grants_membership
        response.updated_at = timezone.now()
        response.save()
    return response


def _locked_response(questionnaire: Questionnaire, user: User) -> tuple[Response, bool]:
    """The member's response row (a draft if new), locked; and whether it is unsubmitted."""
    if not questionnaire.is_open():
        raise QuestionnaireClosed("This questionnaire is not open for answers.")
    # The unique constraint settles a race between two saves; the row lock then
    # makes the second one update the first one's answers in turn.
    response, _ = Response.with_drafts.get_or_create(questionnaire=questionnaire, user=user)
    response = Response.with_drafts.select_for_update().get(pk=response.pk)
    return response, response.submitted_at is None


def _write_answers(response: Response, answers: dict[Question, Any]) -> None:
    existing = {a.question_id: a for a in response.answers.all()}
    for question, value in answers.items():
        _save_answer(response, question, value, existing.get(question.pk))


def drafts_discard(*, now: datetime | None = None) -> int:
    """Delete the unsubmitted drafts of questionnaires that have closed.

    Side effects: those Response rows and their answers are deleted. Returns how
    many drafts went. Run by manage.py crrg_discard_drafts (scheduled, docs/deploy.md).
    """
    now = now or timezone.now()
    drafts = Response.with_drafts.filter(
        submitted_at__isnull=True, questionnaire__closes_at__lte=now
    )
    _, deleted = drafts.delete()
    return deleted.get(Response._meta.label, 0)


def _save_answer(
    response: Response,
    question: Question,
    value: Any,  # of the type question.kind stores (crrg.forms._typed), or None
    answer: Answer | None,
) -> None:
    if value in (None, "", []):
        if answer is not None:
            answer.delete()
        return
    if answer is None:
        answer = Answer(response=response, question=question)
    answer.text, answer.number, answer.boolean = "", None, None
    kind = question.kind
    if kind == QuestionKind.YES_NO:
        answer.boolean = value
    elif kind == QuestionKind.SCALE:
        answer.number = value
    elif kind not in QuestionKind.with_choices():
        answer.text = value
    answer.save()
    if kind in QuestionKind.with_choices():
        answer.choices.set(value if isinstance(value, list | tuple) else [value])


def _picked_groups(response: Response) -> set[int]:
    # Only the CRRG's own surveys place members in its interest groups, whatever a
    # choice row says (Choice.clean and the admin refuse the mapping elsewhere).
    if response.questionnaire.owner != Role.CRRG_COORDINATORS:
        return set()
    return set(
        Choice.objects.filter(
            picks__answer__response=response, interest_group__isnull=False
        ).values_list("interest_group", flat=True)
    )


def _sync_groups(user: User, before: set[int], after: set[int]) -> None:
    """Place the member in newly picked groups; take them out of groups they un-picked.

    A group the member left stays left until they pick it again; a coordinator's
    manual placement is never undone by an answer.
    """
    now = timezone.now()
    for group_id in after - before:
        InterestGroupMembership.objects.update_or_create(
            group_id=group_id,
            user=user,
            defaults={"left_at": None},
            create_defaults={"source": MembershipSource.ANSWERS, "joined_at": now},
        )
    InterestGroupMembership.objects.filter(
        user=user, group_id__in=before - after, source=MembershipSource.ANSWERS
    ).delete()


def crrg_leave(*, user: User) -> None:
    """The member leaves the CRRG.

    Side effects: their membership responses are marked withdrawn (so their
    name leaves the public list and no group mail reaches them) and every
    interest-group membership is marked left. Answers are kept for the summaries.
    """
    now = timezone.now()
    with transaction.atomic():
        Response.objects.filter(
            user=user, questionnaire__grants_membership=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        InterestGroupMembership.objects.filter(user=user, left_at__isnull=True).update(left_at=now)


def interest_group_leave(*, user: User, group: InterestGroup) -> bool:
    """Mark the member's membership of `group` as left. Returns whether they were in it."""
    with transaction.atomic():
        updated = InterestGroupMembership.objects.filter(
            user=user, group=group, left_at__isnull=True
        ).update(left_at=timezone.now())
    return bool(updated)


def interest_group_add(*, group: InterestGroup, user: User) -> InterestGroupMembership:
    """A coordinator places a member in a group by hand (also re-adds one who left)."""
    with transaction.atomic():
        membership, _ = InterestGroupMembership.objects.update_or_create(
            group=group,
            user=user,
            defaults={"left_at": None, "source": MembershipSource.COORDINATOR},
        )
    return membership


def question_delete(*, question: Question) -> None:
    """Delete a question nobody answered yet; raises QuestionInUse otherwise."""
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        if question.has_answers():
            raise QuestionInUse(QuestionInUse.message)
        # Drafts may hold an answer to it: it goes with the question (a draft is read by
        # nobody; the member is asked what is still asked).
        question.answers.filter(response__submitted_at__isnull=True).delete()
        question.delete()


def questionnaire_delete(*, questionnaire: Questionnaire) -> None:
    """Delete a survey nobody submitted; its drafts (read by nobody) go with it.

    A survey with submitted responses is kept by the database (PROTECT): the admin
    refuses it as protected and the committee closes it instead."""
    with transaction.atomic():
        Response.with_drafts.filter(questionnaire=questionnaire, submitted_at__isnull=True).delete()
        questionnaire.delete()


def question_retire(*, question: Question) -> None:
    """Stop asking `question`; its answers stay in summaries and exports."""
    Question.objects.filter(pk=question.pk).update(retired=True)
    question.retired = True


def leave_token(*, user: User, group: InterestGroup) -> str:
    return signing.dumps({"u": user.pk, "g": group.pk}, salt=LEAVE_SALT, compress=True)


def leave_token_read(token: str) -> tuple[User, InterestGroup] | None:
    """The (member, group) a leave link was made for, or None if forged or expired."""
    try:
        data = signing.loads(token, salt=LEAVE_SALT, max_age=LEAVE_LINK_MAX_AGE)
        return User.objects.get(pk=data["u"]), InterestGroup.objects.get(pk=data["g"])
    except (
        signing.BadSignature,
        KeyError,
        TypeError,
        User.DoesNotExist,
        InterestGroup.DoesNotExist,
    ):
        return None


def group_message_send(*, group: InterestGroup, subject: str, body: str, by: User) -> GroupMessage:
    """Send a message to the group's members who consented to be contacted.

    Side effects: one GroupMessage row; one queued OutboundEmail per consenting
    active member, each carrying that member's own signed link to leave the group.
    """
    with transaction.atomic():
        recipients = [m.user for m in contactable_members(group)]
        message = GroupMessage.objects.create(
            group=group, subject=subject, body=body, sent_by=by, recipient_count=len(recipients)
        )
        for member in recipients:
            leave_url = settings.SITE_URL + reverse(
                "crrg:leave_link", kwargs={"token": leave_token(user=member, group=group)}
            )
            send_template_mail(
                "crrg/group-message",
                to=[member.email],
                context={
                    "group": group,
                    "subject": subject,
                    "body": body,
                    "member": member,
                    "leave_url": leave_url,
                },
                headers={"List-Unsubscribe": f"<{leave_url}>"},
            )
    return message


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
    # `has_draft` is annotated by crrg.selectors.reminder_recipients.
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
    already invited and those who already submitted (crrg.selectors.invitation_recipients).
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

    Recipients: crrg.selectors.reminder_recipients (at most MAX_REMINDERS reminders each,
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
