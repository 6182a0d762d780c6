import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    """A webinar lasts at most a day, so "upcoming" can be found from the start-time index."""

    dependencies = [
        ("webinars", "0002_webinar_committee_permissions"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="webinar",
            constraint=models.CheckConstraint(
                condition=models.Q(("duration__lte", datetime.timedelta(days=1))),
                name="webinar_duration_at_most_a_day",
                violation_error_message=(
                    "A webinar lasts at most 24 hours (1,440 minutes); split longer events."
                ),
            ),
        ),
    ]
