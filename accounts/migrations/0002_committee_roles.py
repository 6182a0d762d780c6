from django.db import migrations

from accounts.enums import Role
from accounts.roles import FOUNDATION_GRANTS, grant_permissions, revoke_permissions


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    grant_permissions(apps, FOUNDATION_GRANTS)


def remove_grants(apps, schema_editor):
    revoke_permissions(apps, FOUNDATION_GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("community", "0001_initial"),
        ("gds_portal", "0001_initial"),
        ("flatpages", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, remove_grants)]
