from django.db import migrations

# The role's permissions that this migration used to grant are in the one role table,
# accounts/roles.py (ROLE_PERMISSIONS), applied after every migrate.


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("meetings", "0001_initial"),
    ]
    operations = []
