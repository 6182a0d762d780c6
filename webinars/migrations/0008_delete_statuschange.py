from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("webinars", "0007_status_changes_into_history")]

    operations = [migrations.DeleteModel(name="StatusChange")]
