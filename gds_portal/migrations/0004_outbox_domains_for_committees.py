"""Each committee reads its own domain's mail in the outbox (issue 15, break 9).

Until now only the executive committee had the outbox, and read every
committee's mail there. The admin now shows each viewer only the domains whose
permission it holds (gds_portal.mail.mail_domains), so every committee role
gets the outbox itself. Account mail already stored is marked as such; older
rows with no template recorded stay visible to superusers only.
"""

from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

OUTBOX = crud("gds_portal", "outboundemail", "change", "view")
GRANTS = {
    Role.NEWSLETTER_EDITORS: OUTBOX,
    Role.PROGRAM_COMMITTEE: OUTBOX,
    Role.WEBINAR_COMMITTEE: OUTBOX,
    Role.CRRG_COORDINATORS: OUTBOX,
}


def forwards(apps, schema_editor):
    grant_permissions(apps, GRANTS)
    OutboundEmail = apps.get_model("gds_portal", "OutboundEmail")
    OutboundEmail.objects.filter(sensitive=True).update(domain="accounts")


def backwards(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("gds_portal", "0003_outbox_template_and_domain"),
        ("accounts", "0002_committee_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
