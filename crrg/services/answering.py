"""Every write of answering a questionnaire: submitting (named or anonymous), saving
for later, discarding drafts; and the interest groups a CRRG answer places the member in."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from crrg.enums import MembershipSource, QuestionKind
from crrg.models import (
    Answer,
    AnswerChoice,
    Choice,
    InterestGroupMembership,
    Participation,
    Question,
    Questionnaire,
    Response,
)


class QuestionnaireClosed(Exception):
    """Raised when answers arrive outside the questionnaire's opening times."""


class AlreadySubmitted(Exception):
    """Raised when a submitted response would be put back to a draft."""

    message = (
        "Your answers were already submitted, so they were not saved for later. Change "
        "them below and submit again if you wish."
    )
    anonymous_message = (
        "You have already answered this anonymous survey. Your answers are kept without "
        "your name, so they cannot be shown to you or changed, and nothing new was saved."
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
    An anonymous survey is answered once, unlinked (`_submit_anonymously`).
    """
    if questionnaire.anonymous:
        return _submit_anonymously(questionnaire=questionnaire, user=user, answers=answers), True
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
        if questionnaire.anonymous and _participated(questionnaire, user):
            raise AlreadySubmitted(AlreadySubmitted.anonymous_message)
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


def _participated(questionnaire: Questionnaire, user: User) -> bool:
    return Participation.objects.filter(questionnaire=questionnaire, user=user).exists()


# Keys of anonymous rows are drawn from the upper half of the bigint range, which the
# sequences that number every other row will never reach: they order nothing.
_SCATTERED_FROM = 2**62


def _scattered_id() -> int:
    return _SCATTERED_FROM + secrets.randbelow(2**62)


def _submit_anonymously(
    *, questionnaire: Questionnaire, user: User, answers: dict[Question, Any]
) -> Response:
    """Record that `user` responded (Participation, with the day) and store what they
    answered apart from it: a Response with no user, no time of its own (the survey's
    opening time in all three dates) and random keys on it, its answers and their
    picked choices, so neither a column nor the order of keys joins the two. The
    member's draft, the only row that tied answers to them, is deleted.

    The response is held out of the results until `min_cell_size` responses are
    waiting; then all of them join the results at once.

    Raises QuestionnaireClosed outside the opening times, AlreadySubmitted if the
    member has answered already (one response per member, settled by the
    participation's unique constraint under a race).
    """
    with transaction.atomic():
        # One anonymous submission at a time per survey: the held group is counted
        # and released consistently.
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not questionnaire.is_open():
            raise QuestionnaireClosed("This questionnaire is not open for answers.")
        try:
            with transaction.atomic():
                Participation.objects.create(
                    questionnaire=questionnaire, user=user, responded_on=timezone.localdate()
                )
        except IntegrityError:
            raise AlreadySubmitted(AlreadySubmitted.anonymous_message) from None
        Response.with_drafts.filter(questionnaire=questionnaire, user=user).delete()
        response = _unlinked_response(questionnaire, held=True)
        response.save(force_insert=True)
        for question, value in answers.items():
            if value in (None, "", []):
                continue
            answer = Answer(id=_scattered_id(), response=response, question=question)
            _fill_answer(answer, question.kind, value)
            answer.save(force_insert=True)
            if question.kind in QuestionKind.with_choices():
                picked = value if isinstance(value, list | tuple) else [value]
                AnswerChoice.objects.bulk_create(
                    AnswerChoice(id=_scattered_id(), answer=answer, choice=choice)
                    for choice in picked
                )
        held = Response.objects.filter(questionnaire=questionnaire, held=True)
        if held.count() >= questionnaire.min_cell_size:
            _release(questionnaire, held)
    return response


def _unlinked_response(questionnaire: Questionnaire, *, held: bool) -> Response:
    """An anonymous response (unsaved): no member, a random key, and no time of its own
    (the survey's opening time in all three dates)."""
    undated = questionnaire.opens_at
    return Response(
        id=_scattered_id(),
        questionnaire=questionnaire,
        user=None,
        created_at=undated,
        updated_at=undated,
        submitted_at=undated,
        held=held,
    )


def _release(questionnaire: Questionnaire, held: QuerySet[Response]) -> None:
    """Let the held group join the results: each response, its answers and its picks
    are written anew, in a shuffled order and with new random keys, in this one
    transaction, and the held rows deleted. The rows that count then share their
    writing transaction and their place on disk with the rest of their group, not
    with the member's Participation, which was written beside the held copy
    (outside probe: PostgreSQL's own row bookkeeping, the transaction id and the
    physical order, joined the held rows to their member)."""
    shuffle = secrets.SystemRandom().shuffle
    rows = list(held.prefetch_related("answers__answerchoice_set"))
    shuffle(rows)
    responses, answers, picks = [], [], []
    for old in rows:
        response = _unlinked_response(questionnaire, held=False)
        responses.append(response)
        for old_answer in old.answers.all():
            answer = Answer(
                id=_scattered_id(),
                response=response,
                question_id=old_answer.question_id,
                text=old_answer.text,
                number=old_answer.number,
                boolean=old_answer.boolean,
            )
            answers.append(answer)
            picks += [
                AnswerChoice(id=_scattered_id(), answer=answer, choice_id=pick.choice_id)
                for pick in old_answer.answerchoice_set.all()
            ]
    shuffle(answers)
    shuffle(picks)
    Response.objects.filter(pk__in=[old.pk for old in rows]).delete()
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    AnswerChoice.objects.bulk_create(picks)


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
    kind = question.kind
    _fill_answer(answer, kind, value)
    answer.save()
    if kind in QuestionKind.with_choices():
        answer.choices.set(value if isinstance(value, list | tuple) else [value])


def _fill_answer(answer: Answer, kind: str, value: Any) -> None:
    answer.text, answer.number, answer.boolean = "", None, None
    if kind == QuestionKind.YES_NO:
        answer.boolean = value
    elif kind == QuestionKind.SCALE:
        answer.number = value
    elif kind not in QuestionKind.with_choices():
        answer.text = value


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
