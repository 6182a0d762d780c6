"""Session times the database holds but Python cannot read (a start typed as
9999-12-31 in New York is year 10000 in UTC) broke every sessions page, with no admin to
fix them: such times are cleared (the committee types them again), then a constraint
keeps any time between the years 1900 and 9000."""

import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_title_trigram_index"),
        ("meetings", "0019_rubric_confidence_anonymised"),
    ]

    operations = [
        migrations.RunSQL(
            """
            UPDATE meetings_contributedsession SET starts_at = NULL, ends_at = NULL
            WHERE starts_at < '1900-01-01T00:00:00Z' OR starts_at >= '9000-01-01T00:00:00Z'
               OR ends_at < '1900-01-01T00:00:00Z' OR ends_at >= '9000-01-01T00:00:00Z'
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="contributedsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("starts_at__isnull", True),
                        models.Q(
                            (
                                "starts_at__gte",
                                datetime.datetime(1900, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            ),
                            (
                                "starts_at__lt",
                                datetime.datetime(9000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            ),
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("ends_at__isnull", True),
                        models.Q(
                            (
                                "ends_at__gte",
                                datetime.datetime(1900, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            ),
                            (
                                "ends_at__lt",
                                datetime.datetime(9000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            ),
                        ),
                        _connector="OR",
                    ),
                ),
                name="contributed_session_times_readable",
            ),
        ),
    ]
