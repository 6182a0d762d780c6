"""Trigram indexes on abstract titles and bodies, for the committee's duplicate check.

Only where pg_trgm is installed (migration 0003 installs it where the server has it; the
embedded development server does not, and there selectors compare in Python). Kept out
of the model's Meta for that reason: an index on an operator class that may not exist.
"""

from django.db import migrations

INDEXES = {
    "meetings_abstract_title_trgm": "title",
    "meetings_abstract_body_trgm": "body",
}


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
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
