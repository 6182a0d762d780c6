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
        ("meetings", "0011_nomination_withdrawn"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="meeting", name="meeting_search_idx"),
        migrations.RemoveField(model_name="meeting", name="search_vector"),
        migrations.RemoveIndex(model_name="sortingcategory", name="category_search_idx"),
        migrations.RemoveField(model_name="sortingcategory", name="search_vector"),
        migrations.AddField(
            model_name="meeting",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.SearchVector(
                        "name", config="gds_english", weight="A"
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "description", config="gds_english", weight="B"
                    ),
                    django.contrib.postgres.search.SearchConfig("gds_english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="meeting_search_idx"
            ),
        ),
        migrations.AddField(
            model_name="sortingcategory",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "code", config="gds_simple", weight="A"
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "title", config="gds_english", weight="A"
                        ),
                        django.contrib.postgres.search.SearchConfig("gds_simple"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "description", config="gds_english", weight="B"
                    ),
                    django.contrib.postgres.search.SearchConfig("gds_simple"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="sortingcategory",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="category_search_idx"
            ),
        ),
    ]
