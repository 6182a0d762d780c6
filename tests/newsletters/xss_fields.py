"""XSS corpus fields of newsletters (see tests/security/xss.py)."""

from newsletters.enums import SubscriptionStatus
from newsletters.models import Subscriber
from newsletters.services import issue_announce
from tests.factories.community import PersonFactory
from tests.factories.newsletters import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    ReferenceFactory,
)


def seed(corpus) -> list[str]:
    issue = IssueFactory(title=corpus.text("issue title", 120), summary=corpus.markdown("summary"))
    article = ArticleFactory(
        issue=issue,
        title=corpus.text("article title", 250),
        standfirst=corpus.text("article standfirst"),
        body=corpus.markdown("article body"),
    )
    author = PersonFactory(name=corpus.text("author name"))
    AuthorshipFactory(article=article, person=author, role=corpus.text("author role", 200))
    ReferenceFactory(article=article, citation=corpus.text("reference citation"))
    Subscriber.objects.create(email="reader@example.org", status=SubscriptionStatus.ACTIVE)
    issue_announce(issue=issue)
    for feed in [
        "/newsletters/feed/",
        "/newsletters/feed/rss/",
        "/newsletters/feed/articles/",
        "/newsletters/feed/articles/rss/",
    ]:
        corpus.document(feed)
    return [
        "/newsletters/",
        issue.get_absolute_url(),
        article.get_absolute_url(),
        author.get_absolute_url(),
        "/search/?q=alert",
        "/admin/newsletters/issue/",
        f"/admin/newsletters/issue/{issue.pk}/change/",
        "/admin/newsletters/article/",
        f"/admin/newsletters/article/{article.pk}/change/",
    ]
