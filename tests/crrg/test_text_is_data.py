"""Coordinators' words on the answer pages are data, never template source (issue 15, break 2).

The condition note under a conditional question quotes a choice label and the
controlling question's text. Those once reached crispy-forms' HTML(), which runs
its string as a Django template: `{{ request.META.HTTP_COOKIE }}` in a label
showed each viewer their own session cookie, and `{{7*7}` made the page a 500.
"""

import html

import pytest
from django.conf import settings

from crrg.enums import QuestionKind
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db

COOKIE_LEAK = "{{ request.META.HTTP_COOKIE }}"
BROKEN = "{{7*7}} {% debug %} {% load nonexistent %}"


def _conditional(questionnaire, *, label: str, controller_text: str):
    controller = QuestionFactory(
        questionnaire=questionnaire, text=controller_text, kind=QuestionKind.SINGLE_CHOICE
    )
    picked = ChoiceFactory(question=controller, label=label)
    QuestionFactory(
        questionnaire=questionnaire,
        text="Tell us more",
        kind=QuestionKind.SHORT_TEXT,
        shown_if=picked,
    )


@pytest.mark.parametrize(
    ("grants_membership", "path"), [(True, "/crrg/join/"), (False, "/surveys/survey/")]
)
@pytest.mark.parametrize("payload", [COOKIE_LEAK, BROKEN])
def test_condition_note_shows_template_syntax_literally(
    personas, client_for, grants_membership, path, payload
):
    questionnaire = QuestionnaireFactory(slug="survey", grants_membership=grants_membership)
    _conditional(questionnaire, label=payload, controller_text=f"Q {payload}")
    client = client_for(personas.member)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    # The note quotes the choice label and the controlling question as typed.
    note = page.split("crrg-condition-note", 1)[1].split("</p>", 1)[0]
    assert payload in html.unescape(note)
    assert f"Q {payload}" in html.unescape(note)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session not in page
