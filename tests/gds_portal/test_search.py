"""The site search: providers' hits merged by rank, paginated, snippets for the shown page only."""

import re

import pytest
from django.urls import reverse

from community.models import Person
from gds_portal.search import MAX_RESULTS, PAGE_SIZE, registry
from tests.factories.community import PersonFactory, make_public
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.factories.newsletters import ArticleFactory
from tests.factories.webinars import WebinarFactory

pytestmark = pytest.mark.django_db


def _zeolites_everywhere(n: int) -> None:
    """n matches for "zeolite" of every kind the search knows."""
    for i in range(n):
        PersonFactory(bio=f"Zeolite catalysis, part {i}.", public=True)
        ArticleFactory(body=f"On zeolite frameworks, part {i}.")
        MeetingFactory(description=f"A day on zeolites, part {i}.")
        SortingCategoryFactory(title=f"Zeolites {i}")
        WebinarFactory(description=f"Zeolite adsorption, part {i}.")


def _kinds(html: str) -> list[str]:
    return re.findall(r'<span class="badge[^"]*">([^<·]+?)(?: · [^<]*)?</span>', html)


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_with_every_provider_matching(client, django_assert_num_queries, n):
    _zeolites_everywhere(n)
    client.get("/")  # warm the site configuration cache
    # Per provider: one query ranks its hits; per kind with hits on the page (the five
    # above: flat pages, abstracts and the CRRG rank but hold no zeolite), one fetches
    # their sources; one query cuts every snippet of the page.
    with django_assert_num_queries(len(registry.providers) + 5 + 1):
        html = client.get(reverse("search"), {"q": "zeolite"}).content.decode()
    assert len(registry.providers) == 9
    kinds = ["Article", "Meeting", "Person", "Sorting category", "Webinar"]
    assert sorted(_kinds(html)) == sorted(kinds * n)
    assert html.count("<mark>") >= 4 * n  # a category's snippet is its meeting and description


def test_query_budget_is_the_same_beyond_the_result_bound(client, django_assert_num_queries):
    # More matches than are listed: the count becomes a lower bound, the cost does not move.
    Person.objects.bulk_create(
        Person(name=f"Person {i}", slug=f"person-{i}", bio="Zeolite catalysis.")
        for i in range(MAX_RESULTS + 5)
    )
    make_public(*Person.objects.all())
    client.get("/")
    # Ranks, the people's sources and the page's snippets.
    with django_assert_num_queries(len(registry.providers) + 1 + 1):
        response = client.get(reverse("search"), {"q": "zeolite", "page": 3})
    html = response.content.decode()
    assert f"More than {MAX_RESULTS} results for “zeolite”" in html
    assert response.context["page"].paginator.num_pages == MAX_RESULTS // PAGE_SIZE
    assert len(response.context["page"]) == PAGE_SIZE


def test_a_blank_query_runs_no_query(client, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get(reverse("search"), {"q": "   "})
    assert list(response.context["page"]) == []


def test_page_two_carries_its_own_highlighted_snippets(client):
    for i in range(PAGE_SIZE + 3):
        PersonFactory(
            name=f"Researcher {i:02d}",
            affiliation="Lab",
            bio=f"Group {i} & co. study zeolite.",
            public=True,
        )
    response = client.get(reverse("search"), {"q": "zeolite", "page": 2})
    assert f"{PAGE_SIZE + 3} results for “zeolite”" in response.content.decode()
    # Equal ranks fall back to the name: page 2 holds the last three, each with its snippet.
    page = response.context["page"]
    assert [r.title for r in page] == ["Researcher 20", "Researcher 21", "Researcher 22"]
    assert [str(r.snippet) for r in page] == [
        f"Research Scientist · Lab — Group {i} &amp; co. study <mark>zeolite</mark>"
        for i in (20, 21, 22)
    ]


def test_hits_of_every_kind_are_merged_by_rank(client):
    # A title match (weight A) outranks a body match (weight C), whatever the provider.
    ArticleFactory(title="Zeolite frameworks", body="Pores.")
    PersonFactory(name="Someone", bio="Once wrote about zeolite.", public=True)
    titles = [r.title for r in client.get(reverse("search"), {"q": "zeolite"}).context["page"]]
    assert titles == ["Zeolite frameworks", "Someone"]


SMUGGLED = "\x02\x03smuggled\x02 <b>zeolite</b> \x03\x02<script>x</script>\x03 zeolite"


def test_stored_text_cannot_make_highlight_markers(client):
    # A member can type the markers ts_headline uses; only the search's own may become <mark>.
    PersonFactory(bio=SMUGGLED, public=True)  # public: something public names them
    ArticleFactory(body=SMUGGLED)
    MeetingFactory(description=SMUGGLED)
    SortingCategoryFactory(description=SMUGGLED)
    WebinarFactory(description=SMUGGLED)
    html = client.get(reverse("search"), {"q": "zeolite"}).content.decode()
    assert sorted(_kinds(html)) == ["Article", "Meeting", "Person", "Sorting category", "Webinar"]
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert len(marked) >= 10
    assert set(marked) == {"zeolite"}
    assert "\x02" not in html and "\x03" not in html
    assert "<script>x" not in html


def test_the_flat_pages_are_found(client):
    """Probe of the ombudsman (finding 13): the Code of Conduct and the diversity
    statement, flat pages, were not searchable at all."""
    html = client.get(reverse("search"), {"q": "conduct"}).content.decode()
    assert 'href="/about/code-of-conduct/"' in html
    html = client.get(reverse("search"), {"q": "diversity"}).content.decode()
    assert 'href="/about/diversity/"' in html
