"""XSS corpus fields of newsletters (see tests/security/xss.py)."""

import io
import zipfile

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from newsletters.enums import IssueStatus, SubscriptionKind, SubscriptionStatus
from newsletters.import_uploads import upload_store
from newsletters.models import Figure, Subscriber
from newsletters.services import issue_publish, manage_url
from tests.factories.community import PersonFactory
from tests.factories.newsletters import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    ReferenceFactory,
)


def _front_matter(data: dict, body: str = "Body.") -> str:
    return f"---\n{yaml.safe_dump(data, allow_unicode=True)}---\n{body}\n"


def _archive(articles: dict[str, dict]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in articles.items():
            archive.writestr(name, _front_matter(data))
    return buffer.getvalue()


def _import_previews(corpus) -> list[str]:
    """The import's dry run shows text from the uploaded files: titles, names, problems."""
    issue = {"title": corpus.text("imported issue title", 120), "slug": "xss-1901"}
    good = _archive(
        {
            "issue.md": {**issue, "season": "fall", "year": 1901},
            "01-a.md": {
                "title": corpus.text("imported article title", 250),
                "kind": "feature",
                "order": 1,
                "authors": [{"name": corpus.text("imported author name")}],
            },
        }
    )
    broken = _archive(
        {
            "issue.md": {**issue, "season": "fall", "year": 1901},
            "01-a.md": {"title": "A", "kind": corpus.text("imported unknown kind"), "order": 1},
        }
    )
    return [
        f"/admin/newsletters/issue/import/{upload_store(data=data, user=corpus.user)}/"
        for data in (good, broken)
    ]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


_PNG = _png()


def seed(corpus) -> list[str]:
    issue = IssueFactory(
        title=corpus.text("issue title", 120),
        summary=corpus.markdown("summary"),
        status=IssueStatus.DRAFT,
        published_at=None,
    )
    article = ArticleFactory(
        issue=issue,
        title=corpus.text("article title", 250),
        standfirst=corpus.text("article standfirst"),
        body=corpus.markdown("article body"),
    )
    author = PersonFactory(name=corpus.text("author name"))
    AuthorshipFactory(article=article, person=author, role=corpus.text("author role", 200))
    # The structured fields show in the admin and go into the BibTeX/RIS downloads
    # (text files, attachments; tests/newsletters/test_citations.py checks their escaping).
    ReferenceFactory(
        article=article,
        citation=corpus.text("reference citation"),
        authors=corpus.text("reference authors"),
        title=corpus.text("reference title", 500),
        journal=corpus.text("reference journal", 250),
        volume=corpus.text("reference volume", 20),
        pages=corpus.text("reference pages", 30),
    )
    Subscriber.objects.create(email="reader@example.org", status=SubscriptionStatus.ACTIVE)
    # The whole issue in the mail: every text of the article reaches the mail's body.
    whole = Subscriber.objects.create(
        email="whole@example.org",
        status=SubscriptionStatus.ACTIVE,
        kind=SubscriptionKind.FULL_ISSUE,
    )
    issue_publish(issue=issue, by=corpus.user)  # a status change for the history pages
    # A later revision of the issue's text, so its comparison page shows title and summary.
    issue.refresh_from_db()
    issue.title = corpus.text("issue title, revised", 120)
    issue.summary = corpus.markdown("issue summary, revised")
    issue.save()
    # A second revision of the article, so its comparison page shows every field changed.
    first_revision = article.history.get()
    article.title = corpus.text("article title, revised", 250)
    article.standfirst = corpus.text("article standfirst, revised")
    article.body = corpus.markdown("article body, revised") + "\n\n![fig:chart]\n"
    article.save()
    # A figure's alt text and caption reach the article page, the preview and the admin.
    Figure.objects.create(
        article=article,
        slug="chart",
        image=SimpleUploadedFile("chart.png", _PNG, content_type="image/png"),
        alt=corpus.text("figure alt text", 300),
        caption=corpus.text("figure caption", 500),
    )
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
        manage_url(whole).removeprefix(settings.SITE_URL),
        "/admin/newsletters/issue/",
        f"/admin/newsletters/issue/{issue.pk}/change/",
        f"/admin/newsletters/issue/{issue.pk}/history/",
        f"/admin/newsletters/issue/{issue.pk}/history/{issue.history.earliest().history_id}/",
        f"/admin/newsletters/issue/{issue.pk}/history/compare/"
        f"?old={issue.history.earliest().history_id}",
        "/admin/newsletters/article/",
        f"/admin/newsletters/article/{article.pk}/change/",
        f"/admin/newsletters/article/{article.pk}/history/",
        f"/admin/newsletters/article/{article.pk}/history/compare/?old={first_revision.history_id}",
        *_import_previews(corpus),
    ]
