import factory

from community.models import Person, Unit


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    affiliation = factory.Faker("company")
    position = "Research Scientist"
    bio = "Works on *machine learning* for physics."

    @factory.post_generation
    def public(obj, create, extracted, **kwargs):
        """public=True: something public names them, so their page and search hit show."""
        if create and extracted:
            make_public(obj)


def make_public(*people: Person) -> None:
    """Name `people` on a public page (as leads of an active CRRG group): a Person is
    public only while something public names them (community.visibility)."""
    from crrg.models import InterestGroup

    group = InterestGroup.objects.create(
        name="Visible group", slug=f"visible-{people[0].pk}", active=True
    )
    group.leads.add(*people)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
