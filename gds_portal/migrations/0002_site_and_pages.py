from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

ABOUT = """The **Topical Group on Data Science (GDS)** of the American Physical Society brings
together physicists who use data science in their research and data scientists who work on
physical problems.

What we do:

- publish a newsletter with research highlights, perspectives and reports;
- sponsor sorting categories, focus sessions and invited sessions at the APS March and April
  Meetings;
- run a webinar series of talks, hands-on tutorials and discussions;
- coordinate, with the Topical Group on Medical Physics (GMED), the COVID Research and
  Resources Group (CRRG).

Write to the executive committee at <gds@aps.org>.
"""

DIVERSITY = """The GDS executive committee is committed to a diverse, equitable and inclusive
community in which every member is safe, welcome and able to do their best work.

We support the APS diversity statement. Concretely, GDS will survey its membership about the
barriers to taking part in physics and data science, encourage nominations of women, members of
under-represented minority groups and scientists from outside the United States for talks and
webinars, and report on what we learn.

*This page is edited by the executive committee in the admin (Flat pages).*
"""


def create_pages(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    domain = urlsplit(settings.SITE_URL).netloc or "example.com"
    site, _ = Site.objects.update_or_create(
        id=settings.SITE_ID, defaults={"domain": domain, "name": "GDS Portal"}
    )
    for url, title, content in [
        ("/about/", "About GDS", ABOUT),
        ("/about/diversity/", "Statement on Diversity", DIVERSITY),
    ]:
        page, _ = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": content}
        )
        page.sites.add(site)


class Migration(migrations.Migration):
    dependencies = [
        ("gds_portal", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
        ("flatpages", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
