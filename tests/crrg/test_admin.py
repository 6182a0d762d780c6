"""The coordinators' admin: answered questions are protected, memberships are added by email."""

import pytest

from crrg.enums import MembershipSource, QuestionKind
from crrg.models import InterestGroupMembership, Question
from tests.crrg.test_coordinators import join

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(crrg, personas):
    join(crrg, personas.member, contact=False, url="https://example.org/x")
    return crrg


def test_admin_refuses_to_delete_an_answered_question_with_a_message(
    answered, personas, client_for
):
    client = client_for(personas.crrg_coordinator)
    url = f"/admin/crrg/question/{answered.url.pk}/delete/"
    response = client.post(url, {"post": "yes"}, follow=True)
    assert Question.objects.filter(pk=answered.url.pk).exists()
    assert "cannot be deleted. Retire it instead." in response.content.decode()


def test_admin_bulk_delete_with_an_answered_question_deletes_nothing(
    answered, personas, client_for
):
    client = client_for(personas.crrg_coordinator)
    ids = [answered.url.pk, answered.details.pk]  # details has no answer (working = no)
    response = client.post(
        "/admin/crrg/question/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        follow=True,
    )
    # The admin refuses the whole batch and names the protected answers.
    assert Question.objects.filter(pk__in=ids).count() == 2
    assert "protected related objects" in response.content.decode()


def _inline_data(crrg, questions, **changes) -> dict:
    data = {
        "title": crrg.questionnaire.title,
        "slug": crrg.questionnaire.slug,
        "owner": crrg.questionnaire.owner,
        "introduction": "",
        "opens_at_0": crrg.questionnaire.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": crrg.questionnaire.opens_at.strftime("%H:%M:%S"),
        "grants_membership": "on",
        "min_cell_size": 5,
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
    }
    for i, q in enumerate(questions):
        data.update(
            {
                f"questions-{i}-id": q.pk,
                f"questions-{i}-questionnaire": crrg.questionnaire.pk,
                f"questions-{i}-order": q.order,
                f"questions-{i}-text": q.text,
                f"questions-{i}-kind": q.kind,
            }
        )
        if q.required:
            data[f"questions-{i}-required"] = "on"
    data.update(changes)
    return data


def test_questionnaire_inline_refuses_deleting_or_retyping_answered_questions(
    answered, personas, client_for
):
    client = client_for(personas.crrg_coordinator)
    url = f"/admin/crrg/questionnaire/{answered.questionnaire.pk}/change/"
    questions = list(answered.questionnaire.questions.all())
    index = questions.index(answered.url)
    response = client.post(
        url, _inline_data(answered, questions, **{f"questions-{index}-DELETE": "on"})
    )
    assert response.status_code == 200
    assert "Retire it instead." in response.content.decode()
    response = client.post(
        url,
        _inline_data(answered, questions, **{f"questions-{index}-kind": QuestionKind.SHORT_TEXT}),
    )
    assert "its kind cannot change" in response.content.decode()
    # Wording can be corrected.
    response = client.post(
        url, _inline_data(answered, questions, **{f"questions-{index}-text": "Link to your paper"})
    )
    assert response.status_code == 302
    answered.url.refresh_from_db()
    assert (answered.url.text, answered.url.kind) == ("Link to your paper", QuestionKind.URL)


def test_coordinator_adds_a_member_to_a_group_by_email(crrg, personas, client_for):
    client = client_for(personas.crrg_coordinator)
    response = client.post(
        "/admin/crrg/interestgroupmembership/add/",
        {"group": crrg.imaging.pk, "member_email": personas.other_member.email.upper()},
    )
    assert response.status_code == 302
    membership = InterestGroupMembership.objects.get()
    assert (membership.user, membership.group, membership.source) == (
        personas.other_member,
        crrg.imaging,
        MembershipSource.COORDINATOR,
    )


def test_adding_an_unknown_email_says_so(crrg, personas, client_for):
    client = client_for(personas.crrg_coordinator)
    response = client.post(
        "/admin/crrg/interestgroupmembership/add/",
        {"group": crrg.imaging.pk, "member_email": "nobody@example.org"},
    )
    assert "No member signs in with this address." in response.content.decode()
    assert 'value="nobody@example.org"' in response.content.decode()


def test_coordinator_takes_a_member_out_with_the_admin_action(crrg, personas, client_for):
    join(crrg, personas.member, contact=False, groups=[crrg.pick_modeling])
    membership = InterestGroupMembership.objects.get()
    client_for(personas.crrg_coordinator).post(
        "/admin/crrg/interestgroupmembership/",
        {"action": "mark_left", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.left_at is not None


@pytest.mark.parametrize(
    "url",
    [
        "/admin/crrg/questionnaire/add/",
        "/admin/crrg/question/add/",
        "/admin/crrg/interestgroup/",
        "/admin/crrg/interestgroupmembership/add/",
        "/admin/crrg/crrgpage/",
        "/admin/crrg/groupmessage/",
    ],
)
def test_admin_pages_open_for_coordinators_only(crrg, personas, client_for, url):
    assert client_for(personas.crrg_coordinator).get(url).status_code == 200
    # The executive committee runs surveys of its own (their questions too), never the
    # CRRG's groups, memberships, page or messages.
    runs_surveys = url in {"/admin/crrg/questionnaire/add/", "/admin/crrg/question/add/"}
    expected = 200 if runs_surveys else 403
    assert client_for(personas.executive).get(url).status_code == expected
    for user in [
        personas.newsletter_editor,
        personas.program_committee,
        personas.webinar_committee,
    ]:
        assert client_for(user).get(url).status_code == 403, user


def test_choice_question_without_choices_is_refused(crrg, personas, client_for):
    client = client_for(personas.crrg_coordinator)
    response = client.post(
        "/admin/crrg/question/add/",
        {
            "questionnaire": crrg.questionnaire.pk,
            "order": 9,
            "text": "Pick one",
            "kind": QuestionKind.SINGLE_CHOICE,
            "help_text": "",
            "choices-TOTAL_FORMS": 0,
            "choices-INITIAL_FORMS": 0,
        },
    )
    assert "needs at least one choice" in response.content.decode()
    assert not Question.objects.filter(text="Pick one").exists()
