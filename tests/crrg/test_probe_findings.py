"""Findings of the outside probe of surveys (issue 18, item 1), each reproduced first."""

import pytest
from django.utils import timezone

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import Question, Questionnaire, Response
from crrg.services.answering import AlreadySubmitted, response_save_draft
from tests.crrg.admin_posts import questionnaire_post
from tests.factories.accounts import UserFactory
from tests.factories.crrg import (
    AnswerFactory,
    ChoiceFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def barriers():
    survey = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE
    )
    survey.q = QuestionFactory(
        questionnaire=survey, order=1, text="Your field", kind=QuestionKind.SHORT_TEXT
    )
    return survey


# --- 1: a coordinator named from another committee reads results, never edits ------


def test_a_named_coordinator_with_admin_rights_cannot_take_the_survey_over(
    barriers, crrg, personas, client_for
):
    barriers.coordinators.add(personas.crrg_coordinator)
    client = client_for(personas.crrg_coordinator)
    # Results on the site: yes.
    assert client.get("/crrg/coordinators/questionnaires/barriers/").status_code == 200
    # The survey in the admin: not listed, not opened, not changed.
    listed = client.get("/admin/crrg/questionnaire/").context["cl"].result_list
    assert barriers not in list(listed)
    url = f"/admin/crrg/questionnaire/{barriers.pk}/change/"
    assert client.get(url, follow=True).redirect_chain == [("/admin/", 302)]
    client.post(url, questionnaire_post(barriers, owner=Role.CRRG_COORDINATORS, title="Taken"))
    barriers.refresh_from_db()
    assert (barriers.owner, barriers.title) == (Role.EXECUTIVE_COMMITTEE, "Barriers survey")
    question = f"/admin/crrg/question/{barriers.q.pk}/change/"
    assert client.get(question, follow=True).redirect_chain == [("/admin/", 302)]
    # The same the other way round: the executive committee named on the CRRG's form.
    crrg.questionnaire.coordinators.add(personas.executive)
    executive = client_for(personas.executive)
    theirs = f"/admin/crrg/questionnaire/{crrg.questionnaire.pk}/change/"
    assert executive.get(theirs, follow=True).redirect_chain == [("/admin/", 302)]


# --- 2: the survey page says who reads the answers; the diversity page promises no more


def test_the_survey_page_says_who_reads_the_answers(barriers, personas, client_for):
    page = client_for(personas.member).get("/surveys/barriers/").content.decode()
    assert "Your answers are kept with your name. The Executive committee" in page


def test_the_diversity_page_no_longer_promises_an_anonymous_survey(client):
    page = client.get("/about/diversity/").content.decode()
    assert "anonymously, what stands in their way" not in page
    assert "its page says who" in page


# --- 3: drafts hold nothing up and show nowhere in the admin ------------------------


def test_answers_in_drafts_are_not_counted_and_do_not_protect_a_question(
    barriers, personas, client_for
):
    draft = ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    AnswerFactory(response=draft, question=barriers.q, text="Mia's draft words")
    client = client_for(personas.executive)
    listed = client.get("/admin/crrg/question/").context["cl"].result_list
    assert [q.answers_n for q in listed] == [0]
    confirm = client.get(f"/admin/crrg/question/{barriers.q.pk}/delete/").content.decode()
    assert "Mia" not in confirm and "draft words" not in confirm
    response = client.post(f"/admin/crrg/question/{barriers.q.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.filter(pk=barriers.q.pk).exists()
    assert Response.with_drafts.filter(pk=draft.pk).exists()  # the draft itself stays


def test_a_survey_with_only_drafts_can_be_deleted_without_naming_anyone(
    barriers, personas, client_for
):
    draft = ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    AnswerFactory(response=draft, question=barriers.q, text="Mia's draft words")
    client = client_for(personas.executive)
    url = f"/admin/crrg/questionnaire/{barriers.pk}/delete/"
    confirm = client.get(url).content.decode()
    assert "Mia" not in confirm and "draft words" not in confirm
    assert "permission to delete" not in confirm
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Questionnaire.objects.filter(pk=barriers.pk).exists()
    assert not Response.with_drafts.filter(pk=draft.pk).exists()


def test_a_survey_with_submitted_answers_is_kept_and_no_answer_is_quoted(
    barriers, personas, client_for
):
    submitted = ResponseFactory(questionnaire=barriers, user=personas.other_member)
    AnswerFactory(response=submitted, question=barriers.q, text="Otto's words")
    draft = ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    AnswerFactory(response=draft, question=barriers.q, text="Mia's draft words")
    client = client_for(personas.staff)
    url = f"/admin/crrg/questionnaire/{barriers.pk}/delete/"
    page = client.get(url).content.decode()
    assert "Cannot delete questionnaire" in page
    assert "draft words" not in page and "Mia" not in page
    client.post(url, {"post": "yes"})
    assert Questionnaire.objects.filter(pk=barriers.pk).exists()


# --- 4: an answered question stays in its survey --------------------------------------


def test_an_answered_question_cannot_move_to_another_survey(barriers, personas):
    from django.core.exceptions import ValidationError

    other = QuestionnaireFactory(owner=Role.EXECUTIVE_COMMITTEE)
    AnswerFactory(
        response=ResponseFactory(questionnaire=barriers, user=personas.member),
        question=barriers.q,
        text="Optics",
    )
    barriers.q.questionnaire = other
    with pytest.raises(ValidationError, match="stays in its survey"):
        barriers.q.full_clean()


# --- 5: saving for later after submitting (a race, another tab) is a message, not a 500


def test_saving_for_later_after_a_submission_elsewhere_is_a_message(barriers, personas, client_for):
    with pytest.raises(AlreadySubmitted):
        ResponseFactory(questionnaire=barriers, user=personas.member)
        response_save_draft(
            questionnaire=barriers,
            user=personas.member,
            answers={},
            consent_contact=False,
            consent_listed=False,
        )
    # The view's own check passed (a draft was there when the page was read): the
    # service refuses, the member is told and nothing is lost.
    from unittest import mock

    from crrg.services import answering as answering_services

    client = client_for(personas.other_member)
    with mock.patch.object(
        answering_services,
        "response_save_draft",
        side_effect=AlreadySubmitted(AlreadySubmitted.message),
    ):
        response = client.post(
            "/surveys/barriers/", {f"q{barriers.q.pk}": "x", "action": "later"}, follow=True
        )
    assert response.status_code == 200
    assert "were not saved for later" in response.content.decode()


# --- 6: a choice question without choices is not asked ------------------------------


def test_a_choice_question_without_choices_is_not_asked_and_the_admin_warns(
    barriers, personas, client_for
):
    empty = QuestionFactory(
        questionnaire=barriers,
        order=2,
        text="Pick one",
        kind=QuestionKind.SINGLE_CHOICE,
        required=True,
    )
    client = client_for(personas.member)
    page = client.get("/surveys/barriers/")
    assert f"q{empty.pk}" not in page.context["form"].fields
    response = client.post("/surveys/barriers/", {f"q{barriers.q.pk}": "Optics"})
    assert response.status_code == 302  # not blocked by a question nobody can answer
    admin_page = client_for(personas.executive).get(
        f"/admin/crrg/questionnaire/{barriers.pk}/change/"
    )
    assert "“Pick one” has no choices yet" in admin_page.content.decode()
    ChoiceFactory(question=empty, label="Yes")
    refreshed = client_for(personas.other_member).get("/surveys/barriers/")
    assert f"q{empty.pk}" in refreshed.context["form"].fields


# --- 7: a closed survey shows its drafter what they had written -----------------------


def test_a_closed_survey_shows_the_draft_as_it_stands(barriers, personas, client_for):
    draft = ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    AnswerFactory(response=draft, question=barriers.q, text="Half a thought")
    Questionnaire.objects.filter(pk=barriers.pk).update(
        opens_at=timezone.now() - timezone.timedelta(days=2),
        closes_at=timezone.now() - timezone.timedelta(minutes=1),
    )
    page = client_for(personas.member).get("/surveys/barriers/").content.decode()
    assert "Half a thought" in page
    assert "filled in below" not in page


# --- 9: My GDS leads back to a draft of the membership form ---------------------------


def test_my_gds_leads_back_to_a_draft_of_the_membership_form(crrg, personas, client_for):
    client = client_for(personas.member)
    client.post("/crrg/join/", crrg.data(working="", action="later"))
    page = client.get("/my/").content.decode()
    assert "You saved answers to the membership questionnaire" in page


# --- 10: no dead ends for a named coordinator; no refused field offered ---------------


def test_a_named_coordinator_is_not_sent_to_an_admin_they_cannot_use(
    barriers, personas, client_for
):
    alice = UserFactory(email="alice@example.org")
    barriers.coordinators.add(alice)
    page = client_for(alice).get("/crrg/coordinators/").content.decode()
    assert "in the <a" not in page
    assert "You were named to help read these surveys' results" in page


def test_choices_of_other_committees_surveys_offer_no_interest_group(
    barriers, crrg, personas, client_for
):
    choice_question = QuestionFactory(questionnaire=barriers, kind=QuestionKind.SINGLE_CHOICE)
    page = client_for(personas.executive).get(f"/admin/crrg/question/{choice_question.pk}/change/")
    assert "interest_group" not in page.content.decode()
    crrg_page = client_for(personas.crrg_coordinator).get(
        f"/admin/crrg/question/{crrg.groups.pk}/change/"
    )
    assert "interest_group" in crrg_page.content.decode()


# --- Second round -------------------------------------------------------------------


def test_a_new_question_of_another_committees_survey_places_nobody_in_a_group(
    barriers, crrg, personas, client_for
):
    """Through "Add question" the choice has no question yet, so Choice.clean cannot see
    the survey: the admin's formset refuses it, and answering places nobody anyway."""
    client = client_for(personas.executive)
    response = client.post(
        "/admin/crrg/question/add/",
        {
            "questionnaire": barriers.pk,
            "order": 5,
            "text": "Pick",
            "kind": QuestionKind.SINGLE_CHOICE,
            "choices-TOTAL_FORMS": 1,
            "choices-INITIAL_FORMS": 0,
            "choices-0-order": 0,
            "choices-0-label": "a",
            "choices-0-interest_group": crrg.modeling.pk,
        },
    )
    assert response.status_code == 200
    assert "Only the CRRG&#x27;s own surveys place respondents" in response.content.decode()
    assert not Question.objects.filter(text="Pick").exists()
    # Defence in depth: a mapping that got in by any other way places nobody.
    question = QuestionFactory(questionnaire=barriers, kind=QuestionKind.SINGLE_CHOICE)
    choice = ChoiceFactory(question=question, label="a", interest_group=crrg.modeling)
    client_for(personas.member).post(
        "/surveys/barriers/", {f"q{question.pk}": choice.pk, "action": "submit"}
    )
    assert Response.objects.filter(user=personas.member, questionnaire=barriers).exists()
    assert not crrg.modeling.memberships.filter(user=personas.member).exists()


def test_my_gds_leads_a_named_coordinator_to_the_results(barriers, personas, client_for):
    alice = UserFactory(email="alice@example.org")
    barriers.coordinators.add(alice)
    Questionnaire.objects.filter(pk=barriers.pk).update(
        opens_at=timezone.now() - timezone.timedelta(days=2),
        closes_at=timezone.now() - timezone.timedelta(days=1),
    )  # no open survey: the link shows anyway
    page = client_for(alice).get("/my/").content.decode()
    assert 'href="/crrg/coordinators/"' in page
    assert 'href="/crrg/coordinators/"' not in client_for(personas.member).get("/my/").text


def test_another_committees_survey_asks_consent_in_its_own_words(barriers, personas, client_for):
    form = client_for(personas.member).get("/surveys/barriers/").context["form"]
    label = form.fields["consent_contact"].label
    assert label == "The Executive committee may contact me by email about this survey"


def test_a_choice_picked_only_in_drafts_can_be_deleted_and_names_nobody(
    barriers, personas, client_for
):
    question = QuestionFactory(
        questionnaire=barriers, order=2, text="Pick one", kind=QuestionKind.SINGLE_CHOICE
    )
    keep = ChoiceFactory(question=question, label="Keep", order=0)
    drop = ChoiceFactory(question=question, label="Drop", order=1)
    client_for(personas.member).post(
        "/surveys/barriers/", {f"q{question.pk}": drop.pk, "action": "later"}
    )
    draft = Response.with_drafts.get(user=personas.member, questionnaire=barriers)

    def post(choice_to_delete):
        data = {
            "questionnaire": barriers.pk,
            "order": 2,
            "text": "Pick one",
            "kind": QuestionKind.SINGLE_CHOICE,
            "choices-TOTAL_FORMS": 2,
            "choices-INITIAL_FORMS": 2,
        }
        for i, choice in enumerate([keep, drop]):
            data |= {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": question.pk,
                f"choices-{i}-order": i,
                f"choices-{i}-label": choice.label,
            }
            if choice == choice_to_delete:
                data[f"choices-{i}-DELETE"] = "on"
        url = f"/admin/crrg/question/{question.pk}/change/"
        return client_for(personas.executive).post(url, data)

    response = post(drop)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not question.choices.filter(pk=drop.pk).exists()
    assert Response.with_drafts.filter(pk=draft.pk).exists()  # the draft stays, less that pick
    # A pick in a submitted response still holds its choice.
    submitted = ResponseFactory(questionnaire=barriers, user=personas.other_member)
    answer = AnswerFactory(response=submitted, question=question)
    answer.choices.add(keep)
    response = post(keep)
    assert response.status_code == 200
    assert question.choices.filter(pk=keep.pk).exists()


# --- Second probe, 2: a member's deletion page shows no participation and no draft ---


def test_p2_2_deleting_a_member_shows_neither_participation_nor_draft(
    anonymous_survey, barriers_named, personas, client_for
):
    from crrg.models import Participation
    from crrg.services import answering

    survey = anonymous_survey
    member = UserFactory(email="leaver@example.org", full_name="Lena Leaver")
    answering.response_submit(
        questionnaire=survey,
        user=member,
        answers={survey.stage: [survey.student], survey.barrier: True, survey.story: None},
        consent_contact=False,
        consent_listed=False,
    )
    client = client_for(personas.staff)  # a superuser
    # Took part only: Django would list "Participation: Lena Leaver responded to …".
    page = client.get(f"/admin/accounts/user/{member.pk}/delete/").text
    assert "Lena Leaver" in page  # the page does list the account itself
    assert "responded to" not in page and "Participations: " not in page
    draft = ResponseFactory(questionnaire=barriers_named, user=member, submitted_at=None)
    AnswerFactory(response=draft, question=barriers_named.q, text="Lena's unsent words")
    url = f"/admin/accounts/user/{member.pk}/delete/"
    page = client.get(url).text
    hints = ("Participation", "responded to", "Barriers", "unsent words", "Response: ", "Answer: ")
    hints += ("Responses: ", "Answers: ", "Lena&#x27;s")
    for hint in hints:
        assert hint not in page, hint
    assert "permission to delete" not in page
    # The bulk action's confirmation leaves them out too.
    bulk = client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [member.pk]}
    ).text
    assert "Participation" not in bulk and "permission to delete" not in bulk
    # And the deletion takes them with the account.
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Participation.objects.filter(user_id=member.pk).exists()
    assert not Response.with_drafts.filter(pk=draft.pk).exists()


@pytest.fixture
def barriers_named():
    survey = QuestionnaireFactory(
        title="Named poll", slug="named-poll", owner=Role.EXECUTIVE_COMMITTEE
    )
    survey.q = QuestionFactory(
        questionnaire=survey, order=1, text="Your field", kind=QuestionKind.SHORT_TEXT
    )
    return survey


# --- Second probe, 4: the anonymous survey's page promises no more than holds -----------


def test_p2_4_the_anonymous_survey_page_states_the_group_caveat(
    anonymous_survey, personas, client_for
):
    page = client_for(personas.member).get(f"/surveys/{anonymous_survey.slug}/").text
    assert "nothing ties it to the record that you answered, in any page" not in page
    k = anonymous_survey.min_cell_size
    assert f"together with those of at least {k - 1} other people" in page
    assert "knows how all the others in your group answered could still work out" in page


def test_p2_4_the_waiting_count_is_what_the_response_rate_already_tells(
    anonymous_survey, personas, client_for
):
    """Kept on purpose (docs/surveys.md): hiding "N more are waiting" would hide nothing,
    as the response rate on the same page counts every submission."""
    from crrg.services import answering

    survey = anonymous_survey
    for i in range(3):
        answering.response_submit(
            questionnaire=survey,
            user=UserFactory(full_name=f"Respondent {i}"),
            answers={survey.stage: [survey.student], survey.barrier: True, survey.story: None},
            consent_contact=False,
            consent_listed=False,
        )
    page = (
        client_for(personas.executive).get(f"/crrg/coordinators/questionnaires/{survey.slug}/").text
    )
    assert "3 more are waiting" in page
    assert "3 submitted responses in all" in page
