"""XSS corpus fields of people and units (see tests/security/xss.py)."""

from community.models import Unit
from community.services import person_save
from tests.factories.community import PersonFactory, make_public


def seed(corpus) -> list[str]:
    person = PersonFactory.build(
        name=corpus.text("person name", 200),
        slug="",
        affiliation=corpus.text("person affiliation", 250),
        position=corpus.text("person position", 200),
        bio=corpus.markdown("person bio"),
    )
    person_save(person=person)
    make_public(person)  # a person's page exists only while something public names them
    unit = Unit.objects.create(
        code=corpus.text("unit code", 12), name=corpus.text("unit name", 200)
    )
    return [
        person.get_absolute_url(),
        "/search/?q=alert",
        "/admin/community/person/",
        f"/admin/community/person/{person.pk}/change/",
        f"/admin/community/person/{person.pk}/delete/",
        "/admin/community/unit/",
        f"/admin/community/unit/{unit.pk}/change/",
    ]
