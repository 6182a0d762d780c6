from django.core.exceptions import PermissionDenied, ValidationError
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


def _stored_user_id(person: Person) -> int | None:
    if person.pk is None:
        return None
    return Person.objects.filter(pk=person.pk).values_list("user_id", flat=True).first()


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Save a person, giving them a unique slug from their name if they have none.

    Side effects: the Person row and one history record. Refuses (PermissionDenied)
    a change of the account link: that goes through `person_link_account` only.
    """
    if person.user_id != _stored_user_id(person):
        raise PermissionDenied("A person's account link changes only through person_link_account.")
    if not person.slug:
        person.slug = unique_person_slug(person.name, exclude_pk=person.pk)
    person.save()
    return person


@transaction.atomic
def person_link_account(*, person: Person, user, by) -> Person:
    """Link `person` to `user` (None: unlink), as `by` — the executive committee or a superuser.

    Side effects: the Person's `user` and one history record naming `by` and the
    account linked or unlinked. Raises PermissionDenied for anyone else (the
    admin refuses them first; this is the second lock) and ValidationError when
    the account is already linked to another person.
    """
    if not by.has_perm("community.link_person_account"):
        raise PermissionDenied("Only the executive committee or a superuser links accounts.")
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError(f"{user.email} is already linked to another person.")
    previous = Person.objects.filter(pk=person.pk).select_related("user").first()
    person.user = user
    person._history_user = by
    if user is not None:
        person._change_reason = f"account linked: {user.email}"
    elif previous is not None and previous.user is not None:
        person._change_reason = f"account unlinked: {previous.user.email}"
    if not person.slug:
        person.slug = unique_person_slug(person.name, exclude_pk=person.pk)
    person.save()
    return person
