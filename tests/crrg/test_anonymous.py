"""Anonymous surveys (issue 18, item 2): whether a member responded is kept apart from
what they answered, with nothing that joins the two; results show only groups of k."""

import csv
import io
import re
import uuid
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from crrg.enums import QuestionKind
from crrg.models import Answer, AnswerChoice, Invitation, Participation, Response
from crrg.selectors import invitations, results
from crrg.services import answering as answering_services
from crrg.services import mailings as mailings_services
from gds_portal.suppression import Count
from tests.factories.accounts import UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory
from tests.gds_portal.test_suppression import derivable, marks_model

pytestmark = pytest.mark.django_db

SCATTERED = 2**62  # crrg.services.answering: anonymous keys are drawn at random above this


@pytest.fixture
def survey(anonymous_survey):
    return anonymous_survey


def _answer(survey, user, *, stage, barrier, story="") -> None:
    answering_services.response_submit(
        questionnaire=survey,
        user=user,
        answers={survey.stage: [stage], survey.barrier: barrier, survey.story: story or None},
        consent_contact=True,  # asked for by a forged form: ignored for anonymous surveys
        consent_listed=False,
    )


def _members(n: int) -> list:
    return [UserFactory(full_name=f"Respondent {i}", affiliation=f"Lab {i}") for i in range(n)]


# --- Nothing joins participation and answers --------------------------------------


def test_no_relation_joins_participation_to_answers():
    """No foreign key, in either direction, between the record of who responded and
    the rows holding what was answered; and no answer row points at a member."""
    answer_side = {Response, Answer, AnswerChoice}
    for field in Participation._meta.get_fields():
        assert field.related_model not in answer_side, field
    for model in answer_side:
        for field in model._meta.get_fields():
            assert field.related_model is not Participation, (model, field)


def test_every_column_of_an_anonymous_answer_fails_to_link_it(survey):
    """Submitted one by one at different times, the answers carry: no member, the same
    three dates (the survey's opening), keys drawn at random (none from a sequence, so
    ordering by key orders nothing), and nothing else that differs but the answers."""
    members = _members(6)
    clock = timezone.now()
    for i, member in enumerate(members):
        with _frozen(clock + timedelta(hours=i)):
            _answer(survey, member, stage=survey.student, barrier=i % 2 == 0, story=f"Story {i}")
    responses = list(Response.objects.filter(questionnaire=survey))
    assert len(responses) == 6
    for response in responses:
        assert response.user_id is None
        assert response.created_at == response.updated_at == response.submitted_at
        assert response.created_at == survey.opens_at
        assert not response.consent_contact and not response.consent_listed
        assert response.pk >= SCATTERED
    answers = Answer.objects.filter(response__questionnaire=survey)
    assert answers.count() == 6 * 3
    assert all(pk >= SCATTERED for pk in answers.values_list("pk", flat=True))
    picks = AnswerChoice.objects.filter(answer__response__questionnaire=survey)
    assert all(pk >= SCATTERED for pk in picks.values_list("pk", flat=True))
    # Every date-like column of the answer side holds one value for all of them.
    for model, rows in ((Response, Response.objects.filter(questionnaire=survey)),):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField | models.DateField):
                assert rows.values(field.attname).distinct().count() <= 1, field.name
    # The participation side knows who and on which day, not when in it.
    participations = Participation.objects.filter(questionnaire=survey)
    assert set(participations.values_list("user", flat=True)) == {m.pk for m in members}
    assert {f.name for f in Participation._meta.concrete_fields} == {
        "id",
        "questionnaire",
        "user",
        "responded_on",
    }


def test_ordering_by_key_does_not_follow_the_order_of_answering(survey):
    """The keys are random: the rows sorted by key come out in an order that has
    nothing to do with the order members answered in. Checked on the free texts,
    which say who answered when: across 3 surveys of 8 answers, at least one is out of
    the answering order (all three in order by chance: 1 in 40320³)."""
    in_order = []
    for n in range(3):
        questionnaire = QuestionnaireFactory(anonymous=True, slug=f"order-{n}")
        story = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.SHORT_TEXT)
        for i, member in enumerate(_members(8)):
            answering_services.response_submit(
                questionnaire=questionnaire,
                user=member,
                answers={story: f"{i:02d}"},
                consent_contact=False,
                consent_listed=False,
            )
        by_key = list(
            Answer.objects.filter(question=story)
            .order_by("response_id")
            .values_list("text", flat=True)
        )
        in_order.append(by_key == sorted(by_key))
    assert not all(in_order)


def test_the_draft_that_tied_answers_to_the_member_goes_on_submission(survey):
    member = UserFactory()
    answering_services.response_save_draft(
        questionnaire=survey,
        user=member,
        answers={survey.stage: [survey.student], survey.barrier: None, survey.story: "Draft"},
        consent_contact=False,
        consent_listed=False,
    )
    assert Response.with_drafts.filter(user=member).exists()
    _answer(survey, member, stage=survey.student, barrier=True, story="Final")
    assert not Response.with_drafts.filter(user=member).exists()
    assert not Answer.objects.filter(text="Draft").exists()
    assert Answer.objects.filter(text="Final", response__user__isnull=True).exists()


def test_one_response_per_member_and_no_changing_it(survey):
    member = UserFactory()
    _answer(survey, member, stage=survey.student, barrier=True)
    with pytest.raises(answering_services.AlreadySubmitted):
        _answer(survey, member, stage=survey.faculty, barrier=False)
    with pytest.raises(answering_services.AlreadySubmitted):
        answering_services.response_save_draft(
            questionnaire=survey,
            user=member,
            answers={survey.stage: [survey.faculty]},
            consent_contact=False,
            consent_listed=False,
        )
    assert Response.objects.filter(questionnaire=survey).count() == 1
    assert not Response.with_drafts.filter(user=member).exists()


def test_whether_a_survey_is_anonymous_is_fixed_once_answering_started(survey):
    _answer(survey, UserFactory(), stage=survey.student, barrier=True)
    survey.anonymous = False
    with pytest.raises(ValidationError, match="cannot change"):
        survey.full_clean()


def test_k_is_at_least_five():
    survey = QuestionnaireFactory.build(anonymous=True, min_cell_size=3)
    with pytest.raises(ValidationError):
        survey.full_clean()


def test_reminders_and_the_rate_count_anonymous_participation(survey):
    member, other = UserFactory(), UserFactory()
    mailings_services.survey_invite(
        questionnaire=survey,
        segment=invitations.Segment(invitations.ALL_MEMBERS, "All"),
        note="",
        by=UserFactory(),
        token=uuid.uuid4(),
    )
    _answer(survey, member, stage=survey.student, barrier=True)
    stats = invitations.invitation_stats(survey)
    assert (stats.invited_submitted, stats.submitted) == (1, 1)
    Invitation.objects.update(last_mailed_at=timezone.now() - timedelta(days=2))
    due = invitations.reminder_recipients(survey)
    assert member not in due and other in due
    assert invitations.response_rate_days(survey)[-1]["submitted"] == 1


# --- Results: held until k, small counts hidden, free text only where k answered -----


def test_answers_join_the_results_in_groups_of_k(survey):
    members = _members(7)
    for member in members[:4]:
        _answer(survey, member, stage=survey.student, barrier=True, story="Too few mentors")
    found = results.questionnaire_summary(survey)
    assert (found.respondents, found.held) == (0, 4)
    assert all(bar.count == 0 for q in found.questions for bar in q.bars)
    _answer(survey, members[4], stage=survey.faculty, barrier=False)
    found = results.questionnaire_summary(survey)
    assert (found.respondents, found.held) == (5, 0)
    # Two more wait for three others: comparing before and after isolates nobody.
    for member in members[5:]:
        _answer(survey, member, stage=survey.faculty, barrier=True)
    assert results.questionnaire_summary(survey).respondents == 5


def test_small_counts_are_hidden_with_a_complement(survey):
    for i, member in enumerate(_members(10)):
        stage = survey.student if i < 3 else survey.faculty
        _answer(survey, member, stage=stage, barrier=i < 6, story="Story" if i < 4 else "")
    found = results.questionnaire_summary(survey)
    stage, barrier, story = found.questions
    # 3 students: hidden as "<5"; the 7 faculty would give it away (10 - 7): hidden too.
    assert [str(bar.shown) for bar in stage.bars] == ["<5", "x"]
    assert str(stage.answered) == "10"
    # 6 yes, 4 no: the 4 is hidden, and so the 6 (10 - 6 would give it away).
    assert [str(bar.shown) for bar in barrier.bars] == ["x", "<5"]
    # Four wrote something: their words stay back until five have.
    assert story.texts == [] and story.texts_withheld


def test_free_texts_are_sorted_by_their_words_not_by_respondent(survey):
    for i, member in enumerate(_members(5)):
        _answer(survey, member, stage=survey.student, barrier=True, story=f"{'edcba'[i]} story")
    story = results.questionnaire_summary(survey).questions[2]
    assert story.texts == ["a story", "b story", "c story", "d story", "e story"]


def test_the_export_is_results_without_identity_or_time(survey, personas, client_for):
    members = _members(6)
    for i, member in enumerate(members):
        _answer(survey, member, stage=survey.student, barrier=i < 2, story=f"Words {i}")
    client = client_for(personas.executive)
    response = client.get(f"/crrg/coordinators/questionnaires/{survey.slug}/export.csv")
    assert response.status_code == 200
    assert "barriers-results.csv" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Question", "Answer", "Respondents"]
    for member in members:
        for private in (member.full_name, member.email, member.affiliation):
            assert private not in body
    assert str(timezone.localdate().year) not in body  # no date of any kind
    # One row per answer option or written answer, never one per respondent.
    # The first five joined the results (the sixth waits for four more): 2 yes, 3 no.
    assert ["Met a barrier?", "Yes", "<5"] in rows and ["Met a barrier?", "No", "<5"] in rows
    written = [row[1] for row in rows if row[0] == "What happened?" and row[2] == ""]
    assert written == sorted(written) and len(written) == 5  # five of six counted


def test_the_summary_page_says_what_it_hides(survey, personas, client_for):
    for i, member in enumerate(_members(5)):
        _answer(survey, member, stage=survey.student if i < 2 else survey.faculty, barrier=True)
    page = client_for(personas.executive).get(f"/crrg/coordinators/questionnaires/{survey.slug}/")
    html = page.content.decode()
    assert "&lt;5" in html and 'data-testid="suppression-note"' in html
    for member in Participation.objects.values_list("user__full_name", flat=True):
        assert member not in html


def test_the_admin_shows_no_anonymous_response(survey, personas, client_for):
    _answer(survey, UserFactory(), stage=survey.student, barrier=True, story="Private words")
    response_pk = Response.objects.get(questionnaire=survey).pk
    client = client_for(personas.staff)
    assert "Private words" not in client.get("/admin/crrg/response/").content.decode()
    assert client.get(f"/admin/crrg/response/{response_pk}/change/").status_code == 302


def test_a_membership_form_cannot_be_anonymous():
    survey = QuestionnaireFactory.build(grants_membership=True, anonymous=True)
    with pytest.raises(ValidationError):
        survey.full_clean()


def _frozen(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_keys_are_not_in_the_order_of_answering_pairwise_sanity():
    # The helper that draws keys never repeats the sequence's range.
    keys = [answering_services._scattered_id() for _ in range(50)]
    assert all(k >= SCATTERED for k in keys)
    assert any(a > b for a, b in pairwise(keys))


# --- The cross-tabulation page: a cell of 3 is "<5" and cannot be worked out -------------


def _table_on_page(html: str) -> list[list[str]]:
    """The crosstab's cells as shown, row totals last and the totals row last."""
    table = re.search(r'data-testid="crosstab">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


def test_a_cross_tab_cell_of_three_is_hidden_and_cannot_be_derived(survey, personas, client_for):
    """Students who met a barrier: 3, among 50 respondents. The page shows "<5" for it
    and hides enough else that no reader of the page can work it out again (the
    checker of tests/gds_portal/test_suppression.py, fed what the page shows)."""
    postdoc = ChoiceFactory(question=survey.stage, label="Postdoc")
    counts = {
        survey.student: (3, 12),
        postdoc: (8, 6),
        survey.faculty: (10, 11),
    }
    for stage, (yes, no) in counts.items():
        for barrier, n in ((True, yes), (False, no)):
            for _ in range(n):
                _answer(survey, UserFactory(), stage=stage, barrier=barrier)
    url = f"/crrg/coordinators/questionnaires/{survey.slug}/crosstab/"
    page = client_for(personas.executive).get(
        url, {"rows": survey.stage.pk, "columns": survey.barrier.pk}
    )
    assert page.status_code == 200
    shown = _table_on_page(page.content.decode())
    html_lt = "&lt;5"
    assert shown[0][0] == html_lt  # students who met a barrier
    values = [[*pair, sum(pair)] for pair in counts.values()]
    values.append([sum(column) for column in zip(*values, strict=True)])
    grid = [
        [
            Count(value, hidden=text != str(value), under=5 if text == html_lt else None)
            for value, text in zip(row_values, row_shown, strict=True)
        ]
        for row_values, row_shown in zip(values, shown, strict=True)
    ]
    assert all(str(c) in {str(c.value), "<5", "x"} for row in grid for c in row)
    assert derivable(grid, marks_model(grid, 5)) == []


@pytest.mark.django_db(transaction=True)
def test_a_released_group_is_written_anew_in_one_transaction(survey):
    """Outside probe: PostgreSQL's own bookkeeping (the id of the transaction that
    wrote a row, xmin) joined each held response to the member's Participation, written
    in the same transaction. Released rows are written anew, together: every counted
    response, answer and pick of the group carries one and the same xmin, and none of
    the keys the held rows had."""
    members = _members(5)
    held_keys = set()
    for i, member in enumerate(members[:4]):
        _answer(survey, member, stage=survey.student, barrier=i % 2 == 0, story=f"Words {i}")
        held_keys |= set(Response.objects.filter(held=True).values_list("pk", flat=True))
    _answer(survey, members[4], stage=survey.faculty, barrier=True, story="Last words")
    counted = Response.objects.filter(questionnaire=survey, held=False)
    assert counted.count() == 5 and not held_keys & set(counted.values_list("pk", flat=True))
    questions = [survey.stage.pk, survey.barrier.pk, survey.story.pk]
    written = set()
    with connection.cursor() as cursor:
        for sql, values in (
            (
                "SELECT DISTINCT xmin::text FROM crrg_response WHERE questionnaire_id = %s",
                survey.pk,
            ),
            ("SELECT DISTINCT xmin::text FROM crrg_answer WHERE question_id = ANY(%s)", questions),
            (
                "SELECT DISTINCT p.xmin::text FROM crrg_answerchoice p JOIN crrg_answer a"
                " ON a.id = p.answer_id WHERE a.question_id = ANY(%s)",
                questions,
            ),
        ):
            cursor.execute(sql, [values])
            written |= {row[0] for row in cursor.fetchall()}
    assert len(written) == 1
