from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

EDIT = ("add", "change", "delete", "view")
GRANTS = {
    Role.CRRG_COORDINATORS: crud("crrg", "interestgroup", *EDIT)
    + crud("crrg", "interestgroupmembership", *EDIT)
    + crud("crrg", "questionnaire", *EDIT)
    + crud("crrg", "question", *EDIT)
    + crud("crrg", "choice", *EDIT)
    + crud("crrg", "crrgpage", "change", "view")
    # Responses are the members' own words: coordinators read them, never edit them.
    + crud("crrg", "response", "view")
    + crud("crrg", "answer", "view")
    + crud("crrg", "groupmessage", "view"),
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("crrg", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
