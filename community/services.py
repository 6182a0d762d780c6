from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from accounts.identity import canonical_email, same_address
from community.models import Person
from gds_portal.history import set_change_reason, set_history_user
from gds_portal.offices import OfficeChange, offices

if TYPE_CHECKING:
    from accounts.models import User


def unique_person_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "person"
    others = Person.objects.filter(slug__startswith=base)
    if exclude_pk is not None:  # None: a new person, with no row of their own to leave out
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
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
def person_link_account(*, person: Person, user: User | None, by: User) -> Person:
    """Link `person` to `user` (None: unlink), as `by` — the executive committee or a superuser.

    Side effects: the Person's `user` and one history record naming `by` and the
    account linked or unlinked. Raises PermissionDenied for anyone else (the
    admin refuses them first; this is the second lock) and ValidationError when
    the account is already linked to another person, or when the profile's
    account is in the record of an office that gives access (gds_portal.offices:
    the ombudsman's), whose holder the link decides.
    """
    if not by.has_perm("community.link_person_account"):
        raise PermissionDenied("Only the executive committee or a superuser links accounts.")
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError(f"{user.email} is already linked to another person.")
    previous = Person.objects.filter(pk=person.pk).select_related("user").first()
    previous_user = previous.user_id if previous is not None else None
    relinked = previous_user is not None and previous_user != (user.pk if user else None)
    guarded = offices.guarded_offices_of(person.pk)
    if relinked and guarded:
        # Whatever its account now (or even if that account was deleted): a profile
        # named by a term of an office that gives access keeps its link once set.
        raise ValidationError(
            f"This profile holds or held an office that gives access ({', '.join(guarded)}); "
            "its terms name the account through this link, so it cannot be changed or "
            "removed. To appoint someone else, add a term for them."
        )
    # Terms count through the linked account: relinking this profile would hand an
    # office that gives access to another account and rewrite who held it.
    if relinked and (record := offices.guarded_record_of(previous_user)):
        raise ValidationError(
            "This profile's account holds or held an office that gives access "
            f"({record}); its terms name the account through this link, so it "
            "cannot be changed. To appoint someone else, add a term for them."
        )
    person.user = user
    set_history_user(person, by)
    if user is not None:
        set_change_reason(person, f"account linked: {user.email}")
    elif previous is not None and previous.user is not None:
        set_change_reason(person, f"account unlinked: {previous.user.email}")
    if not person.slug:
        person.slug = unique_person_slug(person.name, exclude_pk=person.pk)
    before = {office: tuple(offices.holders(office)) for office in guarded}
    person.save()
    if user is not None and previous_user != user.pk:
        # A holder's profile got its account: access moves to it, so the guarding
        # app is told (after the commit) as for any change of the office's terms.
        for office in guarded:
            offices.changed(
                OfficeChange(
                    office=office,
                    what="linked",
                    text=f"The profile {person.name} was linked to the account {user.email}.",
                    by=by.pk,
                    holders_before=before[office],
                    affected=(user.pk,),
                )
            )
    return person


def person_edit_announce(
    *, person: Person, fields: list[str], by: User, was_named: str = ""
) -> None:
    """Tell the guarding app (after the commit) that the profile of a holder or
    appointee of an office that gives access was edited (`fields`, already saved):
    their profile is where reporters are sent, so an edit is told like a change of
    terms (gds_portal.offices). Nothing for another profile or an empty edit."""
    if not fields:
        return
    for office in offices.appointing_offices_of(person.pk):
        account = person.user.email if person.user_id and person.user else "no account linked"
        offices.changed(
            OfficeChange(
                office=office,
                what="profile",
                text=(
                    f"The profile {person.name} <{account}> was edited by {by.email}: "
                    f"{', '.join(sorted(fields))}"
                    + (f" (it was named {was_named})." if was_named else ".")
                ),
                by=by.pk,
                holders_before=tuple(offices.holders(office)),
                affected=(person.user_id,) if person.user_id else (),
            )
        )


def person_matching(
    *, user: User | None = None, email: str = "", orcid: str = "", slug: str = "", name: str = ""
) -> Person | None:
    """The Person that these identifiers name, or None; in one query.

    The Person linked to `user` first: a link is the executive committee's word that
    this account is this person. Otherwise the oldest Person with the same ORCID iD,
    slug, name (any case; only when `name` is given) or address. Addresses are
    compared by canonical form (accounts.identity.same_address), so a look-alike
    address never claims another's profile. Person has no canonical column: the
    query finds every address with the same local part in any case (a form-typed
    local part is ASCII, so its canonical form is its lower case), and the
    canonical form decides, whatever spelling of the domain was stored.
    """
    local_part = canonical_email(email).rpartition("@")[0] if email else ""
    match = Q(pk__in=[])
    for lookup, value in [
        ("user", user),
        ("orcid", orcid),
        ("slug", slug),
        ("name__iexact", name),
        ("email__istartswith", local_part and f"{local_part}@"),
    ]:
        if value:
            match |= Q(**{lookup: value})
    candidates = list(Person.objects.filter(match).order_by("pk"))
    linked = [p for p in candidates if user is not None and p.user_id == user.pk]
    named = [
        p
        for p in candidates
        if (orcid and p.orcid == orcid)
        or (slug and p.slug == slug)
        or (name and p.name.casefold() == name.casefold())
        or same_address(p.email, email)
    ]
    found = linked or named
    return found[0] if found else None


@transaction.atomic
def person_find_or_create(
    *,
    name: str,
    user: User | None = None,
    email: str = "",
    orcid: str = "",
    slug: str = "",
    by_name: bool = False,
    details: Mapping[str, str] | None = None,
    fill_blanks: bool = False,
) -> Person:
    """The Person the given identifiers name (`person_matching`), or a new one.

    Only the identifiers passed are matched on: `user` (its linked Person), `email`,
    `orcid`, `slug`, and `name` only with `by_name` (for callers that know nothing
    else, such as an import by name). `details` are further fields (affiliation,
    website, bio…).

    Side effects: when nothing matches, one new Person (name, the identifiers given
    but `user`, and `details`; a unique slug from the name when no slug is given)
    and one history record. A matched Person is written only with `fill_blanks`, and
    only if one of its fields that `details` names is blank: those are filled, one
    save and history record. Never links `user` to a Person: that is the executive
    committee's act (`person_link_account`). Creating a Person publishes nothing: it
    is public only once public content names it (community/visibility.py).
    """
    details = {field: value for field, value in (details or {}).items() if value}
    person = person_matching(
        user=user, email=email, orcid=orcid, slug=slug, name=name if by_name else ""
    )
    if person is None:
        identifiers = {"email": email, "orcid": orcid, "slug": slug}
        fields = {**details, **{k: v for k, v in identifiers.items() if v}, "name": name}
        return person_save(person=Person(**fields))
    blanks = {field: value for field, value in details.items() if not getattr(person, field)}
    if fill_blanks and blanks and not offices.appointing_offices_of(person.pk):
        # Not the profile of an office's holder or appointee: it is edited by a
        # superuser alone, and told (docs/ombudsman.md), never filled in passing.
        for field, value in blanks.items():
            setattr(person, field, value)
        person_save(person=person)
    return person
