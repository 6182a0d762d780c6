from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

# The Program committee reviews, decides, composes invited sessions and reads
# nominations; decisions are changed through the site's services (the admin's
# actions call the same ones), so abstracts stay view-only in the admin.
GRANTS = {
    Role.PROGRAM_COMMITTEE: crud("meetings", "review", "view")
    + crud("meetings", "decisionnotification", "view")
    + crud("meetings", "speakernomination", "change", "view")
    + crud("meetings", "invitedsession", "add", "change", "delete", "view")
    + crud("meetings", "invitedtalk", "add", "change", "delete", "view"),
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)
    # The Forum on Education co-organised the 2020 April Meeting's session H06.
    apps.get_model("community", "Unit").objects.update_or_create(
        code="FEd", defaults={"name": "Forum on Education"}
    )


def revoke(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("community", "0002_units"),
        ("meetings", "0003_committee"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
