"""Each committee reads its own domain's mail in the outbox (issue 15, break 9).

Until now only the executive committee had the outbox, and read every
committee's mail there. The admin now shows each viewer only the domains whose
permission it holds (gds_portal.mail.mail_domains), so every committee role
gets the outbox itself (that grant is now in the one role table,
accounts/roles.py, applied after every migrate). Account mail already stored is
marked as such; older rows with no template recorded stay visible to superusers only.
"""

from django.db import migrations


def mark_account_mail(apps, schema_editor):
    OutboundEmail = apps.get_model("gds_portal", "OutboundEmail")
    OutboundEmail.objects.filter(sensitive=True).update(domain="accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("gds_portal", "0003_outbox_template_and_domain"),
        ("accounts", "0002_committee_roles"),
    ]
    operations = [migrations.RunPython(mark_account_mail, migrations.RunPython.noop)]
