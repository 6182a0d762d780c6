from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

# The Program committee curates meetings, categories and personal extensions, and
# reads abstracts with their history; members change abstracts only on the site.
GRANTS = {
    Role.PROGRAM_COMMITTEE: crud("meetings", "meeting", "add", "change", "delete", "view")
    + crud("meetings", "sortingcategory", "add", "change", "delete", "view")
    + crud("meetings", "categorycosponsor", "add", "change", "delete", "view")
    + crud("meetings", "deadlineextension", "add", "change", "delete", "view")
    + crud("meetings", "abstract", "view")
    + crud("meetings", "abstractauthor", "view")
    + crud("meetings", "historicalabstract", "view"),
    Role.EXECUTIVE_COMMITTEE: crud("meetings", "meeting", "view")
    + crud("meetings", "sortingcategory", "view"),
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("meetings", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
