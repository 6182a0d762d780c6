"""Article revisions: who changed what and when, the diff between two, and restoring one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from newsletters.enums import ArticleKind
from newsletters.models import Article
from newsletters.revisions import line_diff, revision_changes
from newsletters.services import RestoreError, article_restore_revision
from tests.factories.newsletters import ArticleFactory

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
BUDGET_HISTORY = 8
BUDGET_COMPARE = 9
