"""What coordinators change in a questionnaire that members may have answered: deleting
and retiring questions, deleting a survey."""

from __future__ import annotations

from django.db import transaction

from crrg.models import (
    Question,
    Questionnaire,
    Response,
)


class QuestionInUse(Exception):
    """Raised when a question with answers would be deleted."""

    message = "Members have answered this question, so it cannot be deleted. Retire it instead."


# Anonymous surveys: every question is held once anyone answered (Question.has_answers),
# and the refusal says so rather than claim this one was answered.
ANONYMOUS_IN_USE = (
    "Members have answered this anonymous survey, so none of its questions or answer "
    "choices can be deleted, and which ones were answered is not shown. Retire a "
    "question instead."
)


def in_use_message(question: Question) -> str:
    """Why `question` (answered, by has_answers) cannot be deleted, in words."""
    return ANONYMOUS_IN_USE if question.questionnaire.anonymous else QuestionInUse.message


def question_delete(*, question: Question) -> None:
    """Delete a question nobody answered yet; raises QuestionInUse otherwise."""
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        if question.has_answers():
            raise QuestionInUse(in_use_message(question))
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
