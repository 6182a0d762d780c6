import pytest
from django.urls import reverse

from gds_portal.history import status_steps
from newsletters.enums import IssueStatus
from newsletters.models import Issue
from tests.factories.newsletters import ArticleFactory, IssueFactory, authored_article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:newsletters_issue_changelist")


def test_only_newsletter_editors_and_superusers_can_change_newsletter_content(client_for, personas):
    issue = IssueFactory()
    article = ArticleFactory(issue=issue)
    urls = [
        reverse("admin:newsletters_issue_add"),
        reverse("admin:newsletters_issue_change", args=[issue.pk]),
        reverse("admin:newsletters_article_change", args=[article.pk]),
        CHANGELIST,
    ]
    for user in (personas.newsletter_editor, personas.staff):
        client = client_for(user)
        assert [client.get(url).status_code for url in urls] == [200] * 4
    # Other committees are staff, yet the newsletter is not theirs to change.
    for user in (personas.program_committee, personas.webinar_committee, personas.executive):
        client = client_for(user)
        assert [client.get(url).status_code for url in urls] == [403] * 4
        response = client.post(
            reverse("admin:newsletters_issue_change", args=[issue.pk]),
            {"title": "Hijacked", "slug": issue.slug, "season": issue.season, "year": issue.year},
        )
        assert response.status_code == 403
    for user in (personas.member, None):
        response = client_for(user).get(urls[1])
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    issue.refresh_from_db()
    assert issue.title != "Hijacked"


def _action(client, action: str, *issues):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [i.pk for i in issues]},
        follow=True,
    )


def test_publish_action_refuses_unready_issue_with_clear_message(client_for, personas):
    empty = IssueFactory(status=IssueStatus.DRAFT, published_at=None, title="Fall 2031")
    response = _action(client_for(personas.newsletter_editor), "publish", empty)
    assert "“Fall 2031” has no articles yet" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == IssueStatus.DRAFT


def test_publish_and_unpublish_actions_call_the_services(client_for, personas):
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None, title="Fall 2031")
    authored_article(issue=issue)
    client = client_for(personas.newsletter_editor)
    response = _action(client, "publish", issue)
    assert "“Fall 2031” is published." in response.content.decode()
    assert Issue.objects.visible().filter(pk=issue.pk).exists()
    _action(client, "unpublish", issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    editor = personas.newsletter_editor
    assert [(s.before, s.after, s.by) for s in status_steps(issue)] == [
        ("Published", "Draft", editor),
        ("Draft", "Published", editor),
        ("", "Draft", None),  # made by the factory, as no one
    ]
    page = client.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).content.decode()
    assert "<caption>Status changes, newest first</caption>" in page
    assert "<td>Published</td><td>Draft</td>" in page


def test_changelist_links_to_site_or_preview(client_for, personas):
    published = IssueFactory()
    draft = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    html = client_for(personas.newsletter_editor).get(CHANGELIST).content.decode()
    assert f'<a href="{published.get_absolute_url()}">View on site</a>' in html
    assert f'<a href="{draft.get_preview_url()}">Preview</a>' in html


def test_clearing_the_time_of_a_published_issue_is_refused_at_the_field(client_for, personas):
    issue = IssueFactory(title="Fall 2031", year=2031, season="fall")
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    data = {
        "title": "Fall 2031 (revised)",
        "slug": issue.slug,
        "season": "fall",
        "year": "2031",
        "summary": "",
        "published_at_0": "",
        "published_at_1": "",
        "articles-TOTAL_FORMS": "0",
        "articles-INITIAL_FORMS": "0",
    }
    response = client_for(personas.newsletter_editor).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "needs its publication time" in html
    assert 'value="Fall 2031 (revised)"' in html  # what was typed is kept
    issue.refresh_from_db()
    assert issue.title == "Fall 2031"
