from django.db import migrations, models


def create_row(apps, schema_editor):
    # Stale from the start: the first archive page view counts the series.
    apps.get_model("webinars", "SeriesTotals").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    """The archive's "series in numbers", stored in one row (see SeriesTotals)."""

    dependencies = [
        ("webinars", "0003_webinar_duration_at_most_a_day"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeriesTotals",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("webinars", models.PositiveIntegerField(default=0, verbose_name="webinars held")),
                (
                    "speakers",
                    models.PositiveIntegerField(default=0, verbose_name="distinct speakers"),
                ),
                ("registrants", models.PositiveBigIntegerField(default=0)),
                ("computed_at", models.DateTimeField(null=True)),
                (
                    "valid_until",
                    models.DateTimeField(
                        help_text="When the next webinar ends; empty: until a webinar changes.",
                        null=True,
                    ),
                ),
                ("is_stale", models.BooleanField(default=True)),
            ],
            options={
                "verbose_name_plural": "series totals",
            },
        ),
        migrations.AddConstraint(
            model_name="seriestotals",
            constraint=models.CheckConstraint(
                condition=models.Q(("pk", 1)), name="series_totals_one_row"
            ),
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
