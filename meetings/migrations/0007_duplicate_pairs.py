"""Stored likely-duplicate pairs, and when each abstract was last checked.

Every numbered abstract starts unchecked (duplicates_checked_at null), so after this
migration the check_duplicates worker compares the existing ones in the background.
Two kinds of index go: the single-column meeting_id index of abstracts (the
(meeting, state) index serves the same lookups), and the trigram GIN indexes on title
and body of migration 0006, which only the review pages' live comparison used; the check
reads a meeting's abstracts whole (services/duplicates.py), and every submission paid
for keeping those indexes up to date.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_trigram_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def create_trigram_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, column in TRIGRAM_INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON meetings_abstract "
                f"USING gin ({column} gin_trgm_ops)"
            )


# Migration 0006's indexes (copied: migrations do not import one another).
TRIGRAM_INDEXES = {
    "meetings_abstract_title_trgm": "title",
    "meetings_abstract_body_trgm": "body",
}


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_abstract_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_trigram_indexes, create_trigram_indexes),
        migrations.CreateModel(
            name="LikelyDuplicate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "similarity",
                    models.FloatField(help_text="Trigram similarity of title or body, 0 to 1."),
                ),
            ],
            options={
                "ordering": ["abstract", "-similarity"],
            },
        ),
        migrations.AddField(
            model_name="abstract",
            name="duplicates_checked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="abstract",
            name="meeting",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="abstracts",
                to="meetings.meeting",
            ),
        ),
        migrations.AddIndex(
            model_name="abstract",
            index=models.Index(
                condition=models.Q(
                    ("duplicates_checked_at__isnull", True),
                    ("state__in", ["submitted", "accepted_oral", "accepted_poster", "rejected"]),
                ),
                fields=["-meeting_id", "id"],
                name="abstract_duplicate_check_due",
            ),
        ),
        migrations.AddField(
            model_name="likelyduplicate",
            name="abstract",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="likely_duplicates",
                to="meetings.abstract",
            ),
        ),
        migrations.AddField(
            model_name="likelyduplicate",
            name="other",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="meetings.abstract",
            ),
        ),
        migrations.AddConstraint(
            model_name="likelyduplicate",
            constraint=models.UniqueConstraint(
                fields=("abstract", "other"), name="likely_duplicate_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="likelyduplicate",
            constraint=models.CheckConstraint(
                condition=models.Q(("abstract", models.F("other")), _negated=True),
                name="likely_duplicate_not_itself",
            ),
        ),
    ]
