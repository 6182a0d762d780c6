import uuid
from datetime import date, timedelta

import factory
from django.utils import timezone

from community.models import Unit
from meetings.enums import CategoryKind, MeetingKind, PresentationPreference
from meetings.models import CategoryCosponsor, Meeting, SortingCategory
from meetings.services.abstracts import AbstractData, abstract_save
from meetings.services.authors import AuthorData


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting whose call opened ten days ago and closes in ten days."""

    class Meta:
        model = Meeting

    name = factory.Sequence(lambda n: f"Test Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    kind = MeetingKind.MARCH
    year = 2021
    starts_on = factory.LazyFunction(lambda: date.today() + timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda m: m.starts_on + timedelta(days=4))
    is_virtual = True
    time_zone = "America/New_York"
    call_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    call_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    title_max_length = 100
    body_max_length = 500


class SortingCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SortingCategory
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    code = factory.Sequence(lambda n: f"23.01.{n % 100:02d}")
    title = factory.Sequence(lambda n: f"Focus topic {n}")
    kind = CategoryKind.FOCUS_SESSION
    accepts_contributed = factory.LazyAttribute(lambda c: c.kind in CategoryKind.contributed())

    @factory.post_generation
    def cosponsors(self, create, extracted, **kwargs):
        for position, code in enumerate(extracted or []):
            unit, _ = Unit.objects.get_or_create(code=code, defaults={"name": code})
            CategoryCosponsor.objects.create(category=self, unit=unit, position=position)


def author(name="Ada Lovelace", email="ada@example.org", presenting=True, affiliations=None):
    return AuthorData(
        name=name,
        email=email,
        is_presenting=presenting,
        affiliations=affiliations or ["University of London"],
    )


def abstract_data(category, **overrides) -> AbstractData:
    values = {
        "category": category,
        "title": "Learning phase transitions",
        "body": "We find that $E = mc^2$ holds.",
        "presentation": PresentationPreference.ORAL,
        "student_presenter": False,
        "funding": "",
        "keywords": "phases",
        "authors": [author()],
    }
    values.update(overrides)
    return AbstractData(**values)


def make_abstract(*, submitter, category=None, submit=True, **overrides):
    """An abstract written through the services, as a member would."""
    category = category or SortingCategoryFactory()
    outcome = abstract_save(
        meeting=category.meeting,
        by=submitter,
        data=abstract_data(category, **overrides),
        token=uuid.uuid4(),
        submit=submit,
    )
    return outcome.abstract
