"""Access rows for people and units (see tests/security/access.py)."""

from community.models import Person, Unit
from tests.factories.community import PersonFactory
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row


def world(personas) -> dict:
    person = PersonFactory(
        name="Nia Nominee", email="nia.private@example.org", slug="nia", public=True
    )
    # Named by nothing public (say, only by a draft): no page at all (issue 15, break 12).
    unnamed = PersonFactory(name="Una Unnamed", slug="una")
    return {"person": person, "unnamed": unnamed, "private": ["nia.private@example.org"]}


def person_row(world) -> tuple:
    return Person.objects.values_list("name", "email").get(pk=world["person"].pk)


def account_links(world) -> list:
    return list(Person.objects.filter(user__isnull=False).values_list("name", "user"))


def units(world) -> list:
    return list(Unit.objects.values_list("code", flat=True))


PERSON_EDIT = {"name": "Changed", "slug": "nia", "email": "x@example.org"}
UNIT_ADD = {"code": "XYZ", "name": "Made up unit"}
CHANGELIST = "/admin/community/person/"
CHANGE = "/admin/community/person/{person.pk}/change/"

ROWS = [
    # The public page never shows the private email address.
    Row(
        "anonymous person page",
        None,
        "GET",
        "/people/{person.slug}/",
        OK,
        hidden=("nia.private@example.org",),
    ),
    Row(
        "member person page",
        "member",
        "GET",
        "/people/{person.slug}/",
        OK,
        hidden=("nia.private@example.org",),
    ),
    Row("anonymous person admin", None, "GET", CHANGE, LOGIN),
    Row("member person admin", "member", "GET", CHANGE, LOGIN),
    # Every committee reaches the people list; only some may change a person.
    *[
        Row(f"{role} person changelist", role, "GET", CHANGELIST, OK)
        for role in (
            "newsletter_editor",
            "program_committee",
            "webinar_committee",
            "crrg_coordinator",
            "executive",
            "staff",
        )
    ],
    Row("crrg coordinator views a person", "crrg_coordinator", "GET", CHANGE, OK),
    Row(
        "crrg coordinator cannot change a person",
        "crrg_coordinator",
        "POST",
        CHANGE,
        FORBIDDEN,
        data=PERSON_EDIT,
        unchanged=person_row,
    ),
    Row(
        "crrg coordinator cannot add a person",
        "crrg_coordinator",
        "GET",
        "/admin/community/person/add/",
        FORBIDDEN,
    ),
    Row(
        "newsletter editor cannot delete a person",
        "newsletter_editor",
        "POST",
        "/admin/community/person/{person.pk}/delete/",
        FORBIDDEN,
        data={"post": "yes"},
        unchanged=person_row,
    ),
    # Linking a person to an account is the executive committee's (or a superuser's) act:
    # a committee's edit saves everything else and leaves the link alone (break 6).
    *[
        Row(
            f"{role} cannot link a person to an account",
            role,
            "POST",
            CHANGE,
            REDIRECT,
            data=lambda w: {**PERSON_EDIT, "user": w["personas"].member.pk},
            unchanged=account_links,
        )
        for role in ("newsletter_editor", "program_committee", "webinar_committee")
    ],
    *[
        Row(
            f"{role} cannot add a person linked to an account",
            role,
            "POST",
            "/admin/community/person/add/",
            REDIRECT,
            data=lambda w: {"name": "Sock Puppet", "user": w["personas"].member.pk},
            unchanged=account_links,
        )
        for role in ("newsletter_editor", "program_committee", "webinar_committee")
    ],
    Row(
        "executive links a person to an account",
        "executive",
        "POST",
        CHANGE,
        REDIRECT,
        data=lambda w: {**PERSON_EDIT, "user": w["personas"].member.pk},
    ),
    # A person named by nothing public has no page, for anyone.
    *[
        Row(
            f"{who} page of a person named by nothing public",
            who,
            "GET",
            "/people/{unnamed.slug}/",
            NOT_FOUND,
            hidden=("Una Unnamed",),
        )
        for who in (None, "member", "executive")
    ],
    # Units: the executive committee keeps the list; the program committee reads it.
    Row("newsletter editor units", "newsletter_editor", "GET", "/admin/community/unit/", FORBIDDEN),
    Row("program committee units", "program_committee", "GET", "/admin/community/unit/", OK),
    Row(
        "program committee cannot add a unit",
        "program_committee",
        "POST",
        "/admin/community/unit/add/",
        FORBIDDEN,
        data=UNIT_ADD,
        unchanged=units,
    ),
    Row(
        "executive adds a unit",
        "executive",
        "POST",
        "/admin/community/unit/add/",
        REDIRECT,
        data=UNIT_ADD,
    ),
]
