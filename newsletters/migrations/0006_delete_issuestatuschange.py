from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0005_issue_status_changes_into_history")]

    operations = [migrations.DeleteModel(name="IssueStatusChange")]
