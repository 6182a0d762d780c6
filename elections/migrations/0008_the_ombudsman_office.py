"""The ombudsman's office, so that it exists on every site (docs/ombudsman.md).

The ombudsman app asks for its holder by this slug (elections/offices.py,
gds_portal/offices.py); the executive committee appoints the ombudsman by adding a
term for it in the admin. No committee role comes with it: the office's access
(the concerns) is the ombudsman app's, which asks who holds it, never a group.
"""

from django.db import migrations

SLUG = "ombudsman"
DESCRIPTION = (
    "The ombudsman for diversity, equity and inclusion: a confidential line to one "
    "person, which nobody else reads (see the ombudsman's page, /ombudsman/). Appointed "
    "by the executive committee for a term until the office is elected."
)


def make_office(apps, schema_editor):
    Office = apps.get_model("elections", "Office")
    if Office.objects.filter(slug=SLUG).exists():
        return
    named = Office.objects.filter(name__iexact="Ombudsman").first()
    if named is not None:
        # An office the committee made by hand under that name becomes the one.
        named.slug = SLUG
        named.save(update_fields=["slug"])
        return
    Office.objects.create(
        name="Ombudsman", slug=SLUG, order=900, seats=1, roles=[], description=DESCRIPTION
    )


class Migration(migrations.Migration):
    dependencies = [("elections", "0007_readable_constraint_messages")]

    # Not reversed: terms may hang on the office by then (PROTECT).
    operations = [migrations.RunPython(make_office, migrations.RunPython.noop)]
