from datetime import date, timedelta

import factory
from django.utils import timezone

from elections.enums import CandidacyStatus, CountingRule
from elections.models import Candidacy, Contest, Election, Office, Term
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Office {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    roles = factory.LazyFunction(list)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    office = factory.SubFactory(OfficeFactory)
    person = factory.SubFactory(PersonFactory)
    starts_on = date(2020, 4, 1)
    ends_on = date(2021, 3, 31)


def _at(days: float):
    return timezone.now() + timedelta(days=days)


class ElectionFactory(factory.django.DjangoModelFactory):
    """An announced election with voting open now (pass other windows as needed)."""

    class Meta:
        model = Election

    title = factory.Sequence(lambda n: f"Election {n}")
    slug = factory.Sequence(lambda n: f"election-{n}")
    is_announced = True
    nominations_open_at = factory.LazyFunction(lambda: _at(-30))
    nominations_close_at = factory.LazyFunction(lambda: _at(-10))
    voting_open_at = factory.LazyFunction(lambda: _at(-1))
    voting_close_at = factory.LazyFunction(lambda: _at(10))
    eligibility_cutoff = factory.LazyFunction(timezone.localdate)
    term_starts_on = date(2031, 4, 1)
    term_ends_on = date(2032, 3, 31)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    election = factory.SubFactory(ElectionFactory)
    office = factory.SubFactory(OfficeFactory)
    seats = 1
    rule = CountingRule.UP_TO_K


class CandidacyFactory(factory.django.DjangoModelFactory):
    """An accepted candidate on the slate."""

    class Meta:
        model = Candidacy

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    status = CandidacyStatus.ACCEPTED
    statement = "I will serve the members."
    is_approved = True


def election_with_slate(*, candidates: int = 3, rule=CountingRule.UP_TO_K, seats: int = 1, **kw):
    """An election open for voting with one contest and `candidates` on the slate."""
    election = ElectionFactory(slate_approved_at=_at(-2), **kw)
    contest = ContestFactory(election=election, rule=rule, seats=seats)
    slate = [CandidacyFactory(contest=contest) for _ in range(candidates)]
    return election, contest, slate


def election_taking_nominations(**kw) -> Election:
    """An election whose nominations are open now (voting opens in six days)."""
    return ElectionFactory(
        nominations_open_at=_at(-1),
        nominations_close_at=_at(5),
        voting_open_at=_at(6),
        voting_close_at=_at(10),
        **kw,
    )
