from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_committee_roles")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_canonical",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="email_lookalike_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
    ]
