from dataclasses import dataclass

import pytest

from accounts.enums import Role
from crrg.enums import QuestionKind
from tests.factories.crrg import (
    ChoiceFactory,
    InterestGroupFactory,
    QuestionFactory,
    QuestionnaireFactory,
)


@dataclass
class Crrg:
    """The CRRG membership questionnaire the tests answer.

    working (single choice, required): yes / no
    groups (multiple choice): modeling, imaging, analytics, each mapped to its group
    details (long text, required, shown only if working = yes)
    url (URL, optional)
    """

    questionnaire: object
    modeling: object
    imaging: object
    analytics: object
    working: object
    yes: object
    no: object
    groups: object
    pick_modeling: object
    pick_imaging: object
    pick_analytics: object
    details: object
    url: object

    def data(self, *, working="yes", groups=(), details="", url="", **extra) -> dict:
        """POST data for the answer form; `groups` are choice objects."""
        data = {
            f"q{self.working.pk}": {"yes": self.yes.pk, "no": self.no.pk, "": ""}[working],
            f"q{self.groups.pk}": [c.pk for c in groups],
            f"q{self.details.pk}": details,
            f"q{self.url.pk}": url,
        }
        data.update(extra)
        return {k: v for k, v in data.items() if v not in ("", [])}


@pytest.fixture
def crrg(db) -> Crrg:
    questionnaire = QuestionnaireFactory(
        title="Join the CRRG", slug="crrg-join", grants_membership=True
    )
    modeling = InterestGroupFactory(name="Modeling", slug="modeling")
    imaging = InterestGroupFactory(name="Imaging", slug="imaging")
    analytics = InterestGroupFactory(name="Data analytics", slug="data-analytics")
    working = QuestionFactory(
        questionnaire=questionnaire,
        order=1,
        text="Do you work on COVID research?",
        kind=QuestionKind.SINGLE_CHOICE,
        required=True,
    )
    yes = ChoiceFactory(question=working, label="Yes", order=1)
    no = ChoiceFactory(question=working, label="No", order=2)
    groups = QuestionFactory(
        questionnaire=questionnaire,
        order=2,
        text="Which interest groups?",
        kind=QuestionKind.MULTIPLE_CHOICE,
    )
    pick_modeling = ChoiceFactory(question=groups, label="Modeling", interest_group=modeling)
    pick_imaging = ChoiceFactory(question=groups, label="Imaging", interest_group=imaging)
    pick_analytics = ChoiceFactory(
        question=groups, label="Data analytics", interest_group=analytics
    )
    details = QuestionFactory(
        questionnaire=questionnaire,
        order=3,
        text="Describe your COVID work",
        kind=QuestionKind.LONG_TEXT,
        required=True,
        shown_if=yes,
    )
    url = QuestionFactory(
        questionnaire=questionnaire, order=4, text="Link to your work", kind=QuestionKind.URL
    )
    return Crrg(
        questionnaire,
        modeling,
        imaging,
        analytics,
        working,
        yes,
        no,
        groups,
        pick_modeling,
        pick_imaging,
        pick_analytics,
        details,
        url,
    )


@pytest.fixture
def anonymous_survey():
    """The executive committee's anonymous survey: stage (student, faculty), met a
    barrier (yes/no), what happened (free text)."""
    questionnaire = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE, anonymous=True
    )
    questionnaire.stage = QuestionFactory(
        questionnaire=questionnaire, order=1, kind=QuestionKind.SINGLE_CHOICE, text="Stage"
    )
    questionnaire.student = ChoiceFactory(question=questionnaire.stage, label="Student")
    questionnaire.faculty = ChoiceFactory(question=questionnaire.stage, label="Faculty")
    questionnaire.barrier = QuestionFactory(
        questionnaire=questionnaire, order=2, kind=QuestionKind.YES_NO, text="Met a barrier?"
    )
    questionnaire.story = QuestionFactory(
        questionnaire=questionnaire, order=3, kind=QuestionKind.LONG_TEXT, text="What happened?"
    )
    return questionnaire
