"""The whole issue as an email body, for subscribers who chose the full issue.

Rendered once per issue (`render_full_issue`), then placed into each subscriber's
message, which differs only in its unsubscribe links. Maths is shown as TeX source
(`gds_portal.markdown.render_markdown_for_mail`: mail clients show no MathML); the
plain-text alternative is the same text without markup (`mail_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from gds_portal.markdown import mail_text, render_markdown_for_mail
from newsletters.models import Article, Issue

# Gmail cuts an HTML body off after 102 kB ("[Message clipped]"), hiding the
# unsubscribe links at the end; a bigger issue is sent as the announcement instead.
DEFAULT_MAX_BYTES = 90_000


@dataclass(frozen=True)
class FullIssue:
    html: SafeString  # the articles, for the HTML body (escaped and sanitised)
    text: str  # the same for the plain-text body


def max_bytes() -> int:
    return getattr(settings, "NEWSLETTER_FULL_ISSUE_MAX_BYTES", DEFAULT_MAX_BYTES)


def render_full_issue(*, issue: Issue, articles: list[Article]) -> FullIssue | None:
    """Every article of `issue` (authorships prefetched), or None when too big to mail.

    No queries of its own: `articles` come with their authorships and people.
    """
    site_url = settings.SITE_URL
    items = [
        {
            "article": article,
            "url": site_url + article.get_absolute_url(),
            "authors": [_author_line(a) for a in article.authorships.all()],
            "body": render_markdown_for_mail(article.body, site_url=site_url),
        }
        for article in articles
    ]
    html = render_to_string("newsletters/mail/full_issue.html", {"items": items})
    text = "\n\n".join(_article_text(item) for item in items)
    if len(html.encode()) + len(text.encode()) > max_bytes():
        return None
    return FullIssue(html=html, text=text)


def _author_line(authorship) -> str:
    name = authorship.person.name
    return f"{name} ({authorship.role})" if authorship.role else name


def _article_text(item: dict) -> str:
    article = item["article"]
    parts = [article.title, "=" * min(len(article.title), 72)]
    if item["authors"]:
        parts.append("By " + ", ".join(item["authors"]))
    if article.standfirst:
        parts.append(article.standfirst)
    parts.append(mail_text(item["body"]))
    parts.append(f"Read it on the website, with its references: {item['url']}")
    return "\n\n".join(p for p in parts if p)
