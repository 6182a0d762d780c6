"""A scheduled issue is published at its time, once, by the worker step (fixed clock)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from gds_portal.history import status_steps
from gds_portal.models import OutboundEmail
from newsletters.enums import IssueStatus
from newsletters.models import Issue
from newsletters.services import issue_publish, issue_unpublish
from tests.factories.newsletters import IssueFactory, SubscriberFactory, authored_article

pytestmark = pytest.mark.django_db

# In the future of the real clock too, so the database's now() (which a fixed clock in
# Python does not move) never shows the issue to readers before the test wants it.
AT = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One pass of the worker step, its mail queued as it would be on commit."""

    def run() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("announce_issues", stdout=out)
        return out.getvalue()

    return run


def test_a_scheduled_issue_is_published_at_its_time_exactly_once(personas, run):
    SubscriberFactory(email="reader@example.org")
    SubscriberFactory(email="second@example.org")
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None, title="Spring 2031")
    authored_article(issue=issue)
    with time_machine.travel(AT - dt.timedelta(days=2), tick=False):
        issue_publish(issue=issue, by=personas.newsletter_editor, at=AT)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED

    # Before its time, to the second: nothing.
    with time_machine.travel(AT - dt.timedelta(seconds=1), tick=False):
        assert run() == "0 announcement(s) queued.\n"
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.SCHEDULED
    assert OutboundEmail.objects.count() == 0

    # At its time: published, and each subscriber told once.
    with time_machine.travel(AT, tick=False):
        assert run() == "2 announcement(s) queued.\n"
    # After it, again and again: nothing more.
    for later in (dt.timedelta(seconds=1), dt.timedelta(hours=1), dt.timedelta(days=30)):
        with time_machine.travel(AT + later, tick=False):
            assert run() == "0 announcement(s) queued.\n"

    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (IssueStatus.PUBLISHED, AT)
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        ["reader@example.org"],
        ["second@example.org"],
    ]
    # One "Published" step, by the scheduler (no one), after the editor's "Scheduled".
    steps = status_steps(issue)
    assert [(s.after, s.by) for s in steps] == [
        ("Published", None),
        ("Scheduled", personas.newsletter_editor),
        ("Draft", None),
    ]


def test_unpublishing_before_the_time_keeps_the_issue_unpublished(personas, run):
    SubscriberFactory()
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    authored_article(issue=issue)
    with time_machine.travel(AT - dt.timedelta(days=1), tick=False):
        issue_publish(issue=issue, by=personas.newsletter_editor, at=AT)
        issue_unpublish(issue=issue, by=personas.newsletter_editor)
    with time_machine.travel(AT + dt.timedelta(minutes=5), tick=False):
        assert run() == "0 announcement(s) queued.\n"
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.DRAFT
    assert OutboundEmail.objects.count() == 0
