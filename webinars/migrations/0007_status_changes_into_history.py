"""Move the nominations' status timeline (the generic StatusChange) into their history.

django-simple-history is the site's one history mechanism, so a nomination's status
changes are now read from its versions (gds_portal.history). Each old row becomes a
version with its `to` status, dated, attributed and annotated (the note becomes the
change reason) as the row was; the first row ("" → new) is the creation. The other
fields are what they are now (their past values were never recorded). A nomination
with no rows gets one version, its state as created; one whose last row is not its
status now gets a closing version at its last update. The reverse writes the rows
back: every version that changed the status or carries a note.
"""

from collections import defaultdict

from django.db import migrations

MODELS = {
    "topicsuggestion": "HistoricalTopicSuggestion",
    "hostvolunteer": "HistoricalHostVolunteer",
    "speakernomination": "HistoricalSpeakerNomination",
}


def _tracked(Historical) -> list[str]:
    return [
        f.attname for f in Historical._meta.concrete_fields if not f.name.startswith("history_")
    ]


def _content_type(apps, model_name: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="webinars", model=model_name).first()


def _versions(nomination, changes, Historical, names) -> list:
    now = {name: getattr(nomination, name) for name in names}
    versions = [
        Historical(
            **{**now, "status": c.to_status},
            history_date=c.at,
            history_type="+" if not c.from_status else "~",
            history_user_id=c.by_id,
            history_change_reason=c.note or None,
        )
        for c in changes
    ]
    if not changes:
        versions.append(Historical(**now, history_date=nomination.created_at, history_type="+"))
    elif changes[-1].to_status != nomination.status:
        when = max(changes[-1].at, nomination.updated_at)
        versions.append(Historical(**now, history_date=when, history_type="~"))
    return versions


def forward(apps, schema_editor):
    Change = apps.get_model("webinars", "StatusChange")
    for model_name, historical_name in MODELS.items():
        Model = apps.get_model("webinars", model_name)
        Historical = apps.get_model("webinars", historical_name)
        changes = defaultdict(list)
        content_type = _content_type(apps, model_name)
        if content_type is not None:  # none before the first post-migrate: no rows either
            for change in Change.objects.filter(content_type=content_type).order_by("at", "id"):
                changes[change.object_id].append(change)
        names = _tracked(Historical)
        versions = []
        for nomination in Model.objects.order_by("pk"):
            versions += _versions(nomination, changes[nomination.pk], Historical, names)
        Historical.objects.bulk_create(versions, batch_size=1000)


def backward(apps, schema_editor):
    Change = apps.get_model("webinars", "StatusChange")
    for model_name, historical_name in MODELS.items():
        Historical = apps.get_model("webinars", historical_name)
        content_type = _content_type(apps, model_name)
        previous = {}
        rows = []
        for version in Historical.objects.order_by("history_date", "history_id"):
            before = previous.get(version.id, "")
            previous[version.id] = version.status
            if version.status == before and not version.history_change_reason:
                continue
            rows.append(
                Change(
                    content_type=content_type,
                    object_id=version.id,
                    from_status=before,
                    to_status=version.status,
                    by_id=version.history_user_id,
                    note=(version.history_change_reason or "")[:500],
                    at=version.history_date,
                )
            )
        Change.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("webinars", "0006_nomination_history"),
    ]

    operations = [migrations.RunPython(forward, backward)]
