"""The diversity page's note on the barriers survey promised anonymity, and linked a
survey that records who answered (outside probe of issue 18): anonymous surveys are
not built yet. The note now says what is true of any survey linked there; the survey
page itself says who reads the answers. Only an unedited page is changed: words the
executive committee wrote are theirs."""

from django.db import migrations

OLD = """- **The barriers survey.** Members are asked, anonymously, what stands in their way where
  physics and data science meet. While a survey is open, it is linked on this page."""

NEW = """- **The barriers survey.** Members are asked what stands in their way where physics and
  data science meet. While a survey is open, it is linked on this page; its page says who
  reads the answers and what is kept with your name."""


def _replace(apps, old: str, new: str) -> None:
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in FlatPage.objects.filter(url="/about/diversity/", content__contains=old):
        page.content = page.content.replace(old, new)
        page.save(update_fields=["content"])


def forwards(apps, schema_editor):
    _replace(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _replace(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("gds_portal", "0007_outbox_template_names_in_app_folders"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
