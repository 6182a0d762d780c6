from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

# The executive committee assigns each meeting's program chair (the one who sends
# decisions). The admin lets it change that field of a meeting and nothing else.
GRANTS = {Role.EXECUTIVE_COMMITTEE: crud("meetings", "meeting", "change")}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("meetings", "0008_review_meeting"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
