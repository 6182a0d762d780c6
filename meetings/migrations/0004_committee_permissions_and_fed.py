from django.db import migrations

# The Program committee's permissions that this migration used to grant are in the one
# role table, accounts/roles.py (ROLE_PERMISSIONS), applied after every migrate. The
# Forum on Education unit it adds is data and stays here.


def add_fed(apps, schema_editor):
    # The Forum on Education co-organised the 2020 April Meeting's session H06.
    apps.get_model("community", "Unit").objects.update_or_create(
        code="FEd", defaults={"name": "Forum on Education"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("community", "0002_units"),
        ("meetings", "0003_committee"),
    ]
    operations = [migrations.RunPython(add_fed, migrations.RunPython.noop)]
