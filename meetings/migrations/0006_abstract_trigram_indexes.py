"""Trigram indexes on abstract titles and bodies, for the committee's duplicate check.

Migration 0007 drops them again. (Until the embedded development server shipped pg_trgm,
they were created only where it was installed, and kept out of the model's Meta.)
"""

from django.db import migrations

INDEXES = {
    "meetings_abstract_title_trgm": "title",
    "meetings_abstract_body_trgm": "body",
}


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, column in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON meetings_abstract "
                f"USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_search_vectors")]

    operations = [migrations.RunPython(create, drop)]
