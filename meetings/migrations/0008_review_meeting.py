"""The admin's abstract list and its reviewer filter, bounded by the chosen meeting.

Abstracts get a (meeting, newest first) index for the list's page. Reviews carry their
abstract's meeting (indexed with the reviewer), so the admin's "reviewed by" filter lists
a meeting's reviewers from one index range; the abstract's own index on reviews goes, as
the unique (abstract, reviewer) index leads with it."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE meetings_review AS r SET meeting_id = a.meeting_id
FROM meetings_abstract AS a WHERE a.id = r.abstract_id
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_duplicate_pairs")]

    operations = [
        migrations.AddField(
            model_name="review",
            name="meeting",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="meetings.meeting",
            ),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="review",
            name="meeting",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="meetings.meeting",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="abstract",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reviews",
                to="meetings.abstract",
            ),
        ),
        migrations.AddIndex(
            model_name="abstract",
            index=models.Index(
                fields=["meeting", "-created_at", "-id"], name="abstract_meeting_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["meeting", "reviewer"], name="review_meeting_reviewer"),
        ),
    ]
