"""Migration 0005: the publication timeline moves into the issues' history, and back."""

from datetime import UTC, datetime
from importlib import import_module

import pytest

from gds_portal.history import status_steps
from newsletters.enums import IssueStatus
from newsletters.models import Issue
from tests.factories.newsletters import IssueFactory
from tests.migration_state import apps_at

pytestmark = pytest.mark.django_db

MIGRATION = import_module("newsletters.migrations.0005_issue_status_changes_into_history")
T1, T2 = datetime(2024, 3, 1, 9, tzinfo=UTC), datetime(2024, 6, 1, 9, tzinfo=UTC)


@pytest.fixture
def old_apps():
    """The models as they were before the copy, the old table back for this test."""
    return apps_at("newsletters", "0004_issue_history", tables_back=["IssueStatusChange"])


def _old_row(apps, issue, status, when, by=None, note=""):
    Change = apps.get_model("newsletters", "IssueStatusChange")
    row = Change.objects.create(
        issue_id=issue.pk, status=status, published_at=T1, by_id=by and by.pk, note=note
    )
    Change.objects.filter(pk=row.pk).update(created_at=when)  # auto_now_add otherwise


@pytest.fixture
def issues(old_apps, personas):
    """Issues as production has them: rows in the old table, no versions yet."""
    unpublished = IssueFactory(status=IssueStatus.DRAFT, published_at=T1, title="Unpublished")
    _old_row(old_apps, unpublished, IssueStatus.PUBLISHED, T1, by=personas.newsletter_editor)
    _old_row(old_apps, unpublished, IssueStatus.DRAFT, T2, by=personas.staff)
    never = IssueFactory(status=IssueStatus.DRAFT, published_at=None, title="Never")
    by_scheduler = IssueFactory(status=IssueStatus.PUBLISHED, published_at=T2, title="Due")
    _old_row(old_apps, by_scheduler, IssueStatus.SCHEDULED, T1, by=personas.newsletter_editor)
    imported = IssueFactory(title="Imported")
    _old_row(old_apps, imported, IssueStatus.PUBLISHED, T1, note="import_issue")
    Issue.history.all().delete()  # the factories' versions: production had none
    return unpublished, never, by_scheduler, imported


def _steps(issue) -> list[tuple]:
    return [(s.before, s.after, s.by, s.when, s.reason) for s in status_steps(issue)]


def test_each_old_row_becomes_a_version_dated_and_attributed_as_it_was(old_apps, issues, personas):
    MIGRATION.forward(old_apps, None)
    unpublished, never, by_scheduler, imported = issues
    assert _steps(unpublished) == [
        ("Published", "Draft", personas.staff, T2, ""),
        ("", "Published", personas.newsletter_editor, T1, ""),
    ]
    assert _steps(never) == [("", "Draft", None, never.created_at, "")]
    assert _steps(by_scheduler) == [
        ("Scheduled", "Published", None, T2, "Published at its scheduled time"),
        ("", "Scheduled", personas.newsletter_editor, T1, ""),
    ]
    assert _steps(imported) == [("", "Published", None, T1, "import_issue")]
    # Fields the old rows did not record are the issue's as it is now.
    assert {v.title for v in unpublished.history.all()} == {"Unpublished"}


def test_the_reverse_writes_one_row_per_status_change_back(old_apps, issues, personas):
    MIGRATION.forward(old_apps, None)
    Change = old_apps.get_model("newsletters", "IssueStatusChange")
    Change.objects.all().delete()
    MIGRATION.backward(old_apps, None)
    rows = Change.objects.order_by("issue_id", "created_at").values_list(
        "issue__title", "status", "by_id", "created_at", "note"
    )
    editor, staff = personas.newsletter_editor.pk, personas.staff.pk
    assert list(rows) == [
        ("Unpublished", IssueStatus.PUBLISHED, editor, T1, ""),
        ("Unpublished", IssueStatus.DRAFT, staff, T2, ""),
        ("Due", IssueStatus.SCHEDULED, editor, T1, ""),
        ("Due", IssueStatus.PUBLISHED, None, T2, "Published at its scheduled time"),
        ("Imported", IssueStatus.PUBLISHED, None, T1, "import_issue"),
    ]
