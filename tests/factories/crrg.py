import factory
from django.utils import timezone

from crrg.enums import QuestionKind
from crrg.models import Answer, Choice, InterestGroup, Question, Questionnaire, Response


class InterestGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestGroup

    name = factory.Sequence(lambda n: f"Interest group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    description = "Members who work on *this*."


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    slug = factory.Sequence(lambda n: f"questionnaire-{n}")
    introduction = "Tell us about **your** work."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
    grants_membership = False


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuestionKind.SHORT_TEXT


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.SINGLE_CHOICE)
    order = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Choice {n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    # Submitted unless a test asks for a draft (submitted_at=None).
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
