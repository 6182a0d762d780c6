from django.shortcuts import get_object_or_404

from community.models import Person


def person_by_slug(slug: str) -> Person:
    return get_object_or_404(Person.objects.all(), slug=slug)
