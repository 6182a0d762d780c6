import uuid
from datetime import UTC, datetime, timedelta

import factory
from django.utils import timezone

from accounts.identity import canonical_email
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from webinars.enums import RegistrationStatus, WebinarKind
from webinars.models import (
    Feedback,
    HostVolunteer,
    Participant,
    Registration,
    SpeakerNomination,
    Topic,
    TopicSuggestion,
    Webinar,
    WebinarSpeaker,
)
from webinars.services import webinar_reindex

PAST = datetime(2020, 6, 18, 16, 0, tzinfo=UTC)
FUTURE = datetime(2099, 3, 1, 17, 30, tzinfo=UTC)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "What the topic is about."


class WebinarFactory(factory.django.DjangoModelFactory):
    """A published talk held in 2020; pass start_at=FUTURE for an upcoming one."""

    class Meta:
        model = Webinar
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Webinar {n} on machine learning")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    kind = WebinarKind.TALK
    start_at = PAST
    duration = timedelta(minutes=60)
    description = "A talk about *neural networks* for physics."
    is_published = True
    replay_url = ""
    # A replay made here is one whose release is recorded, unless a test says otherwise
    # (replay_released_at=None: tests/webinars/test_release.py).
    replay_released_at = factory.LazyAttribute(lambda o: PAST if o.replay_url else None)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            for order, person in enumerate(extracted):
                WebinarSpeaker.objects.create(
                    webinar=self, person=person, talk_title=self.title, order=order
                )
        if create:
            webinar_reindex(webinar_ids=[self.pk])


class SpeakerNominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpeakerNomination

    nominator = factory.SubFactory(UserFactory)
    nominee_name = factory.Sequence(lambda n: f"Nominee {n}")
    affiliation = "Institute of Examples"
    country = "DE"
    email = factory.Sequence(lambda n: f"nominee{n}@example.org")
    website = "https://example.org/nominee"
    proposed_title = factory.Sequence(lambda n: f"Proposed talk {n}")
    rationale = "Excellent work on data-driven physics."


class TopicSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicSuggestion

    nominator = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Suggested topic {n}")
    description = "Why the community needs it."


class HostVolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostVolunteer

    nominator = factory.SubFactory(UserFactory)
    availability = "Weekday afternoons"


__all__ = ["FUTURE", "PAST", "PersonFactory"]


def with_token(data: dict) -> dict:
    """A nomination form as a browser sends it: `data` with the form's own one-time token."""
    return {**data, "token": str(uuid.uuid4())}


def feedback_closed(**fields) -> Webinar:
    """A webinar whose feedback window has closed: its speakers see the ratings."""
    from webinars.feedback import FEEDBACK_WINDOW

    start = timezone.now() - FEEDBACK_WINDOW - timedelta(days=1)
    return WebinarFactory(**{"start_at": start, **fields})


def recently_held(**fields) -> Webinar:
    """A webinar that ended an hour ago: its attendees may give feedback."""
    start = timezone.now() - timedelta(hours=2)
    return WebinarFactory(**{"start_at": start, **fields})


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration; attended=True sets attended_at (as the committee does)."""

    class Meta:
        model = Registration

    class Params:
        attended = factory.Trait(attended_at=factory.LazyFunction(timezone.now))

    webinar = factory.SubFactory(WebinarFactory)
    name = factory.Sequence(lambda n: f"Registrant {n}")
    email = factory.Sequence(lambda n: f"registrant{n}@example.org")
    email_key = factory.LazyAttribute(lambda r: canonical_email(r.email))
    status = RegistrationStatus.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    registration = factory.SubFactory(RegistrationFactory, attended=True)
    rating = 4
    comment = ""


def add_participants(webinar: Webinar, numbers, *, attended: bool = True) -> None:
    """Rows of an imported report for `webinar`: person{n}@example.org for each n."""
    Participant.objects.bulk_create(
        Participant(webinar=webinar, email_key=f"person{n}@example.org", attended=attended)
        for n in numbers
    )
