"""The Webinar committee runs the series: webinars, topics and the nomination triage."""

from django.db import migrations

from accounts.enums import Role
from accounts.roles import crud, grant_permissions, revoke_permissions

ALL = ("add", "change", "delete", "view")
GRANTS = {
    Role.WEBINAR_COMMITTEE: crud("webinars", "webinar", *ALL)
    + crud("webinars", "webinarspeaker", *ALL)
    + crud("webinars", "topic", *ALL)
    # Nominations come from members; the committee triages them but never adds any.
    + crud("webinars", "topicsuggestion", "change", "view")
    + crud("webinars", "speakernomination", "change", "view")
    + crud("webinars", "hostvolunteer", "change", "view")
    + crud("webinars", "statuschange", "view"),
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_committee_roles"),
        ("webinars", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
