"""The one "find or create a Person" (community.services.person_find_or_create)."""

import pytest

from community.models import Person
from community.selectors import public_persons
from community.services import person_find_or_create
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory

pytestmark = pytest.mark.django_db

DOTLESS = "\u0131ris@example.org"  # iris@ with a dotless i: another mailbox


def _history(person: Person) -> int:
    return person.history.count()


def test_a_new_person_gets_the_identifiers_and_details_but_no_account_and_no_page():
    member = UserFactory(email="rosa@example.org")
    person = person_find_or_create(
        name="Rosa Franklin",
        user=member,
        email="rosa@example.org",
        orcid="0000-0002-1825-0097",
        details={"affiliation": "King's College", "website": ""},
    )
    assert (person.name, person.slug, person.email, person.orcid, person.affiliation) == (
        "Rosa Franklin",
        "rosa-franklin",
        "rosa@example.org",
        "0000-0002-1825-0097",
        "King's College",
    )
    # Linking is the executive committee's act; being made is not being public.
    assert person.user is None
    assert list(public_persons()) == []
    assert _history(person) == 1


def test_an_address_matches_in_any_spelling_but_never_a_lookalike():
    iris = PersonFactory(email="Iris@Example.org")
    wide = PersonFactory(email="rosa@\uff45xample.org")  # a full-width e in the domain
    assert person_find_or_create(name="Iris", email="iris@example.org") == iris
    assert person_find_or_create(name="Rosa", email="ROSA@example.org") == wide
    other = person_find_or_create(name="Squatter", email=DOTLESS)
    assert other not in (iris, wide)
    assert other.email == DOTLESS


def test_the_linked_person_comes_before_an_older_one_with_the_address():
    member = UserFactory(email="mia@example.org")
    PersonFactory(email="mia@example.org")
    linked = PersonFactory(user=member)
    assert person_find_or_create(name="Mia", user=member, email=member.email) == linked


def test_among_people_matched_otherwise_the_oldest_wins():
    first = PersonFactory(orcid="0000-0002-1825-0097")
    PersonFactory(email="ada@example.org")
    found = person_find_or_create(name="Ada", email="ada@example.org", orcid="0000-0002-1825-0097")
    assert found == first


def test_a_name_is_matched_only_when_asked():
    ada = PersonFactory(name="Ada Lovelace")
    assert person_find_or_create(name="ada lovelace", by_name=True) == ada
    other = person_find_or_create(name="Ada Lovelace")
    assert other != ada
    assert other.slug == "ada-lovelace"
    # Identifiers not passed are not asked: a slug call ignores the name and address.
    assert person_find_or_create(name="Ada Lovelace", slug=ada.slug) == ada


def test_a_match_is_written_only_to_fill_its_blank_fields_when_asked():
    ada = PersonFactory(name="Ada Lovelace", affiliation="", bio="Mathematician.")
    made = _history(ada)
    details = {"affiliation": "Analytical Engines Lab", "bio": "Poet."}
    found = person_find_or_create(name="Ada Lovelace", slug=ada.slug, details=details)
    found.refresh_from_db()
    assert (found.affiliation, _history(found)) == ("", made)
    person_find_or_create(name="Ada Lovelace", slug=ada.slug, details=details, fill_blanks=True)
    found.refresh_from_db()
    assert (found.affiliation, found.bio, _history(found)) == (
        "Analytical Engines Lab",
        "Mathematician.",
        made + 1,
    )
    # Nothing blank left: no write, no history record.
    person_find_or_create(name="Ada Lovelace", slug=ada.slug, details=details, fill_blanks=True)
    assert _history(found) == made + 1


def test_nothing_to_match_on_makes_a_new_person_each_time():
    first = person_find_or_create(name="Anonymous Author")
    second = person_find_or_create(name="Anonymous Author")
    assert first != second
    assert [first.slug, second.slug] == ["anonymous-author", "anonymous-author-2"]
