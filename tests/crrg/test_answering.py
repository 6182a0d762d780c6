"""Answering a questionnaire at /crrg/join/ and /surveys/<slug>/, with conditional questions."""

import pytest
import time_machine
from django.utils import timezone

from crrg.enums import QuestionKind
from crrg.models import Answer, InterestGroupMembership, Response
from tests.factories.crrg import QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db

JOIN = "/crrg/join/"


def _answers(user) -> dict[str, str]:
    response = Response.objects.get(user=user)
    return {a.question.text: a.display() for a in response.answers.select_related("question")}


def _groups(user) -> list[str]:
    return sorted(
        InterestGroupMembership.objects.filter(user=user, left_at__isnull=True).values_list(
            "group__slug", flat=True
        )
    )


def test_join_saves_answers_consents_and_groups(crrg, personas, client_for):
    client = client_for(personas.member)
    data = crrg.data(
        working="yes",
        groups=[crrg.pick_modeling, crrg.pick_imaging],
        details="Transmission models",
        url="example.org/paper",
        consent_contact="on",
        consent_listed="on",
    )
    response = client.post(JOIN, data)
    assert response.status_code == 302
    assert _answers(personas.member) == {
        "Do you work on COVID research?": "Yes",
        "Which interest groups?": "Modeling; Imaging",
        "Describe your COVID work": "Transmission models",
        "Link to your work": "https://example.org/paper",
    }
    saved = Response.objects.get(user=personas.member)
    assert (saved.consent_contact, saved.consent_listed) == (True, True)
    assert _groups(personas.member) == ["imaging", "modeling"]
    page = client.get(JOIN).content.decode()
    assert "Transmission models" in page and "Your answers" in page


def test_hidden_question_answer_posted_anyway_is_ignored(crrg, personas, client_for):
    data = crrg.data(working="no", details="Posted although the question is hidden")
    assert client_for(personas.member).post(JOIN, data).status_code == 302
    assert _answers(personas.member) == {"Do you work on COVID research?": "No"}


def test_required_visible_conditional_question_left_empty_is_refused(crrg, personas, client_for):
    data = crrg.data(working="yes", groups=[crrg.pick_imaging], url="https://example.org/typed")
    response = client_for(personas.member).post(JOIN, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {f"q{crrg.details.pk}": ["Please answer this question."]}
    page = response.content.decode()
    # Everything typed is still there.
    assert 'value="https://example.org/typed"' in page
    assert f'value="{crrg.pick_imaging.pk}"' in page and "checked" in page
    assert not Response.objects.exists()


def test_required_question_left_empty_is_refused(crrg, personas, client_for):
    response = client_for(personas.member).post(JOIN, crrg.data(working=""))
    assert response.context["form"].errors == {
        f"q{crrg.working.pk}": ["Please answer this question."]
    }


def test_bad_url_gets_message_at_the_field(crrg, personas, client_for):
    data = crrg.data(working="no", url="not a url at all")
    response = client_for(personas.member).post(JOIN, data)
    assert list(response.context["form"].errors) == [f"q{crrg.url.pk}"]


def test_condition_on_a_hidden_controller_hides_the_dependent_question(personas, client_for):
    questionnaire = QuestionnaireFactory(slug="chained")
    first = QuestionFactory(questionnaire=questionnaire, order=1, kind=QuestionKind.SINGLE_CHOICE)
    first_yes = first.choices.create(label="Yes")
    first.choices.create(label="No")
    second = QuestionFactory(
        questionnaire=questionnaire, order=2, kind=QuestionKind.SINGLE_CHOICE, shown_if=first_yes
    )
    second_yes = second.choices.create(label="Yes")
    third = QuestionFactory(
        questionnaire=questionnaire, order=3, required=True, shown_if=second_yes
    )
    # The second question is hidden (first = No), so its stale "Yes" does not reveal the third.
    data = {f"q{first.pk}": first.choices.get(label="No").pk, f"q{second.pk}": second_yes.pk}
    client = client_for(personas.member)
    assert client.post("/surveys/chained/", data).status_code == 302
    answers = Answer.objects.filter(response__user=personas.member)
    assert [a.question_id for a in answers] == [first.pk]
    assert third.answers.count() == 0


def test_editing_answers_updates_the_one_response_and_groups(crrg, personas, client_for):
    client = client_for(personas.member)
    client.post(JOIN, crrg.data(working="yes", details="v1", groups=[crrg.pick_modeling]))
    client.post(JOIN, crrg.data(working="no", groups=[crrg.pick_analytics]))
    assert Response.objects.filter(user=personas.member).count() == 1
    # The now-hidden "details" answer is removed; the group follows the new pick.
    assert _answers(personas.member) == {
        "Do you work on COVID research?": "No",
        "Which interest groups?": "Data analytics",
    }
    assert _groups(personas.member) == ["data-analytics"]


def test_form_shows_the_condition_note_and_data_for_the_script(crrg, personas, client_for):
    page = client_for(personas.member).get(JOIN).content.decode()
    assert f'data-show-if="q{crrg.working.pk}"' in page
    assert f'data-show-value="{crrg.yes.pk}"' in page
    assert "Answer this only if you chose “Yes” for “Do you work on COVID research?”" in page
    assert "js/crrg.js" in page
    # Where crrg.js says which question appeared or went away (issue 23, item 4).
    assert '<div class="visually-hidden" aria-live="polite" data-crrg-status></div>' in page


def test_retired_question_is_not_asked_and_its_answer_is_kept(crrg, personas, client_for):
    client = client_for(personas.member)
    client.post(JOIN, crrg.data(working="no", url="https://example.org/a"))
    crrg.url.retired = True
    crrg.url.save()
    assert f"q{crrg.url.pk}" not in client.get(JOIN).context["form"].fields
    client.post(JOIN, crrg.data(working="yes", details="more"))
    assert _answers(personas.member)["Link to your work"] == "https://example.org/a"


def test_closed_questionnaire_shows_answers_but_refuses_changes(crrg, personas, client_for):
    client = client_for(personas.member)
    client.post(JOIN, crrg.data(working="no"))
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        crrg.questionnaire.closes_at = timezone.now() - timezone.timedelta(hours=1)
        crrg.questionnaire.save()
        response = client.post(JOIN, crrg.data(working="yes", details="late"))
        assert response.status_code == 200
        assert response.context["form"] is None
        assert "closed since" in response.content.decode()
    assert _answers(personas.member) == {"Do you work on COVID research?": "No"}


def test_questionnaire_not_yet_open_is_not_found_for_members(personas, client_for):
    QuestionnaireFactory(slug="later", opens_at=timezone.now() + timezone.timedelta(days=3))
    assert client_for(personas.member).get("/surveys/later/").status_code == 404


def test_unverified_member_cannot_answer(crrg, personas, client_for):
    client = client_for(personas.unverified)
    response = client.post(JOIN, crrg.data(working="no"))
    assert response.status_code == 403
    assert "verify your email" in response.content.decode()
    assert not Response.objects.exists()


def test_anonymous_is_sent_to_log_in(crrg, client_for):
    response = client_for(None).get(JOIN)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_survey_page_answers_other_questionnaires(personas, client_for):
    survey = QuestionnaireFactory(slug="barriers", title="Barriers to participation")
    question = QuestionFactory(questionnaire=survey, kind=QuestionKind.SCALE, required=True)
    client = client_for(personas.member)
    page = client.get("/surveys/barriers/")
    assert "consent_listed" not in page.context["form"].fields
    assert client.post("/surveys/barriers/", {f"q{question.pk}": "4"}).status_code == 302
    assert Answer.objects.get(question=question).number == 4


def test_membership_questionnaire_survey_url_redirects_to_join(crrg, personas, client_for):
    response = client_for(personas.member).get("/surveys/crrg-join/")
    assert (response.status_code, response["Location"]) == (302, JOIN)


def test_coordinators_text_is_never_markup_on_the_pages(crrg, personas, client_for):
    from crrg.models import CrrgPage

    attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    crrg.url.text = f"Link {attack}"
    crrg.url.help_text = f"Help {attack}"
    crrg.url.save()
    crrg.yes.label = f"Yes {attack}"
    crrg.yes.save()
    crrg.questionnaire.introduction = f"Intro {attack} [x](javascript:alert(3))"
    crrg.questionnaire.save()
    crrg.modeling.description = f"About {attack}"
    crrg.modeling.save()
    page = CrrgPage.get_solo()
    page.about = f"We {attack}"
    page.save()
    for client, url in [(client_for(personas.member), JOIN), (client_for(None), "/crrg/")]:
        assert _active_markup(client.get(url).content.decode()) == [], url


def _active_markup(html: str) -> list[str]:
    """Inline scripts, event handlers and javascript: links in a page."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "script" and "src" not in attrs:
                found.append("inline script")
            found.extend(f"{name} on <{tag}>" for name in attrs if name.startswith("on"))
            if (attrs.get("href") or "").lower().startswith("javascript:"):
                found.append("javascript: link")

    Parser().feed(html)
    return found
