import pytest
from django.urls import reverse

from tests.factories.community import PersonFactory

pytestmark = pytest.mark.django_db


def test_person_page_shows_profile_with_rendered_bio(client):
    person = PersonFactory(
        name="Jie Ren",
        position="GDS Chair",
        affiliation="Merck",
        bio="Bayes: $P(A)$ <script>alert(1)</script>",
        public=True,
    )
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "<h1>Jie Ren</h1>" in response.text
    assert "GDS Chair, Merck" in response.text
    assert "<math" in response.text
    assert "<script>alert(1)" not in response.text


def test_person_page_of_unknown_slug_is_404(client):
    assert client.get("/people/nobody/").status_code == 404


def test_person_page_never_shows_private_email(client):
    person = PersonFactory(email="private.address@example.org", public=True)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "private.address@example.org" not in response.text


@pytest.mark.parametrize("people", [1, 3])
def test_person_page_query_count_is_fixed(client, django_assert_num_queries, people):
    person = PersonFactory(public=True)
    PersonFactory.create_batch(people - 1, public=True)
    client.get("/")  # warm the site-configuration cache
    # The person, plus one query per app section (newsletters: the person's articles;
    # webinars: the talks they gave or hosted; elections: the offices they held;
    # meetings: their invited talks — contributed ones need an ORCID iD or an account).
    with django_assert_num_queries(5):
        response = client.get(reverse("community:person", kwargs={"slug": person.slug}))
    assert response.status_code == 200
