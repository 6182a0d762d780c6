"""Move the publication timeline (IssueStatusChange) into the issues' history.

django-simple-history is the site's one history mechanism, so an issue's status
changes are now read from its versions (gds_portal.history). Each old row becomes
a version with that status and publication time, dated and attributed as the row
was; the issue's other fields are what they are now (their past values were never
recorded). An issue with no rows was never published, scheduled or unpublished:
it gets one version, its state as created. An issue whose last row is not its
status now was published by the scheduler (which wrote no row): a version at its
publication time says so. The reverse writes the rows back, one per status change.
"""

from collections import defaultdict

from django.db import migrations

SCHEDULER = "Published at its scheduled time"


def _tracked(Historical) -> list[str]:
    return [
        f.attname for f in Historical._meta.concrete_fields if not f.name.startswith("history_")
    ]


def forward(apps, schema_editor):
    Issue = apps.get_model("newsletters", "Issue")
    Change = apps.get_model("newsletters", "IssueStatusChange")
    Historical = apps.get_model("newsletters", "HistoricalIssue")
    changes = defaultdict(list)
    for change in Change.objects.order_by("created_at", "id"):
        changes[change.issue_id].append(change)
    names = _tracked(Historical)
    versions = []
    for issue in Issue.objects.order_by("pk"):
        now = {name: getattr(issue, name) for name in names}
        versions += [
            Historical(
                **{**now, "status": c.status, "published_at": c.published_at},
                history_date=c.created_at,
                history_type="~",
                history_user_id=c.by_id,
                history_change_reason=c.note or None,
            )
            for c in changes[issue.pk]
        ]
        last = changes[issue.pk][-1] if changes[issue.pk] else None
        if last is None:
            versions.append(Historical(**now, history_date=issue.created_at, history_type="+"))
        elif last.status != issue.status:
            by_scheduler = (last.status, issue.status) == ("scheduled", "published")
            versions.append(
                Historical(
                    **now,
                    history_date=max(last.created_at, issue.published_at or last.created_at),
                    history_type="~",
                    history_change_reason=SCHEDULER if by_scheduler else None,
                )
            )
    Historical.objects.bulk_create(versions, batch_size=1000)


def backward(apps, schema_editor):
    Change = apps.get_model("newsletters", "IssueStatusChange")
    Historical = apps.get_model("newsletters", "HistoricalIssue")
    previous = {}
    for version in Historical.objects.order_by("history_date", "history_id"):
        before = previous.get(version.id)
        previous[version.id] = version.status
        # The old table recorded publishing acts only, never an issue made as a draft.
        if version.status == before or (before is None and version.status == "draft"):
            continue
        change = Change.objects.create(
            issue_id=version.id,
            status=version.status,
            published_at=version.published_at,
            by_id=version.history_user_id,
            note=(version.history_change_reason or "")[:200],
        )
        # created_at is auto_now_add: set the version's date after the insert.
        Change.objects.filter(pk=change.pk).update(created_at=version.history_date)


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0004_issue_history")]

    operations = [migrations.RunPython(forward, backward)]
