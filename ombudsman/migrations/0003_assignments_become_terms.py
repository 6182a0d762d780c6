"""Each ombudsman assignment becomes a term of the elections app's "Ombudsman" office.

From now on the elections app keeps who holds the office (terms, entered by the
executive committee in its admin) and the ombudsman app asks through the ground
floor's registry (gds_portal/offices.py). Copying every assignment, ended or not,
keeps the office's history complete, so the access log still names who held it.

A cross-app data migration, declared as one: it depends on the elections
migration that makes the office and on community's Person. It reads the other
apps' models only through `apps.get_model` (the historical models), never by
import, so the code of the two apps stays apart (tests/test_import_boundaries.py).

Who assigned each holder (`assigned_by`), which the term has no column for, is
kept where the admin keeps who added any term: a row in the term's admin history
(LogEntry), named for the committee member who made the assignment.
"""

from django.db import migrations
from django.utils.text import slugify

OFFICE = "ombudsman"


def _person_for(apps, user):
    """The user's public profile, or a new one linked to the account (as
    community.services.person_find_or_create does for a user: name from the account)."""
    Person = apps.get_model("community", "Person")
    person = Person.objects.filter(user_id=user.pk).first()
    if person is not None:
        return person
    name = user.full_name.strip() or user.email.split("@")[0]
    base = slugify(name)[:200] or "person"
    taken = set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return Person.objects.create(name=name, slug=slug, user_id=user.pk)


def _log_appointment(apps, term, assignment) -> None:
    if assignment.assigned_by_id is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    kind, _ = ContentType.objects.get_or_create(app_label="elections", model="term")
    LogEntry.objects.create(
        action_time=assignment.created_at,
        user_id=assignment.assigned_by_id,
        content_type_id=kind.pk,
        object_id=str(term.pk),
        object_repr=f"Ombudsman term from {assignment.starts_on}"[:200],
        action_flag=1,  # addition
        change_message="Appointed as ombudsman (an ombudsman assignment, moved to a term).",
    )


def forwards(apps, schema_editor):
    Assignment = apps.get_model("ombudsman", "OmbudsmanAssignment")
    Office = apps.get_model("elections", "Office")
    Term = apps.get_model("elections", "Term")
    assignments = list(Assignment.objects.select_related("holder").order_by("starts_on", "id"))
    if not assignments:
        return
    office = Office.objects.get(slug=OFFICE)
    for assignment in assignments:
        term = Term.objects.create(
            office=office,
            person=_person_for(apps, assignment.holder),
            starts_on=assignment.starts_on,
            ends_on=assignment.ends_on,
        )
        _log_appointment(apps, term, assignment)


class Migration(migrations.Migration):
    dependencies = [
        ("ombudsman", "0002_probe_fixes"),
        ("elections", "0009_term_person_help_text"),
        ("community", "0008_title_trigram_index"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # One way: the next migration removes the assignments; the terms stay the record.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
