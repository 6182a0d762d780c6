from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from community.models import Person
from community.visibility import public_people


def public_persons() -> QuerySet[Person]:
    """People whom something public names (community.visibility); nobody else is shown."""
    return public_people.filter(Person.objects.all())


def person_by_slug(slug: str) -> Person:
    """A public person's page; anyone else answers 404 as if they did not exist."""
    return get_object_or_404(public_persons(), slug=slug)
