"""Article revisions: who changed what and when, the diff between two, and restoring one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from newsletters.enums import ArticleKind, ArticleState, IssueStatus
from newsletters.models import Article, Issue
from newsletters.revisions import line_diff, revision_changes
from newsletters.services import (
    RestoreError,
    article_restore_revision,
    issue_publish,
    issue_restore_revision,
    issue_unpublish,
)
from tests.factories.newsletters import ArticleFactory, IssueFactory, authored_article

pytestmark = pytest.mark.django_db

FIRST_BODY = "Opening line.\nMiddle line.\nClosing line."


def _form(article: Article, **changes) -> dict:
    """The article's change form as the admin posts it, with `changes` typed in."""
    data = {
        "issue": article.issue_id,
        "order": article.order,
        "kind": article.kind,
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        **changes,
    }
    for prefix in ("authorships", "references", "figures"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def _edit(client, article: Article, **changes):
    response = client.post(
        reverse("admin:newsletters_article_change", args=[article.pk]), _form(article, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()


def _compare_url(article, old=None, new=None) -> str:
    query = "&".join(f"{k}={v.history_id}" for k, v in (("old", old), ("new", new)) if v)
    return reverse("admin:newsletters_article_compare", args=[article.pk]) + "?" + query


@pytest.fixture
def edited(personas, client_for):
    """An article saved once as created, then edited twice in the admin by an editor."""
    article = ArticleFactory(title="First title", body=FIRST_BODY)
    client = client_for(personas.newsletter_editor)
    _edit(client, article, title="Second title")
    _edit(client, article, body="Opening line.\nA better middle line.\nClosing line.")
    return article, client


def test_edit_twice_diff_shows_both_changes_and_restore_brings_back_the_first(edited, personas):
    article, client = edited
    first, second, third = article.history.order_by("history_date", "history_id")
    editor = personas.newsletter_editor
    assert [r.history_user for r in (first, second, third)] == [None, editor, editor]

    page = client.get(_compare_url(article, old=first, new=third))
    html = page.content.decode()
    assert page.status_code == 200
    assert [c.label for c in page.context["changes"]] == ["title", "body"]
    assert "<del>First title</del>" in html and "<ins>Second title</ins>" in html
    assert "<del>Middle line.</del>" in html and "<ins>A better middle line.</ins>" in html
    assert "Opening line." in html  # unchanged lines are shown for context

    restore = reverse("admin:newsletters_article_restore", args=[article.pk, first.history_id])
    response = client.post(restore, follow=True)
    assert "Restored the revision of" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.body) == ("First title", FIRST_BODY)
    # The restore is a fourth revision, by the editor, saying what it restored; the two
    # edits are still there to compare and restore.
    newest = article.history.order_by("-history_date", "-history_id").first()
    assert article.history.count() == 4
    assert newest.history_user == editor
    assert newest.history_change_reason.startswith("Restored the revision of ")
    assert revision_changes(first, newest) == []


def test_history_page_lists_who_and_when_with_compare_links(edited, personas):
    article, client = edited
    html = client.get(
        reverse("admin:newsletters_article_history", args=[article.pk])
    ).content.decode()
    assert html.count("Compare with the revision before") == 3
    assert escape(str(personas.newsletter_editor)) in html


def test_the_first_revision_has_nothing_to_compare(personas, client_for):
    article = ArticleFactory()
    first = article.history.get()
    html = (
        client_for(personas.newsletter_editor)
        .get(_compare_url(article, new=first))
        .content.decode()
    )
    assert "first revision" in html
    assert "Restore the revision" not in html


def test_editor_text_in_a_diff_is_escaped(personas, client_for):
    article = ArticleFactory(body="Plain.")
    client = client_for(personas.newsletter_editor)
    _edit(client, article, body="Plain.\n<script>alert(1)</script>", title="<b>bold</b>")
    html = client.get(_compare_url(article)).content.decode()
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_line_diff_marks_kept_removed_and_added_lines():
    lines = line_diff("a\nb\nc", "a\nB\nc\nd")
    assert [(line.kind, line.text) for line in lines] == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]


def test_choices_and_the_issue_show_as_labels(personas):
    article = ArticleFactory(kind=ArticleKind.PERSPECTIVE)
    other = ArticleFactory()
    article.kind = ArticleKind.RESEARCH_HIGHLIGHT
    article.issue = other.issue
    article.save()
    old, new = article.history.order_by("history_date", "history_id")
    changes = {c.label: (c.old, c.new) for c in revision_changes(old, new)}
    assert changes["kind"] == (ArticleKind.PERSPECTIVE.label, ArticleKind.RESEARCH_HIGHLIGHT.label)
    assert changes["issue"][1] == str(other.issue)


def test_only_newsletter_editors_may_compare_or_restore(edited, personas, client_for):
    article, _ = edited
    first = article.history.earliest()
    restore = reverse("admin:newsletters_article_restore", args=[article.pk, first.history_id])
    for who in (personas.program_committee, personas.webinar_committee, personas.executive):
        client = client_for(who)
        assert client.get(_compare_url(article, old=first)).status_code == 403
        assert client.post(restore).status_code == 403
    response = client_for(personas.member).post(restore)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # The service asks the same rule, whoever calls it.
    with pytest.raises(PermissionDenied):
        article_restore_revision(article=article, revision=first, by=personas.executive)
    article.refresh_from_db()
    assert article.title == "Second title"


def test_restore_refuses_another_articles_revision(edited, personas, client_for):
    article, client = edited
    other = ArticleFactory()
    foreign = other.history.get()
    url = reverse("admin:newsletters_article_restore", args=[article.pk, foreign.history_id])
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        article_restore_revision(article=article, revision=foreign, by=personas.newsletter_editor)


def test_restore_to_a_slug_now_taken_says_so(personas):
    article = ArticleFactory(slug="old-address")
    first = article.history.get()
    article.slug = "new-address"
    article.save()
    ArticleFactory(issue=article.issue, slug="old-address")
    with pytest.raises(RestoreError, match="“old-address”"):
        article_restore_revision(article=article, revision=first, by=personas.newsletter_editor)
    article.refresh_from_db()
    assert article.slug == "new-address"


def test_restore_is_post_only(edited):
    article, client = edited
    url = reverse(
        "admin:newsletters_article_restore",
        args=[article.pk, article.history.earliest().history_id],
    )
    response = client.get(url)
    assert response.status_code == 302
    assert article.history.count() == 3


@pytest.mark.parametrize("count", [1, 3])
def test_history_and_compare_pages_cost_the_same_for_1_and_3_revisions(
    count, personas, client_for, django_assert_num_queries
):
    article = ArticleFactory(body="line 0")
    for n in range(count):
        article.title = f"Title {n}"
        article.standfirst = f"Standfirst {n}"
        article.body += f"\nline {n + 1}"
        article.save()
    client = client_for(personas.newsletter_editor)
    history = reverse("admin:newsletters_article_history", args=[article.pk])
    compare = _compare_url(article, old=article.history.earliest())
    client.get(history)  # warm the session and the site configuration
    with django_assert_num_queries(BUDGET_HISTORY):
        client.get(history)
    with django_assert_num_queries(BUDGET_COMPARE):
        client.get(compare)


# Session, user, groups and permissions, the article, its revisions: the same for any
# number of revisions (and, on the comparison page, of changed fields).
BUDGET_HISTORY = 7
BUDGET_COMPARE = 8


# Issue revisions: the same pages and service (newsletters/revisions.py), restoring the
# issue's text and files and never its status or publication time.


def _issue_form(issue: Issue, **changes) -> dict:
    """The issue's change form as the admin posts it (a draft: no publication time)."""
    data = {
        "title": issue.title,
        "slug": issue.slug,
        "season": issue.season,
        "year": issue.year,
        "volume": issue.volume or "",
        "number": issue.number or "",
        "summary": issue.summary,
        "published_at_0": "",
        "published_at_1": "",
        "articles-TOTAL_FORMS": "0",
        "articles-INITIAL_FORMS": "0",
        **changes,
    }
    return data


def _edit_issue(client, issue: Issue, **changes):
    response = client.post(
        reverse("admin:newsletters_issue_change", args=[issue.pk]), _issue_form(issue, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    issue.refresh_from_db()


def _issue_compare_url(issue, old=None, new=None) -> str:
    query = "&".join(f"{k}={v.history_id}" for k, v in (("old", old), ("new", new)) if v)
    return reverse("admin:newsletters_issue_compare", args=[issue.pk]) + "?" + query


@pytest.fixture
def edited_issue(personas, client_for):
    """A draft issue saved once as created, then edited twice in the admin by an editor."""
    issue = IssueFactory(
        status=IssueStatus.DRAFT, published_at=None, title="Summer 2020", summary=FIRST_BODY
    )
    client = client_for(personas.newsletter_editor)
    _edit_issue(client, issue, title="Summer 2020 (corrected)")
    _edit_issue(client, issue, summary="Opening line.\nA better middle line.\nClosing line.")
    return issue, client


def test_issue_edit_twice_diff_shows_both_and_restore_keeps_the_status(edited_issue, personas):
    issue, client = edited_issue
    first, second, third = issue.history.order_by("history_date", "history_id")
    editor = personas.newsletter_editor
    assert [r.history_user for r in (first, second, third)] == [None, editor, editor]

    page = client.get(_issue_compare_url(issue, old=first, new=third))
    html = page.content.decode()
    assert page.status_code == 200
    assert [c.label for c in page.context["changes"]] == ["title", "summary"]
    assert "<del>Summer 2020</del>" in html and "<ins>Summer 2020 (corrected)</ins>" in html
    assert "<del>Middle line.</del>" in html and "<ins>A better middle line.</ins>" in html
    assert "never publishes, unpublishes or reschedules" in html

    # Published since: restoring a revision saved while it was a draft leaves it published,
    # at the same time.
    authored_article(issue=issue, state=ArticleState.APPROVED)
    issue = issue_publish(issue=issue, by=editor)
    status, published_at = issue.status, issue.published_at
    assert status == IssueStatus.PUBLISHED
    restore = reverse("admin:newsletters_issue_restore", args=[issue.pk, first.history_id])
    response = client.post(restore, follow=True)
    assert "Restored the revision of" in response.content.decode()
    issue.refresh_from_db()
    assert (issue.title, issue.summary) == ("Summer 2020", FIRST_BODY)
    assert (issue.status, issue.published_at) == (status, published_at)
    newest = issue.history.order_by("-history_date", "-history_id").first()
    assert newest.history_user == editor
    assert newest.history_change_reason.startswith("Restored the revision of ")
    assert revision_changes(first, newest) == []
    assert newest.status == IssueStatus.PUBLISHED


def test_restoring_a_published_revision_never_publishes_a_draft(personas):
    issue = IssueFactory(title="Fall 2019")  # published, a week ago
    first = issue.history.get()
    issue = issue_unpublish(issue=issue, by=personas.newsletter_editor)
    issue.title = "Fall 2019, withdrawn"
    issue.save()
    issue_restore_revision(issue=issue, revision=first, by=personas.newsletter_editor)
    issue.refresh_from_db()
    assert issue.title == "Fall 2019"
    assert issue.status == IssueStatus.DRAFT


def test_issue_history_page_links_each_revision_to_a_comparison(edited_issue):
    issue, client = edited_issue
    html = client.get(reverse("admin:newsletters_issue_history", args=[issue.pk])).content
    assert html.decode().count("Compare with the revision before") == 3


def test_only_newsletter_editors_may_restore_an_issue_revision(edited_issue, personas, client_for):
    issue, _ = edited_issue
    first = issue.history.earliest()
    restore = reverse("admin:newsletters_issue_restore", args=[issue.pk, first.history_id])
    for who in (personas.program_committee, personas.executive):
        client = client_for(who)
        assert client.get(_issue_compare_url(issue, old=first)).status_code == 403
        assert client.post(restore).status_code == 403
    with pytest.raises(PermissionDenied):
        issue_restore_revision(issue=issue, revision=first, by=personas.executive)
    # Nor may an article's revision be put on an issue, whatever its number.
    article_revision = ArticleFactory().history.get()
    with pytest.raises(PermissionDenied):
        issue_restore_revision(
            issue=issue, revision=article_revision, by=personas.newsletter_editor
        )
    issue.refresh_from_db()
    assert issue.title == "Summer 2020 (corrected)"


def test_issue_restore_to_a_season_now_taken_says_so(personas):
    issue = IssueFactory(season="summer", year=2020, slug="summer-2020")
    first = issue.history.get()
    issue.season, issue.slug = "fall", "fall-2020"
    issue.save()
    IssueFactory(season="summer", year=2020, slug="summer-2020-other")
    with pytest.raises(RestoreError, match="summer 2020"):
        issue_restore_revision(issue=issue, revision=first, by=personas.newsletter_editor)
    issue.refresh_from_db()
    assert issue.season == "fall"


@pytest.mark.parametrize("count", [1, 3])
def test_issue_history_and_compare_pages_cost_the_same_for_1_and_3_revisions(
    count, personas, client_for, django_assert_num_queries
):
    issue = IssueFactory(summary="line 0")
    for n in range(count):
        issue.title = f"Title {n}"
        issue.summary += f"\nline {n + 1}"
        issue.save()
    client = client_for(personas.newsletter_editor)
    history = reverse("admin:newsletters_issue_history", args=[issue.pk])
    compare = _issue_compare_url(issue, old=issue.history.earliest())
    client.get(history)
    with django_assert_num_queries(BUDGET_ISSUE_HISTORY):
        client.get(history)
    with django_assert_num_queries(BUDGET_ISSUE_COMPARE):
        client.get(compare)


# Session, user, groups and permissions, the issue (with its article count), its
# revisions: the same for any number of revisions; no related row to fetch per field.
BUDGET_ISSUE_HISTORY = 6
BUDGET_ISSUE_COMPARE = 7
