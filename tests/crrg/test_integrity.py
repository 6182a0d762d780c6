"""No answer is ever orphaned or lost: questions with answers are retired, not deleted."""

import csv
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError

from crrg.enums import QuestionKind
from crrg.models import Answer, Question, Response
from crrg.services import answering as answering_services
from crrg.services import editing as editing_services
from tests.factories.accounts import UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db


def _answer(crrg, user, **data):
    from crrg.forms import ResponseForm

    form = ResponseForm(crrg.data(**data), questionnaire=crrg.questionnaire, response=None)
    assert form.is_valid(), form.errors
    return answering_services.response_submit(
        questionnaire=crrg.questionnaire,
        user=user,
        answers=form.answers(),
        consent_contact=True,
        consent_listed=False,
    )


def test_deleting_a_question_with_answers_is_refused(crrg, personas):
    _answer(crrg, personas.member, working="no", url="https://example.org/x")
    with pytest.raises(editing_services.QuestionInUse):
        editing_services.question_delete(question=crrg.url)
    with pytest.raises(ProtectedError):
        Question.objects.filter(pk=crrg.url.pk).delete()
    assert Answer.objects.filter(question=crrg.url).count() == 1


def test_deleting_a_question_without_answers_works(crrg):
    editing_services.question_delete(question=crrg.url)
    assert not Question.objects.filter(pk=crrg.url.pk).exists()


def test_deleting_a_picked_choice_is_refused(crrg, personas):
    _answer(crrg, personas.member, working="no")
    with pytest.raises(ProtectedError):
        crrg.no.delete()


def test_kind_cannot_change_once_answered_but_wording_can(crrg, personas):
    _answer(crrg, personas.member, working="no", url="https://example.org/x")
    question = Question.objects.get(pk=crrg.url.pk)
    question.text = "A link to your work (paper, preprint or code)"
    question.full_clean()
    question.kind = QuestionKind.SHORT_TEXT
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert list(error.value.message_dict) == ["kind"]


def test_kind_can_change_before_anyone_answered(crrg):
    crrg.url.kind = QuestionKind.SHORT_TEXT
    crrg.url.full_clean()


@pytest.mark.parametrize(
    "case", ["later_question", "text_question", "other_questionnaire", "itself"]
)
def test_condition_must_be_an_earlier_choice_of_the_same_questionnaire(crrg, case):
    question = crrg.url  # order 4
    if case == "later_question":
        later = QuestionFactory(
            questionnaire=crrg.questionnaire, order=9, kind=QuestionKind.SINGLE_CHOICE
        )
        question = crrg.working
        question.shown_if = ChoiceFactory(question=later)
    elif case == "text_question":
        text = QuestionFactory(questionnaire=crrg.questionnaire, order=0)
        question.shown_if = ChoiceFactory(question=text)
    elif case == "other_questionnaire":
        question.shown_if = ChoiceFactory(question__questionnaire=QuestionnaireFactory())
    else:
        question = crrg.working
        question.shown_if = crrg.yes
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    # A later question is an order problem, named on "order" (the field every form of a
    # question has); the others are the condition's own.
    expected = ["order"] if case == "later_question" else ["shown_if"]
    assert list(error.value.message_dict) == expected


def test_retired_question_keeps_its_answers_in_the_export(crrg, personas, client_for):
    _answer(crrg, personas.member, working="no", url="https://example.org/kept")
    editing_services.question_retire(question=crrg.url)
    response = client_for(personas.crrg_coordinator).get(
        "/crrg/coordinators/questionnaires/crrg-join/export.csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Link to your work [retired]"
    assert rows[1][-1] == "https://example.org/kept"


# Threads need committed rows, hence a transactional test. Its flush is limited to
# the tables this test writes, so the site, the roles and the content types that
# data migrations created survive for the tests that run after it.
@pytest.mark.django_db(transaction=True, available_apps=["accounts", "allauth.account", "crrg"])
def test_parallel_submissions_by_one_member_leave_one_response(crrg):
    member = UserFactory()
    barrier = threading.Barrier(2)
    errors = []

    def submit(details):
        try:
            barrier.wait(timeout=10)
            _answer(crrg, member, working="yes", details=details, groups=[crrg.pick_modeling])
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(t,)) for t in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Response.objects.filter(user=member).count() == 1
    details = Answer.objects.get(response__user=member, question=crrg.details).text
    assert details in {"first", "second"}
    assert member.interest_memberships.count() == 1


def test_answers_outside_the_opening_times_are_refused(crrg, personas):
    from django.utils import timezone

    crrg.questionnaire.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    crrg.questionnaire.save()
    with pytest.raises(answering_services.QuestionnaireClosed):
        answering_services.response_submit(
            questionnaire=crrg.questionnaire,
            user=personas.member,
            answers={},
            consent_contact=False,
            consent_listed=False,
        )
    assert not Response.objects.exists()
