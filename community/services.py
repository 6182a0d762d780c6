from django.db import transaction
from django.utils.text import slugify

from community.models import Person


def unique_person_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "person"
    taken = set(
        Person.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Save a person, giving them a unique slug from their name if they have none."""
    if not person.slug:
        person.slug = unique_person_slug(person.name, exclude_pk=person.pk)
    person.save()
    return person
