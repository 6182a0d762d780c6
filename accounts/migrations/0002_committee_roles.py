"""The committee roles (groups) and their first permissions were created here."""

from django.db import migrations

# The role groups and every role's permissions now come from the one role table,
# accounts/roles.py (ROLE_PERMISSIONS), applied after every migrate.


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("community", "0001_initial"),
        ("gds_portal", "0001_initial"),
        ("flatpages", "0001_initial"),
    ]
    operations = []
