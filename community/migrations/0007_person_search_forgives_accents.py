"""Search vectors in the accent-forgiving configurations (gds_portal 0009, issue 19).

A generated column cannot be altered: each is dropped (with its GIN index) and
added again with the new expression, which recomputes it for every row.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gds_portal", "0009_search_configurations"),
        ("community", "0006_person_history"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_search_idx"),
        migrations.RemoveField(model_name="person", name="search_vector"),
        migrations.AddField(
            model_name="person",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "name", config="gds_simple", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "name", config="gds_english", weight="A"
                            ),
                            django.contrib.postgres.search.SearchConfig("gds_simple"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "affiliation", "position", config="gds_english", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("gds_simple"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "bio", config="gds_english", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("gds_simple"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="person_search_idx"
            ),
        ),
    ]
