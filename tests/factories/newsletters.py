import datetime as dt

import factory
from django.utils import timezone

from newsletters.enums import ArticleKind, ArticleState, IssueStatus, Season, SubscriptionStatus
from newsletters.models import Article, Authorship, Issue, Reference, Subscriber
from tests.factories.community import PersonFactory

SEASONS = list(Season)


class IssueFactory(factory.django.DjangoModelFactory):
    """A published issue, a week old, unless told otherwise (`status=IssueStatus.DRAFT`)."""

    class Meta:
        model = Issue

    year = factory.Sequence(lambda n: 1990 + n // 4)
    season = factory.Sequence(lambda n: SEASONS[n % 4].value)
    title = factory.LazyAttribute(lambda o: f"{Season(o.season).label} {o.year}")
    slug = factory.LazyAttribute(lambda o: f"{o.season}-{o.year}")
    summary = "What this issue holds."
    status = IssueStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    issue = factory.SubFactory(IssueFactory)
    order = factory.Sequence(lambda n: n)
    kind = ArticleKind.PERSPECTIVE
    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A short standfirst."
    body = "Some *Markdown* with maths: $E = mc^2$."
    # Ready to publish unless a test says otherwise (the review has its own tests).
    state = ArticleState.APPROVED


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    order = factory.Sequence(lambda n: n)
    role = "Postdoctoral Fellow, Example University"


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    article = factory.SubFactory(ArticleFactory)
    order = factory.Sequence(lambda n: n)
    citation = "A. Author, J. Phys. Chem. C 124, 1907 (2020)."
    doi = "10.1021/acs.jpcc.9b07936"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = SubscriptionStatus.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)


def authored_article(**kwargs) -> Article:
    """An article with one author, ready to be published."""
    article = ArticleFactory(**kwargs)
    AuthorshipFactory(article=article)
    return article
