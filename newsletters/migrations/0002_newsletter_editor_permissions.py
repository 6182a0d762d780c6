from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

CONTENT = ("add", "change", "delete", "view")
GRANTS = {
    Role.NEWSLETTER_EDITORS: crud("newsletters", "issue", *CONTENT)
    + crud("newsletters", "issue", "publish", "preview")
    + crud("newsletters", "article", *CONTENT)
    + crud("newsletters", "authorship", *CONTENT)
    + crud("newsletters", "reference", *CONTENT)
    + crud("newsletters", "issuestatuschange", "view")
    + crud("newsletters", "subscriber", "view", "delete")
    + crud("newsletters", "issueannouncement", "view"),
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("newsletters", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
