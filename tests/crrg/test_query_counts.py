"""Every CRRG page costs the same number of queries with 1 or 3 questions, responses, members."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import CrrgPage, Invitation
from crrg.selectors.invitations import Segment
from crrg.services import answering as answering_services
from crrg.services import mailings as mailings_services
from tests.crrg.test_coordinators import join
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.crrg import (
    ChoiceFactory,
    InterestGroupFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db

KINDS = [QuestionKind.MULTIPLE_CHOICE, QuestionKind.LONG_TEXT, QuestionKind.YES_NO]


def _questionnaire(n: int):
    """A membership questionnaire with n questions; choice questions get choices and groups."""
    questionnaire = QuestionnaireFactory(slug="q", grants_membership=True)
    first = None
    for i in range(n):
        question = QuestionFactory(
            questionnaire=questionnaire, order=i, kind=KINDS[i], shown_if=first
        )
        if question.has_choices:
            for _ in range(n):
                ChoiceFactory(question=question, interest_group=InterestGroupFactory())
            first = question.choices.first()
    return questionnaire


@pytest.mark.parametrize("n", [1, 3])
def test_questionnaire_form_query_count(n, personas, client_for, django_assert_num_queries):
    questionnaire = _questionnaire(n)
    client = client_for(personas.member)
    client.get("/crrg/join/")  # warm the session
    # session, user, questionnaire, questions, choices, the user's groups and whether
    # they coordinate this survey (2, for the coordinator's preview rule), verified
    # email, response (submitted or a draft)
    with django_assert_num_queries(8):
        assert client.get("/crrg/join/").status_code == 200
    assert len(questionnaire.questions.all()) == n


@pytest.mark.parametrize("n", [1, 3])
def test_questionnaire_form_with_answers_query_count(
    n, personas, client_for, django_assert_num_queries
):
    questionnaire = _questionnaire(n)
    questions = list(questionnaire.questions.all())
    values = [list(questions[0].choices.all()), "Typed", True][:n]

    answering_services.response_submit(
        questionnaire=questionnaire,
        user=personas.member,
        answers=dict(zip(questions, values, strict=True)),
        consent_contact=True,
        consent_listed=False,
    )
    client = client_for(personas.member)
    client.get("/crrg/join/")  # warm the site-configuration cache
    # ... plus the response's answers and their picked choices
    with django_assert_num_queries(10):
        response = client.get("/crrg/join/")
    assert len(response.context["answers"]) == n


def _responses(n: int):
    """n questions and n responses answering all of them."""

    questionnaire = _questionnaire(n)
    questions = list(questionnaire.questions.all())
    values = [list(questions[0].choices.all()), "Some text", True][:n]
    for _ in range(n):
        answering_services.response_submit(
            questionnaire=questionnaire,
            user=UserFactory(),
            answers=dict(zip(questions, values, strict=True)),
            consent_contact=True,
            consent_listed=True,
        )
    return questionnaire


@pytest.mark.parametrize("n", [1, 3])
def test_summary_query_count(n, personas, client_for, django_assert_num_queries):
    _responses(n)
    client = client_for(personas.crrg_coordinator)
    client.get("/crrg/coordinators/questionnaires/q/")
    # session, user, groups (permission), questionnaire (with its released summary),
    # questions, choices, the user's groups and whether they coordinate this survey (2),
    # groups list, timeline, responses counted and held, answers per question, picks,
    # yes/no and scale, free texts; whether they may release it (the user's groups and
    # the survey: 2); the response rate: invitations and submissions per day,
    # invitation counts, submitted responses in all
    with django_assert_num_queries(20):
        response = client.get("/crrg/coordinators/questionnaires/q/?group=")
    assert response.context["response_count"] == n


@pytest.mark.parametrize("n", [1, 3])
def test_export_query_count(n, personas, client_for, django_assert_num_queries):
    _responses(n)
    client = client_for(personas.crrg_coordinator)
    client.get("/crrg/coordinators/")  # warm the site-configuration cache
    with django_assert_num_queries(10):  # + whether they coordinate this survey (2)
        response = client.get("/crrg/coordinators/questionnaires/q/export.csv")
    assert response.content.decode("utf-8-sig").count("\n") == n + 1


@pytest.mark.parametrize("n", [1, 3])
def test_roster_query_count(n, crrg, personas, client_for, django_assert_num_queries):
    for _ in range(n):
        join(crrg, UserFactory(), contact=True, groups=[crrg.pick_modeling])
    client = client_for(personas.crrg_coordinator)
    client.get("/crrg/coordinators/")  # warm the site-configuration cache
    # session, user, groups (permission), group, members, sent messages
    with django_assert_num_queries(5):
        response = client.get("/crrg/coordinators/groups/modeling/")
    assert len(response.context["members"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_public_page_query_count(n, crrg, client_for, django_assert_num_queries):
    CrrgPage.get_solo()
    for i in range(n):
        group = InterestGroupFactory()
        group.leads.add(PersonFactory())
        join(crrg, UserFactory(), contact=False, listed=True, groups=[crrg.pick_imaging][: i % 2])
    client = client_for(None)
    client.get("/crrg/")  # warm the cached site configuration and CRRG page
    # membership questionnaire, groups, their leads, listed members
    # (the page and the site configuration come from the cache)
    with django_assert_num_queries(4):
        response = client.get("/crrg/")
    assert len(response.context["members"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_coordinators_overview_query_count(n, personas, client_for, django_assert_num_queries):
    for i in range(n):
        QuestionnaireFactory()
        InterestGroupFactory(active=bool(i % 2))
    client = client_for(personas.crrg_coordinator)
    client.get("/crrg/coordinators/")  # warm the site-configuration cache
    # session, user, groups (permission), the user's groups (which surveys they
    # coordinate), questionnaires, interest groups, and the user's and their groups'
    # model permissions (whether to point to the admin)
    with django_assert_num_queries(7):
        assert client.get("/crrg/coordinators/").status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_my_gds_section_query_count(n, crrg, personas, rf, django_assert_num_queries):
    # Counted on the section alone: My GDS also renders the other apps' sections.
    from django.template.loader import render_to_string

    from crrg.sections import my_crrg

    groups = [crrg.pick_modeling, crrg.pick_imaging, crrg.pick_analytics][:n]
    join(crrg, personas.member, contact=True, groups=groups)
    request = rf.get("/my/")
    request.user = personas.member
    # membership questionnaire, groups, CRRG membership
    with django_assert_num_queries(3):
        html = render_to_string("crrg/_my_gds.html", my_crrg(request))
    assert html.count('btn btn-outline-secondary btn-sm">Leave') == n


def _invited(n: int):
    """The executive committee's survey: n rounds of invitations and of reminders, each
    reaching two new program committee members (a round that reaches nobody is not
    recorded), and n of the 2n members submitted."""
    survey = QuestionnaireFactory(slug="barriers", owner=Role.EXECUTIVE_COMMITTEE)
    by = UserFactory(roles=[Role.EXECUTIVE_COMMITTEE])
    segment = Segment(f"role:{Role.PROGRAM_COMMITTEE}", "Program committee")
    members = []
    for _ in range(n):
        new = [UserFactory(roles=[Role.PROGRAM_COMMITTEE]) for _ in range(2)]
        members += new
        mailings_services.survey_invite(
            questionnaire=survey, segment=segment, note="Hi", by=by, token=uuid.uuid4()
        )
        # Only the new ones are due a reminder: the others were reminded just now.
        Invitation.objects.filter(user__in=new).update(
            last_mailed_at=survey.created_at - timedelta(days=2)
        )
        mailings_services.survey_remind(questionnaire=survey, by=by, token=uuid.uuid4())
    for member in members[:n]:
        ResponseFactory(questionnaire=survey, user=member)
    return survey


@pytest.mark.parametrize("n", [1, 3])
def test_invitations_page_query_count(n, personas, client_for, django_assert_num_queries):
    _invited(n)
    client = client_for(personas.executive)
    url = "/crrg/coordinators/questionnaires/barriers/invitations/"
    client.get(url)  # warm the site-configuration cache
    # session, user, groups (the overview's permission), the user's groups and whether
    # they coordinate any survey, questionnaire, the user's groups and whether they
    # coordinate this one, the user's and groups' permissions (are they the CRRG's, for
    # the interest-group segments), invitation counts (2), mailings
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["mailings"]) == 2 * n


@pytest.mark.parametrize("n", [1, 3])
def test_invitation_preview_query_count(n, personas, client_for, django_assert_num_queries):
    _invited(n)
    client = client_for(personas.executive)
    url = "/crrg/coordinators/questionnaires/barriers/invitations/"
    client.get(url)
    data = {"token": "9b0c5c1e-6d1a-4c2e-8d62-1f0e2a7b3c4d", "segment": "all"}
    # ... plus the recipients and their verified addresses
    with django_assert_num_queries(14):
        response = client.post(url, {**data, "action": "preview"})
    # the personas with a verified address and the inviter, less the program committee
    assert response.context["preview"].recipient_count == 9
    Invitation.objects.update(last_mailed_at=timezone.now() - timedelta(days=2))
    # (no segments to offer: not the permissions that decide the interest groups)
    with django_assert_num_queries(12):
        response = client.post(url + "reminders/", {**data, "action": "preview"})
    # invited, not submitted: n of the 2n, and personas.program_committee
    assert response.context["preview"].recipient_count == n + 1


def _anonymous_survey(n: int):
    """An anonymous survey with n yes/no questions, answered by five members (so its
    results show) and released to members."""
    from crrg.services import results as results_services

    survey = QuestionnaireFactory(slug="anon", anonymous=True, owner=Role.EXECUTIVE_COMMITTEE)
    questions = [
        QuestionFactory(questionnaire=survey, order=i, kind=QuestionKind.YES_NO)
        for i in range(max(n, 2))
    ]
    for i in range(5):
        answering_services.response_submit(
            questionnaire=survey,
            user=UserFactory(),
            answers=dict.fromkeys(questions, i % 2 == 0),
            consent_contact=False,
            consent_listed=False,
        )
    results_services.summary_release(questionnaire=survey, note="", by=UserFactory())
    return survey, questions


@pytest.mark.parametrize("n", [1, 3])
def test_crosstab_query_count(n, personas, client_for, django_assert_num_queries):
    _survey, questions = _anonymous_survey(n)
    client = client_for(personas.executive)
    url = "/crrg/coordinators/questionnaires/anon/crosstab/"
    query = {"rows": questions[0].pk, "columns": questions[1].pk}
    client.get(url, query)
    # session, user, groups (permission), the survey with its released summary,
    # questions, choices, the user's groups and the coordination check (2); the table:
    # each question's answers (2), responses counted, and the checks of what it may
    # show (4 in all)
    with django_assert_num_queries(12):
        response = client.get(url, query)
    assert response.status_code == 200 and response.context["table"] is not None


@pytest.mark.parametrize("n", [1, 3])
def test_released_results_query_count(n, personas, client_for, django_assert_num_queries):
    _anonymous_survey(n)
    client = client_for(personas.member)
    client.get("/surveys/anon/results/")
    # session, user, the survey with its released summary, questions, choices
    with django_assert_num_queries(4):
        response = client.get("/surveys/anon/results/")
    assert len(response.context["figures"]) == max(n, 2)
