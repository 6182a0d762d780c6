"""Replays that were public before the portal recorded releases stay public.

Until migration 0016 a replay was shown as soon as the committee added its address:
the speaker's agreement, if any, was kept outside the portal. Those replays keep
showing, with the release recorded as given "before the portal recorded releases"
(docs/webinars.md). Only published webinars were public; a draft's replay was never
shown, so it now waits for its speakers' release like any new one.
"""

from django.db import migrations
from django.db.models import F

NOTE = "Public before the portal recorded releases"


def forwards(apps, schema_editor):
    Webinar = apps.get_model("webinars", "Webinar")
    Webinar.objects.filter(is_published=True, replay_released_at__isnull=True).exclude(
        replay_url=""
    ).update(replay_released_at=F("updated_at"), replay_release_note=NOTE)


class Migration(migrations.Migration):
    dependencies = [("webinars", "0018_speaker_invitation_and_release")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
