"""Access rows for newsletters (see tests/security/access.py).

A draft issue exists only for the newsletter editors: everyone else gets the
same 404 as for a missing issue. Subscriber addresses are private to the
editors (and administrators).
"""

import io
import zipfile
from urllib.parse import urlsplit

from newsletters.enums import IssueStatus, SubscriptionKind, SubscriptionStatus
from newsletters.import_uploads import upload_store
from newsletters.models import Article, Issue, Subscriber
from newsletters.services import manage_url
from tests.factories.newsletters import ArticleFactory, IssueFactory, ReferenceFactory
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

DRAFT_SECRET = "Unannounced draft result"
IMPORT_SECRET = "Back issue nobody has seen"


def _import_archive() -> bytes:
    """A one-article back issue, as an editor would upload it."""
    files = {
        "issue.md": f"---\ntitle: {IMPORT_SECRET}\nseason: fall\nyear: 1999\n---\n",
        "01-a.md": "---\ntitle: An article\nkind: feature\norder: 1\n---\nBody.\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def world(personas) -> dict:
    draft = IssueFactory(status=IssueStatus.DRAFT, published_at=None, title="Winter 2099")
    article = ArticleFactory(issue=draft, title=DRAFT_SECRET, slug="draft-article")
    ReferenceFactory(article=article, citation=DRAFT_SECRET, authors="Secret, Draft")
    issue_revision = draft.history.get()
    draft.summary = "The editors' second thoughts."  # a second revision to restore from
    draft.save()
    reader = Subscriber.objects.create(
        email="quiet.reader@example.org", status=SubscriptionStatus.ACTIVE
    )
    return {
        "draft": draft,
        "article": article,
        "reader": reader,
        "revision": article.history.get(),
        "issue_revision": issue_revision,
        # The editor's upload, waiting for its confirmation (newsletters/admin_import.py).
        "import_token": upload_store(data=_import_archive(), user=personas.newsletter_editor),
        "manage": urlsplit(manage_url(reader)).path,
        # The same page with a token that names the reader but is not signed.
        "forged": urlsplit(manage_url(reader)).path.rsplit(":", 1)[0] + ":forged/",
        "private": [DRAFT_SECRET, "quiet.reader@example.org", IMPORT_SECRET],
    }


def article_text(world) -> tuple:
    return Article.objects.values_list("title", "body").get(pk=world["article"].pk)


def issue_slugs(world) -> list:
    return sorted(Issue.objects.values_list("slug", flat=True))


def issue_text_and_state(world) -> tuple:
    fields = ("title", "summary", "status", "published_at")
    return Issue.objects.values_list(*fields).get(pk=world["draft"].pk)


def reader_kind(world) -> str:
    return Subscriber.objects.values_list("kind", flat=True).get(pk=world["reader"].pk)


def draft_state(world) -> tuple:
    return Issue.objects.values_list("status", "published_at").get(pk=world["draft"].pk)


PREVIEW = "/newsletters/preview/{draft.pk}/"
PREVIEW_ARTICLE = "/newsletters/preview/{draft.pk}/{article.slug}/"
DRAFT_CITE = "/newsletters/{draft.year}/{draft.season}/{article.slug}/references/1"
OTHER_ROLES = ("program_committee", "webinar_committee", "crrg_coordinator", "executive")
COMPARE = "/admin/newsletters/article/{article.pk}/history/compare/"
RESTORE = "/admin/newsletters/article/{article.pk}/history/{revision.history_id}/restore/"
ISSUE_COMPARE = "/admin/newsletters/issue/{draft.pk}/history/compare/"
ISSUE_RESTORE = "/admin/newsletters/issue/{draft.pk}/history/{issue_revision.history_id}/restore/"
IMPORT = "/admin/newsletters/issue/import/"
IMPORT_PREVIEW = "/admin/newsletters/issue/import/{import_token}/"

EVERYONE = (None, "member", "other_member", *OTHER_ROLES, "newsletter_editor", "staff")
# The side-by-side preview of an article's body (admin): the editors' and superusers'.
BODY_PREVIEW = "/admin/newsletters/article/preview/?article={article.pk}"
BODY = {"body": "Typed in the editor, not saved."}

ROWS = [
    # A subscription's own page: the signed link in its mail is the key, whoever holds
    # it (signed in as anyone or not); without a valid signature, no one (400).
    *[Row(f"{who} manage page by link", who, "GET", "{manage}", OK) for who in EVERYONE],
    *[
        Row(
            f"{who} manage page forged link",
            who,
            "POST",
            "{forged}",
            "status 400",
            data={"kind": SubscriptionKind.FULL_ISSUE},
            hidden=("quiet.reader@example.org",),
            unchanged=reader_kind,
        )
        for who in EVERYONE
    ],
    # Drafts: a 404 for everyone but the editors, so their existence does not leak.
    *[
        Row(f"{who} draft preview", who, "GET", PREVIEW, NOT_FOUND)
        for who in (None, "member", *OTHER_ROLES)
    ],
    Row("member draft article preview", "member", "GET", PREVIEW_ARTICLE, NOT_FOUND),
    Row(
        "anonymous draft reading page",
        None,
        "GET",
        "/newsletters/{draft.year}/{draft.season}/",
        NOT_FOUND,
    ),
    # A draft's references cannot be downloaded as citations, not even by its editors
    # (the downloads serve readers; editors read references in the preview).
    *[
        Row(f"{who} draft citation {fmt}", who, "GET", f"{DRAFT_CITE}.{fmt}", NOT_FOUND)
        for who in (None, "member", "newsletter_editor")
        for fmt in ("bib", "ris")
    ],
    Row("editor draft preview", "newsletter_editor", "GET", PREVIEW, OK),
    Row("editor draft article preview", "newsletter_editor", "GET", PREVIEW_ARTICLE, OK),
    # The archive lists published issues only.
    Row(
        "anonymous archive hides the draft",
        None,
        "GET",
        "/newsletters/",
        OK,
        hidden=(DRAFT_SECRET, "Winter 2099"),
    ),
    # The admin: editors only; subscriber addresses stay with them.
    Row("member issue admin", "member", "GET", "/admin/newsletters/issue/", LOGIN),
    *[
        Row(f"{who} issue admin", who, "GET", "/admin/newsletters/issue/", FORBIDDEN)
        for who in OTHER_ROLES
    ],
    *[
        Row(f"{who} subscriber admin", who, "GET", "/admin/newsletters/subscriber/", FORBIDDEN)
        for who in OTHER_ROLES
    ],
    Row(
        "program committee cannot publish",
        "program_committee",
        "POST",
        "/admin/newsletters/issue/{draft.pk}/change/",
        FORBIDDEN,
        data={"status": IssueStatus.PUBLISHED},
        unchanged=draft_state,
    ),
    # Article revisions: compared and restored by the editors only (newsletters/rules.py).
    Row("member compares revisions", "member", "GET", COMPARE, LOGIN),
    Row("member restores a revision", "member", "POST", RESTORE, LOGIN, unchanged=article_text),
    *[Row(f"{who} compares revisions", who, "GET", COMPARE, FORBIDDEN) for who in OTHER_ROLES],
    *[
        Row(f"{who} restores a revision", who, "POST", RESTORE, FORBIDDEN, unchanged=article_text)
        for who in OTHER_ROLES
    ],
    Row("editor compares revisions", "newsletter_editor", "GET", COMPARE, OK),
    # Issue revisions: the same rule (a restore never touches status or publication time).
    *[
        Row(f"{who or 'anonymous'} compares issue revisions", who, "GET", ISSUE_COMPARE, LOGIN)
        for who in (None, "member", "other_member")
    ],
    *[
        Row(
            f"{who or 'anonymous'} restores an issue revision",
            who,
            "POST",
            ISSUE_RESTORE,
            LOGIN,
            unchanged=issue_text_and_state,
        )
        for who in (None, "member", "other_member")
    ],
    *[
        Row(f"{who} compares issue revisions", who, "GET", ISSUE_COMPARE, FORBIDDEN)
        for who in OTHER_ROLES
    ],
    *[
        Row(
            f"{who} restores an issue revision",
            who,
            "POST",
            ISSUE_RESTORE,
            FORBIDDEN,
            unchanged=issue_text_and_state,
        )
        for who in OTHER_ROLES
    ],
    Row("editor compares issue revisions", "newsletter_editor", "GET", ISSUE_COMPARE, OK),
    Row("editor restores an issue revision", "newsletter_editor", "POST", ISSUE_RESTORE, REDIRECT),
    Row("superuser compares issue revisions", "staff", "GET", ISSUE_COMPARE, OK),
    Row("superuser restores an issue revision", "staff", "POST", ISSUE_RESTORE, REDIRECT),
    # The body's preview: the draft article's figures must not leak to anyone else.
    Row("anonymous body preview", None, "POST", BODY_PREVIEW, LOGIN, data=BODY),
    Row("member body preview", "member", "POST", BODY_PREVIEW, LOGIN, data=BODY),
    Row("other member body preview", "other_member", "POST", BODY_PREVIEW, LOGIN, data=BODY),
    *[
        Row(f"{who} body preview", who, "POST", BODY_PREVIEW, FORBIDDEN, data=BODY)
        for who in OTHER_ROLES
    ],
    Row("editor body preview", "newsletter_editor", "POST", BODY_PREVIEW, OK, data=BODY),
    Row("superuser body preview", "staff", "POST", BODY_PREVIEW, OK, data=BODY),
    # A GET renders nothing: it goes back to the article list (editors only, too).
    Row("member body preview by GET", "member", "GET", BODY_PREVIEW, LOGIN),
    Row("editor issue admin", "newsletter_editor", "GET", "/admin/newsletters/issue/", OK),
    Row(
        "editor subscriber admin", "newsletter_editor", "GET", "/admin/newsletters/subscriber/", OK
    ),
    # Importing a back issue: the editors only; an upload is its uploader's alone (another
    # editor, here the superuser, gets the 404 of an upload that never was).
    *[
        Row(f"{who} import {step} {method}", who, method, url, LOGIN, unchanged=issue_slugs)
        for who in (None, "member")
        for method in ("GET", "POST")
        for step, url in (("upload", IMPORT), ("preview", IMPORT_PREVIEW))
    ],
    *[
        Row(f"{who} import {step} {method}", who, method, url, FORBIDDEN, unchanged=issue_slugs)
        for who in OTHER_ROLES
        for method in ("GET", "POST")
        for step, url in (("upload", IMPORT), ("preview", IMPORT_PREVIEW))
    ],
    Row("staff import page", "staff", "GET", IMPORT, OK),
    Row("staff sees no other's upload", "staff", "GET", IMPORT_PREVIEW, NOT_FOUND),
    Row(
        "staff cannot confirm another's upload",
        "staff",
        "POST",
        IMPORT_PREVIEW,
        NOT_FOUND,
        unchanged=issue_slugs,
    ),
    Row("editor import page", "newsletter_editor", "GET", IMPORT, OK),
    Row("editor import preview", "newsletter_editor", "GET", IMPORT_PREVIEW, OK),
    Row("editor confirms own import", "newsletter_editor", "POST", IMPORT_PREVIEW, REDIRECT),
]
