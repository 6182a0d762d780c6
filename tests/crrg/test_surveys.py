"""Surveys beyond the CRRG (issue 18, item 1): a committee owns a survey, coordinators
are named per survey, and members save their answers and finish later."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import InterestGroupMembership, Questionnaire, Response
from crrg.services.answering import drafts_discard
from tests.crrg.admin_posts import questionnaire_post
from tests.factories.accounts import UserFactory
from tests.factories.crrg import QuestionFactory, QuestionnaireFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def barriers():
    """The executive committee's survey: one required and one optional question."""
    survey = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE
    )
    required = QuestionFactory(
        questionnaire=survey,
        order=1,
        text="Your field",
        kind=QuestionKind.SHORT_TEXT,
        required=True,
    )
    optional = QuestionFactory(
        questionnaire=survey,
        order=2,
        text="What stands in your way?",
        kind=QuestionKind.LONG_TEXT,
    )
    survey.required, survey.optional = required, optional
    return survey


def _summary(slug: str) -> str:
    return f"/crrg/coordinators/questionnaires/{slug}/"


# --- Who coordinates a survey ------------------------------------------------------


def test_the_owning_committee_and_named_coordinators_read_the_results(
    barriers, crrg, personas, client_for
):
    named = UserFactory(email="named@example.org")
    barriers.coordinators.add(named)
    for user in (personas.executive, named, personas.staff):
        client = client_for(user)
        assert client.get(_summary("barriers")).status_code == 200, user
        assert client.get(_summary("barriers") + "export.csv").status_code == 200, user
    # The CRRG's coordinators run the CRRG's surveys, not the executive committee's…
    crrg_client = client_for(personas.crrg_coordinator)
    assert crrg_client.get(_summary("barriers")).status_code == 403
    assert crrg_client.get(_summary("barriers") + "export.xlsx").status_code == 403
    assert crrg_client.get(_summary("crrg-join")).status_code == 200
    # …and the executive committee and named coordinators not the CRRG's.
    for user in (personas.executive, named):
        assert client_for(user).get(_summary("crrg-join")).status_code == 403, user
        assert client_for(user).get(_summary("crrg-join") + "export.csv").status_code == 403
    for user in (personas.member, personas.program_committee, personas.webinar_committee):
        assert client_for(user).get(_summary("barriers")).status_code == 403, user


def test_the_overview_lists_only_the_surveys_one_coordinates(barriers, crrg, personas, client_for):
    page = client_for(personas.executive).get("/crrg/coordinators/")
    assert [q.slug for q in page.context["questionnaires"]] == ["barriers"]
    assert page.context["groups"] is None  # the CRRG's interest groups are not theirs
    assert "Interest groups" not in page.content.decode()
    crrg_page = client_for(personas.crrg_coordinator).get("/crrg/coordinators/")
    assert [q.slug for q in crrg_page.context["questionnaires"]] == ["crrg-join"]
    assert client_for(personas.member).get("/crrg/coordinators/").status_code == 403


def test_breaking_results_down_by_interest_group_is_the_crrgs_alone(
    barriers, crrg, personas, client_for
):
    page = client_for(personas.executive).get(_summary("barriers"), {"group": "modeling"})
    assert page.context["groups"] == []
    assert page.context["group"] is None
    assert "Interest group" not in page.content.decode()


def test_a_coordinator_who_leaves_the_committee_loses_the_survey(barriers, personas, client_for):
    client = client_for(personas.executive)
    assert client.get(_summary("barriers")).status_code == 200
    personas.executive.groups.clear()
    assert client.get(_summary("barriers")).status_code == 403


# --- The admin: each committee edits its own surveys --------------------------------


def test_the_admin_lists_and_opens_only_ones_own_surveys(barriers, crrg, personas, client_for):
    executive = client_for(personas.executive)
    listed = executive.get("/admin/crrg/questionnaire/")
    assert [q.slug for q in listed.context["cl"].result_list] == ["barriers"]
    theirs = f"/admin/crrg/questionnaire/{crrg.questionnaire.pk}/change/"
    assert executive.get(theirs, follow=True).redirect_chain == [("/admin/", 302)]
    questions = executive.get("/admin/crrg/question/")
    assert {q.questionnaire for q in questions.context["cl"].result_list} == {barriers}
    question = f"/admin/crrg/question/{crrg.working.pk}/change/"
    assert executive.get(question, follow=True).redirect_chain == [("/admin/", 302)]
    crrg_admin = client_for(personas.crrg_coordinator)
    mine = f"/admin/crrg/questionnaire/{barriers.pk}/change/"
    assert crrg_admin.get(mine, follow=True).redirect_chain == [("/admin/", 302)]


def test_coordinators_are_named_by_address_and_unknown_ones_refused(barriers, personas, client_for):
    named = UserFactory(email="named@example.org")
    client = client_for(personas.executive)
    url = f"/admin/crrg/questionnaire/{barriers.pk}/change/"
    typed = "NAMED@example.org\nnobody@example.org"
    response = client.post(url, questionnaire_post(barriers, coordinator_emails=typed))
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["coordinator_emails"][0]
    assert "No member signs in with: nobody@example.org" in error
    assert typed in response.content.decode()  # what was typed is still there
    response = client.post(url, questionnaire_post(barriers, coordinator_emails=typed.split()[0]))
    assert response.status_code == 302
    assert list(barriers.coordinators.all()) == [named]


def test_a_committee_gives_surveys_only_to_committees_it_sits_on(barriers, personas, client_for):
    client = client_for(personas.executive)
    form = client.get("/admin/crrg/questionnaire/add/").context["adminform"].form
    assert [value for value, _ in form.fields["owner"].choices] == [Role.EXECUTIVE_COMMITTEE]
    assert form.initial["owner"] == Role.EXECUTIVE_COMMITTEE
    url = f"/admin/crrg/questionnaire/{barriers.pk}/change/"
    response = client.post(url, questionnaire_post(barriers, owner=Role.PROGRAM_COMMITTEE))
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    barriers.refresh_from_db()
    assert barriers.owner == Role.EXECUTIVE_COMMITTEE


def test_only_the_crrgs_surveys_make_members_or_place_them_in_groups(barriers, crrg):
    from django.core.exceptions import ValidationError

    barriers.grants_membership = True
    with pytest.raises(ValidationError, match="Only a survey the CRRG coordinators own"):
        barriers.full_clean()
    choice = crrg.pick_modeling
    choice.question = QuestionFactory(questionnaire=barriers, kind=QuestionKind.SINGLE_CHOICE)
    with pytest.raises(ValidationError, match="interest groups"):
        choice.full_clean()


# --- Save and finish later -----------------------------------------------------------


def test_a_member_saves_unfinished_answers_and_finishes_later(barriers, personas, client_for):
    client = client_for(personas.member)
    url = "/surveys/barriers/"
    field, why = f"q{barriers.required.pk}", f"q{barriers.optional.pk}"
    # Required question left empty: fine for later, not for submitting.
    response = client.post(url, {why: "Travel costs", "action": "later"}, follow=True)
    assert "saved, not submitted" in response.content.decode()
    draft = Response.with_drafts.get(user=personas.member)
    assert draft.submitted_at is None
    page = client.get(url)
    assert page.context["draft"] == draft
    assert "Travel costs" in page.content.decode()  # resumed where they left it
    assert 'value="later"' in page.content.decode()
    response = client.post(url, {why: "Travel costs", "action": "submit"})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Please answer this question."]
    response = client.post(url, {field: "Optics", why: "Travel costs", "action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    assert draft.created_at == draft.submitted_at  # counted from its submission
    page = client.get(url).content.decode()
    assert 'value="later"' not in page  # a submitted response is never a draft again


def test_a_draft_is_checked_for_what_is_answered(barriers, personas, client_for):
    url_question = QuestionFactory(questionnaire=barriers, order=3, kind=QuestionKind.URL)
    response = client_for(personas.member).post(
        "/surveys/barriers/", {f"q{url_question.pk}": "javascript:alert(1)", "action": "later"}
    )
    assert response.status_code == 200
    assert f"q{url_question.pk}" in response.context["form"].errors
    assert not Response.with_drafts.exists()


def test_a_submitted_response_is_never_put_back_to_a_draft(barriers, personas, client_for):
    ResponseFactory(questionnaire=barriers, user=personas.member)
    response = client_for(personas.member).post(
        "/surveys/barriers/", {f"q{barriers.optional.pk}": "More", "action": "later"}
    )
    assert response.status_code == 200  # treated as a change, which needs the required one
    assert Response.objects.get(user=personas.member).submitted_at is not None


def test_drafts_count_nowhere(barriers, crrg, personas, client_for):
    ResponseFactory(questionnaire=barriers, user=personas.other_member)
    ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    ResponseFactory(questionnaire=crrg.questionnaire, user=personas.member, submitted_at=None)
    client = client_for(personas.executive)
    assert client.get(_summary("barriers")).context["response_count"] == 1
    csv = client.get(_summary("barriers") + "export.csv").content.decode("utf-8-sig")
    assert csv.count("\n") == 2  # the header and the one submitted response
    overview = client.get("/crrg/coordinators/").context["questionnaires"]
    assert [q.response_count for q in overview] == [1]
    admin = client.get("/admin/crrg/response/").context["cl"].result_list
    assert [r.user for r in admin] == [personas.other_member]
    assert [
        q.responses_n for q in client.get("/admin/crrg/questionnaire/").context["cl"].result_list
    ] == [1]
    # A draft of the membership form makes nobody a CRRG member.
    crrg_page = client_for(personas.crrg_coordinator).get("/crrg/")
    assert personas.member.full_name not in crrg_page.content.decode()


def test_a_draft_of_the_membership_form_joins_no_group(crrg, personas, client_for):
    client = client_for(personas.member)
    data = crrg.data(working="", groups=[crrg.pick_modeling], action="later")
    assert client.post("/crrg/join/", data).status_code == 302
    assert Response.with_drafts.get(user=personas.member).submitted_at is None
    assert not InterestGroupMembership.objects.filter(user=personas.member).exists()


def test_drafts_of_closed_surveys_are_discarded_and_nothing_else(barriers, personas):
    other = QuestionnaireFactory(slug="still-open")
    ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    kept_submitted = ResponseFactory(questionnaire=barriers, user=personas.other_member)
    kept_open = ResponseFactory(questionnaire=other, user=personas.member, submitted_at=None)
    assert drafts_discard() == 0  # the survey is still open
    Questionnaire.objects.filter(pk=barriers.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("crrg_discard_drafts", stdout=out)
    assert "Deleted 1 unsubmitted draft(s)" in out.getvalue()
    assert set(Response.with_drafts.all()) == {kept_submitted, kept_open}
    assert drafts_discard() == 0  # running it again deletes nothing more


def test_a_closed_survey_tells_its_drafter_the_answers_were_not_sent(
    barriers, personas, client_for
):
    ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    Questionnaire.objects.filter(pk=barriers.pk).update(
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() - timedelta(minutes=1),
    )
    page = client_for(personas.member).get("/surveys/barriers/").content.decode()
    assert "The survey has closed, so they were not sent and will be deleted." in page


# --- Where members find surveys: My GDS and the diversity statement -------------------


def test_my_gds_lists_open_surveys_with_where_the_member_stands(barriers, crrg, personas, rf):
    from django.template.loader import render_to_string

    from crrg.sections import my_surveys

    started = QuestionnaireFactory(title="Started survey", slug="started")
    done = QuestionnaireFactory(title="Done survey", slug="done")
    QuestionnaireFactory(  # closed: not listed
        title="Closed survey",
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=1),
    )
    ResponseFactory(questionnaire=started, user=personas.member, submitted_at=None)
    ResponseFactory(questionnaire=done, user=personas.member)
    ResponseFactory(questionnaire=barriers, user=personas.other_member)  # someone else's
    request = rf.get("/my/")
    request.user = personas.member
    standing = {s.slug: how for s, how in my_surveys(request)["surveys"]}
    # The CRRG's membership form has its own section; closed surveys are not offered.
    assert standing == {"barriers": "", "started": "draft", "done": "submitted"}
    html = render_to_string("crrg/_my_surveys.html", my_surveys(request))
    assert "Draft saved, not submitted" in html
    assert "Closed survey" not in html


@pytest.mark.parametrize("n", [1, 3])
def test_my_surveys_section_query_count(n, personas, rf, django_assert_num_queries):
    from django.template.loader import render_to_string

    from crrg.sections import my_surveys

    for i in range(n):
        survey = QuestionnaireFactory(slug=f"s{i}")
        ResponseFactory(questionnaire=survey, user=personas.member, submitted_at=None)
    request = rf.get("/my/")
    request.user = personas.member
    # the surveys with the member's standing; whether they coordinate any (their groups,
    # for the CRRG role and for owned surveys, and whether they are named on one)
    with django_assert_num_queries(4):
        html = render_to_string("crrg/_my_surveys.html", my_surveys(request))
    assert html.count("Draft saved") == n


def test_the_diversity_statement_points_to_the_executive_committees_open_survey(
    barriers, crrg, client
):
    QuestionnaireFactory(title="Webinar feedback", owner=Role.WEBINAR_COMMITTEE)
    page = client.get("/about/diversity/").content.decode()
    assert 'href="/surveys/barriers/"' in page
    assert "Webinar feedback" not in page and "Join the CRRG" not in page
    assert 'href="/surveys/barriers/"' not in client.get("/about/code-of-conduct/").text
    Questionnaire.objects.filter(pk=barriers.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1),
        opens_at=timezone.now() - timedelta(days=1),
    )
    assert 'href="/surveys/barriers/"' not in client.get("/about/diversity/").text
