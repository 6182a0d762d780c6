"""The models as a migration saw them, for testing data migrations on today's schema."""

from django.db import connection
from django.db.migrations.loader import MigrationLoader


def apps_at(app_label: str, migration: str, *, tables_back: list[str]):
    """The app registry right after `migration`, with the tables of `tables_back` (model
    names whose tables a later migration dropped) created again for the test; PostgreSQL
    rolls the CREATE TABLE back with the test's transaction."""
    apps = MigrationLoader(connection).project_state((app_label, migration)).apps
    with connection.schema_editor() as editor:
        for name in tables_back:
            editor.create_model(apps.get_model(app_label, name))
    return apps
