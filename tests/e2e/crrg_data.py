"""The CRRG membership questionnaire several browser tests answer."""

from crrg.enums import QuestionKind
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory


def conditional_questionnaire():
    """ "Join the CRRG": a required yes/no choice, and a required long text asked only
    after "Yes". Returns that conditional question."""
    questionnaire = QuestionnaireFactory(title="Join the CRRG", grants_membership=True)
    working = QuestionFactory(
        questionnaire=questionnaire,
        order=1,
        required=True,
        text="Do you work on COVID research?",
        kind=QuestionKind.SINGLE_CHOICE,
    )
    yes = ChoiceFactory(question=working, label="Yes")
    ChoiceFactory(question=working, label="No")
    return QuestionFactory(
        questionnaire=questionnaire,
        order=2,
        required=True,
        text="Describe your COVID work",
        kind=QuestionKind.LONG_TEXT,
        shown_if=yes,
    )
