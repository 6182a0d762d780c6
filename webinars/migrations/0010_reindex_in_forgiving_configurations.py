"""Rebuild every webinar's search document in the accent-forgiving configurations.

The document is kept by webinars.services.webinar_reindex (issue 19 changed how it is
built); this does the same for the webinars that exist, with the models as they are
at this migration, so that old webinars are found like new ones.
"""

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import TextField, Value

from gds_portal.markdown import plain_text


def _text(value):
    return Value(value or "", output_field=TextField())


def reindex(apps, schema_editor):
    Webinar = apps.get_model("webinars", "Webinar")
    webinars = Webinar.objects.select_related("host").prefetch_related(
        "speaker_slots__person", "topics"
    )
    for webinar in webinars.iterator(chunk_size=200):
        slots = list(webinar.speaker_slots.all())
        people = [slot.person.name for slot in slots]
        if webinar.host:
            people.append(webinar.host.name)
        topics = [topic.name for topic in webinar.topics.all()]
        talks = [slot.talk_title for slot in slots]
        document = (
            SearchVector(_text(webinar.title), weight="A", config="gds_english")
            + SearchVector(_text(" ".join(people)), weight="B", config="gds_simple")
            + SearchVector(_text(" ".join(people)), weight="B", config="gds_english")
            + SearchVector(_text(" ".join(topics)), weight="B", config="gds_english")
            + SearchVector(
                _text(" ".join([*talks, plain_text(webinar.description)])),
                weight="C",
                config="gds_english",
            )
        )
        Webinar.objects.filter(pk=webinar.pk).update(search_vector=document)


class Migration(migrations.Migration):
    dependencies = [
        ("gds_portal", "0009_search_configurations"),
        ("webinars", "0009_drop_series_totals"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
