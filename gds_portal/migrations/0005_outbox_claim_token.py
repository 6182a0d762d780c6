from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("gds_portal", "0004_outbox_domains_for_committees")]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="claim_token",
            field=models.UUIDField(blank=True, null=True),
        ),
    ]
