"""Findings of the outside probe of anonymous surveys (issue 18), each kept as a test."""

import re

import pytest
from django.core.exceptions import ValidationError

from crrg.enums import QuestionKind
from crrg.models import Choice, PublishedSummary, Question
from crrg.selectors import results
from crrg.services import answering as answering_services
from crrg.services import results as results_services
from tests.crrg.admin_posts import question_post, questionnaire_post
from tests.factories.accounts import UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(anonymous_survey):
    """The anonymous survey with a third career, postdoc, to pick or depend on."""
    anonymous_survey.postdoc = ChoiceFactory(question=anonymous_survey.stage, label="Postdoc")
    return anonymous_survey


def _answer(survey, *, stage, barrier=None, story=None, user=None) -> None:
    answering_services.response_submit(
        questionnaire=survey,
        user=user or UserFactory(),
        answers={survey.stage: [stage], survey.barrier: barrier, survey.story: story},
        consent_contact=False,
        consent_listed=False,
    )


def _delete(choice) -> dict:
    index = list(choice.question.choices.all()).index(choice)
    return {f"choices-{index}-DELETE": "on"}


# --- 1: the admin counted answers exactly, held ones included ----------------------------


def test_the_question_list_counts_no_anonymous_answer(survey, personas, client_for):
    _answer(survey, stage=survey.student, story="Only mine")
    page = client_for(personas.executive).get(
        f"/admin/crrg/question/?questionnaire__id__exact={survey.pk}&o=8"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("anonymous: see the summary") == 3
    # Sorting by the column orders nothing either: every anonymous question counts 0.
    annotated = page.context["cl"].result_list
    assert {q.answers_n for q in annotated} == {0}


def test_deleting_an_answered_question_names_no_answer(survey, personas, client_for):
    _answer(survey, stage=survey.student, story="Words only I wrote")
    questions = list(survey.questions.all())
    index = questions.index(survey.story)
    response = client_for(personas.executive).post(
        f"/admin/crrg/questionnaire/{survey.pk}/change/",
        questionnaire_post(survey, questions, **{f"questions-{index}-DELETE": "on"}),
    )
    html = response.content.decode()
    assert "none of its questions or answer choices can be deleted" in html
    assert "Words only I wrote" not in html
    assert Question.objects.filter(pk=survey.story.pk).exists()


def test_deleting_a_picked_choice_counts_no_pick(survey, personas, client_for):
    for _ in range(2):
        _answer(survey, stage=survey.postdoc)
    data = question_post(survey.stage, **_delete(survey.postdoc))
    response = client_for(personas.executive).post(
        f"/admin/crrg/question/{survey.stage.pk}/change/", data
    )
    html = response.content.decode()
    assert "none of its questions or answer choices can be deleted" in html
    assert "answer choice " + survey.postdoc.label.lower() not in html.lower()
    assert Choice.objects.filter(pk=survey.postdoc.pk).exists()


def test_a_choice_another_question_depends_on_is_refused_in_words(survey, personas, client_for):
    follow_up = QuestionFactory(
        questionnaire=survey, order=9, kind=QuestionKind.SHORT_TEXT, shown_if=survey.postdoc
    )
    data = question_post(survey.stage, **_delete(survey.postdoc))
    response = client_for(personas.executive).post(
        f"/admin/crrg/question/{survey.stage.pk}/change/", data
    )
    assert response.status_code == 200
    assert "is shown only when this answer is chosen" in response.content.decode()
    assert Question.objects.filter(pk=follow_up.pk, shown_if=survey.postdoc).exists()


# --- 2: a cross-tabulation with a total under k is withheld ------------------------------


def test_a_cross_tab_whose_totals_would_need_hiding_is_withheld(survey):
    """The probe solved the summary and a cross-tab together: three "<5" careers came
    out exactly. A cross-tab whose row or column total is under k is not shown."""
    for stage, barrier, n in (
        (survey.student, True, 2),
        (survey.postdoc, True, 1),
        (survey.faculty, False, 7),
    ):
        for _ in range(n):
            _answer(survey, stage=stage, barrier=barrier)
    table = results.crosstab(survey, survey.stage, survey.barrier)
    assert table.withheld
    assert not results.crosstab(survey, survey.stage, survey.barrier, suppress=False).withheld


def test_the_cross_tab_page_says_why_it_is_withheld(survey, personas, client_for):
    for _ in range(5):
        _answer(survey, stage=survey.student, barrier=True)
    page = client_for(personas.executive).get(
        f"/crrg/coordinators/questionnaires/{survey.slug}/crosstab/",
        {"rows": survey.stage.pk, "columns": survey.barrier.pk},
    )
    html = page.content.decode()
    assert 'data-testid="crosstab-withheld"' not in html  # 5 students, 5 yes: shown
    for stage in (survey.student, survey.student, survey.student, survey.student, survey.postdoc):
        _answer(survey, stage=stage, barrier=False)
    page = client_for(personas.executive).get(
        f"/crrg/coordinators/questionnaires/{survey.slug}/crosstab/",
        {"rows": survey.stage.pk, "columns": survey.barrier.pk},
    )
    html = page.content.decode()
    assert 'data-testid="crosstab-withheld"' in html
    assert 'data-testid="crosstab"' not in html


# --- 5: charts drew hidden counts as 0 ----------------------------------------------------


def test_charts_mark_hidden_counts_not_zero(survey, personas, client_for):
    for i in range(10):
        _answer(survey, stage=survey.student if i < 3 else survey.faculty)
    html = (
        client_for(personas.executive)
        .get(f"/crrg/coordinators/questionnaires/{survey.slug}/")
        .content.decode()
    )
    chart = html[html.index('id="chart-' + str(survey.stage.pk)) :]
    chart = chart[: chart.index("</svg>")]
    assert ">hidden<" in chart and ">3<" not in chart
    results_services.summary_release(questionnaire=survey, note="", by=UserFactory())
    published = client_for(personas.member).get(f"/surveys/{survey.slug}/results/").content.decode()
    assert ">hidden<" in published
    assert PublishedSummary.objects.get().figures[0]["rows"][0] == ["Student", None, "<5"]


# --- 6 and 7: the admin's help text, the note's length ----------------------------------


def test_the_smallest_group_help_text_has_no_angle_bracket():
    from crrg.models import Questionnaire

    help_text = str(Questionnaire._meta.get_field("min_cell_size").help_text)
    assert "<" not in help_text and "groups of this size" in help_text


def test_line_breaks_count_once_in_the_release_note(survey, personas, client_for):
    for _ in range(5):
        _answer(survey, stage=survey.student)
    note = "a\r\n" * 2500  # 5000 characters as the browser counts them
    response = client_for(personas.executive).post(
        f"/crrg/coordinators/questionnaires/{survey.slug}/release/",
        {"note": note, "action": "release"},
    )
    assert response.status_code == 302
    assert PublishedSummary.objects.get().note == ("a\n" * 2500).strip()


# --- Found after the probe: a follow-up question restated a hidden count ------------------


def test_a_follow_up_to_a_hidden_answer_is_withheld_everywhere(survey):
    """Three students ("<5"), seven faculty ("x"): a required follow-up asked only of
    faculty would count them exactly (7), and 10 - 7 gives the students away. Its counts,
    its cross-tabulations and its texts are kept back."""
    follow_up = QuestionFactory(
        questionnaire=survey,
        order=5,
        kind=QuestionKind.YES_NO,
        text="Do you supervise students?",
        shown_if=survey.faculty,
        required=True,
    )
    for i in range(10):
        stage = survey.student if i < 3 else survey.faculty
        answering_services.response_submit(
            questionnaire=survey,
            user=UserFactory(),
            answers={survey.stage: [stage], survey.barrier: True, follow_up: True}
            if stage == survey.faculty
            else {survey.stage: [stage], survey.barrier: True},
            consent_contact=False,
            consent_listed=False,
        )
    found = {s.question.pk: s for s in results.questionnaire_summary(survey).questions}
    assert [str(b.shown) for b in found[survey.stage.pk].bars][:2] == ["<5", "x"]
    supervise = found[follow_up.pk]
    assert supervise.withheld
    assert [str(b.shown) for b in supervise.bars] == ["x", "x"] and str(supervise.answered) == "x"
    assert results.crosstab(survey, follow_up, survey.barrier).withheld
    rows = results.results_rows(survey)[1]
    assert [row for row in rows if row[0] == follow_up.text and row[2] == "7"] == []
    results_services.summary_release(questionnaire=survey, note="", by=UserFactory())
    figure = next(
        f for f in PublishedSummary.objects.get().figures if f["question"] == follow_up.text
    )
    assert figure["answered"] == "x" and all(count is None for _, count, _ in figure["rows"])


# --- Round two: k changed after answers; those who gave no answer ------------------------


def test_k_is_fixed_once_answering_started(survey, personas, client_for):
    """Raising k one step at a time turned each "x" into an exact count."""
    _answer(survey, stage=survey.student)
    survey.min_cell_size = 7
    with pytest.raises(ValidationError, match="changing it would let hidden counts"):
        survey.full_clean()
    survey.refresh_from_db()
    client = client_for(personas.executive)
    questions = list(survey.questions.all())
    client.post(
        f"/admin/crrg/questionnaire/{survey.pk}/change/",
        questionnaire_post(survey, questions, min_cell_size=7),
    )
    survey.refresh_from_db()
    assert survey.min_cell_size == 5
    page = client.get(f"/admin/crrg/questionnaire/{survey.pk}/change/").content.decode()
    assert 'name="min_cell_size"' not in page  # shown, not offered


def test_the_k_field_says_its_minimum(personas, client_for):
    page = client_for(personas.executive).get("/admin/crrg/questionnaire/add/").content.decode()
    field = re.search(r'<input[^>]*name="min_cell_size"[^>]*>', page).group(0)
    assert 'min="5"' in field


def test_those_who_gave_no_answer_are_a_hidden_count(survey):
    """Ten counted, seven answered the barrier question: the three who did not are a
    count under k, hidden, and so is whatever would give it away."""
    for i in range(10):
        _answer(survey, stage=survey.faculty, barrier=True if i < 7 else None)
    barrier = results.questionnaire_summary(survey).questions[1]
    assert str(barrier.no_answer) == "<5"
    assert [str(b.shown) for b in barrier.bars] == ["x", "0"]
    assert str(barrier.answered) == "x"


def test_words_are_kept_back_while_a_few_left_them_blank(survey):
    for i in range(10):
        _answer(survey, stage=survey.faculty, story=f"Story {i}" if i < 7 else None)
    story = results.questionnaire_summary(survey).questions[2]
    assert story.texts == [] and story.texts_withheld
    assert str(story.no_answer) == "<5" and str(story.answered) == "x"
    rows = results.results_rows(survey)[1]
    assert not [row for row in rows if row[1].startswith("Story")]


# --- Round three ---------------------------------------------------------------------------


def test_refusals_do_not_tell_which_questions_a_held_member_answered(survey, personas, client_for):
    """One member waits for a group: answered the stage, skipped the barrier question.
    The admin refuses to delete either, and the choice they did not pick, alike."""
    _answer(survey, stage=survey.student)
    client = client_for(personas.executive)
    for question in (survey.stage, survey.barrier, survey.story):
        response = client.get(f"/admin/crrg/question/{question.pk}/delete/", follow=True)
        assert "none of its questions or answer choices can be deleted" in (
            response.content.decode()
        ), question
    for choice in (survey.student, survey.faculty):
        page = client.post(
            f"/admin/crrg/question/{survey.stage.pk}/change/",
            question_post(survey.stage, **_delete(choice)),
        )
        assert "none of its questions or answer choices can be deleted" in page.content.decode()
    assert Choice.objects.filter(question=survey.stage).count() == 3


def test_a_condition_is_fixed_once_an_anonymous_survey_is_answered(survey):
    follow_up = QuestionFactory(
        questionnaire=survey, order=5, kind=QuestionKind.YES_NO, shown_if=survey.postdoc
    )
    _answer(survey, stage=survey.student)
    follow_up.shown_if = None
    with pytest.raises(ValidationError, match="when this question is asked cannot change"):
        follow_up.full_clean()


def test_a_hidden_tick_count_hides_how_many_answered(survey):
    """X 6, Y <5 and answered 10 would give Y = 4: answered is hidden with it."""
    tools = QuestionFactory(
        questionnaire=survey, order=6, kind=QuestionKind.MULTIPLE_CHOICE, text="Tools"
    )
    x = ChoiceFactory(question=tools, label="X")
    y = ChoiceFactory(question=tools, label="Y")
    for i in range(15):
        picks = [x] if i < 6 else [y] if i < 10 else []
        answering_services.response_submit(
            questionnaire=survey,
            user=UserFactory(),
            answers={survey.stage: [survey.student], tools: picks or None},
            consent_contact=False,
            consent_listed=False,
        )
    summary = next(
        s for s in results.questionnaire_summary(survey).questions if s.question == tools
    )
    assert [str(b.shown) for b in summary.bars] == ["6", "<5"]
    assert summary.answered.hidden and summary.no_answer.hidden


def test_few_written_answers_hide_their_count_and_its_complement(survey):
    """Three of fifteen wrote something: "<5" written, and "no answer" hidden too (12
    beside 15 counted would give the 3)."""
    for i in range(15):
        _answer(survey, stage=survey.faculty, story="Words" if i < 3 else None)
    story = results.questionnaire_summary(survey).questions[2]
    assert str(story.answered) == "<5" and str(story.no_answer) == "x"
    assert story.texts == []


def test_a_cross_tab_is_withheld_when_few_of_one_answer_skipped_the_other(survey):
    """Student 8 and faculty 7 in the summary; 5 of each answered the barrier question:
    3 students and 2 faculty skipped it, counts under k."""
    for stage, answered_n, total in ((survey.student, 5, 8), (survey.faculty, 5, 7)):
        for i in range(total):
            _answer(survey, stage=stage, barrier=(i % 2 == 0) if i < answered_n else None)
    table = results.crosstab(survey, survey.stage, survey.barrier)
    assert table.withheld


# --- Round four: the order of questions ----------------------------------------------------


def test_a_follow_up_stays_hidden_whatever_the_order(survey):
    """Moving the career question below its own follow-up showed the follow-up whole
    (answered 5: the faculty, hidden as x). What is hidden follows the conditions."""
    follow_up = QuestionFactory(
        questionnaire=survey,
        order=5,
        kind=QuestionKind.YES_NO,
        text="Faculty follow-up",
        shown_if=survey.faculty,
        required=True,
    )
    for i in range(15):
        stage = survey.faculty if i < 5 else survey.student if i < 7 else survey.postdoc
        answers = {survey.stage: [stage]}
        if stage == survey.faculty:
            answers[follow_up] = True
        answering_services.response_submit(
            questionnaire=survey,
            user=UserFactory(),
            answers=answers,
            consent_contact=False,
            consent_listed=False,
        )
    Question.objects.filter(pk=survey.stage.pk).update(order=9)  # as if saved past the check
    found = {s.question.pk: s for s in results.questionnaire_summary(survey).questions}
    assert found[follow_up.pk].withheld
    assert str(found[follow_up.pk].answered) == "x"
    assert results.crosstab(survey, follow_up, survey.barrier).withheld


def test_a_question_cannot_move_below_its_follow_up(survey):
    QuestionFactory(questionnaire=survey, order=5, shown_if=survey.faculty)
    survey.stage.order = 9
    with pytest.raises(ValidationError) as refused:
        survey.stage.full_clean()
    assert "must come after it" in str(refused.value.message_dict["order"])


def test_the_survey_list_of_questions_refuses_a_bad_order_in_words(survey, personas, client_for):
    """Setting a follow-up's order below its question in the survey's list of questions
    was a 500: the error named the condition field, which that list does not have."""
    follow_up = QuestionFactory(questionnaire=survey, order=5, shown_if=survey.faculty)
    questions = list(survey.questions.all())
    index = questions.index(follow_up)
    response = client_for(personas.executive).post(
        f"/admin/crrg/questionnaire/{survey.pk}/change/",
        questionnaire_post(survey, questions, **{f"questions-{index}-order": 0}),
    )
    assert response.status_code == 200
    assert "must come earlier" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.order == 5
