"""Search that forgives (issue 19): accents, the last word half typed, word forms in
prose, names and codes as written, snippets in plain text, "did you mean"."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gds_portal.markdown import plain_text
from gds_portal.search import compiled_query, registry, search_query
from tests.factories.community import PersonFactory
from tests.factories.meetings import SortingCategoryFactory
from tests.factories.newsletters import ArticleFactory
from tests.factories.webinars import WebinarFactory

pytestmark = pytest.mark.django_db


def _search(client, q: str):
    return client.get(reverse("search"), {"q": q})


def _titles(response) -> list[str]:
    return [result.title for result in response.context["page"]]


def test_no_accents_find_what_accents_find(client):
    PersonFactory(name="Ayşe Küçükbenli", bio="Epidemic modelling.", public=True)
    ArticleFactory(title="Küçükbenli on forecasting", body="Forecasts of epidemics.")
    with_accents = _titles(_search(client, "Küçükbenli"))
    assert sorted(with_accents) == ["Ayşe Küçükbenli", "Küçükbenli on forecasting"]
    assert sorted(_titles(_search(client, "kucukbenli"))) == sorted(with_accents)
    assert sorted(_titles(_search(client, "KUCUKBENLI"))) == sorted(with_accents)
    # And the other way round: an accent typed where the text has none.
    ArticleFactory(title="Cafe science", body="Talks in a cafe.")
    assert _titles(_search(client, "café")) == ["Cafe science"]


def test_the_last_word_is_matched_as_a_prefix(client):
    ArticleFactory(title="Bayesian inference for outbreaks", body="Priors and posteriors.")
    assert _titles(_search(client, "bayes")) == ["Bayesian inference for outbreaks"]
    assert _titles(_search(client, "outbreaks bayes")) == ["Bayesian inference for outbreaks"]
    # Half a name: the last word only, and accents forgiven in the prefix too.
    PersonFactory(name="Ayşe Küçükbenli", public=True)
    assert _titles(_search(client, "kucuk")) == ["Ayşe Küçükbenli"]
    # Only the last word: an earlier half word is a word of its own.
    assert _titles(_search(client, "bayes inference")) == []


def test_an_excluded_last_word_is_not_a_prefix(client):
    ArticleFactory(title="Bayesian inference", body="Priors.")
    ArticleFactory(title="Frequentist inference", body="Tests.")
    # "-bayes" leaves out the word bayes, not every word that begins with it.
    assert sorted(_titles(_search(client, "inference -bayes"))) == [
        "Bayesian inference",
        "Frequentist inference",
    ]
    assert _titles(_search(client, "inference -bayesian")) == ["Frequentist inference"]


def test_prose_is_stemmed(client):
    ArticleFactory(title="Notes", body="We compared the networks of several studies.")
    assert _titles(_search(client, "comparing network study")) == ["Notes"]


def test_a_category_code_finds_its_category(client):
    SortingCategoryFactory(code="23.01.12", title="Epidemiology")
    SortingCategoryFactory(code="23.01.13", title="Ecology")
    assert _titles(_search(client, "23.01.12")) == ["23.01.12 Epidemiology"]
    # Half typed, it finds both: the code is the last word.
    assert sorted(_titles(_search(client, "23.01.1"))) == [
        "23.01.12 Epidemiology",
        "23.01.13 Ecology",
    ]


def test_names_are_not_stemmed(client):
    # "Hastings" as a name; stemmed, "hasting" would be another word.
    PersonFactory(name="Alan Hastings", bio="Ecology.", public=True)
    assert _titles(_search(client, "hastings ecology")) == ["Alan Hastings"]


MARKUP = (
    "# Demo heading\n\n*Demo summary* of the zeolite $p(D)$ and **bold** text, "
    "[a link](https://example.org) and `code`.\n\n$$\\frac{a}{b}$$\n\n- zeolite item"
)


def test_snippets_are_plain_text(client):
    ArticleFactory(title="Zeolites", standfirst="Zeolite *pores*.", body=MARKUP)
    PersonFactory(bio=MARKUP, public=True)
    WebinarFactory(description=MARKUP)
    page = _search(client, "zeolite").context["page"]
    assert len(page) == 3
    for result in page:
        text = re.sub(r"</?mark>", "", str(result.snippet))
        for mark in ("$", "*", "#", "<", "\\frac", "](", "`"):
            assert mark not in text, (result.title, text)
        assert "<mark>zeolite</mark>" in str(result.snippet).lower()
    article = next(r for r in page if r.title == "Zeolites")
    assert "p(D)" in str(article.snippet)


def test_plain_text_reads_maths_as_text():
    assert plain_text("Given $p(D)$ and $x^2$ and $\\sqrt{y}$.") == "Given p(D) and x^2 and √(y) ."
    assert plain_text("$$\\frac{a}{b}$$") == "(a)/(b)"
    assert plain_text("A [link](https://example.org) and ![a chart](https://e.org/c.png)") == (
        "A link and a chart"
    )
    assert plain_text("Note[^1]\n\n[^1]: The note.") == "Note[1] The note."
    assert plain_text("") == ""


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.lists(
        st.sampled_from([*"ab 'é\"&|!():*<>\\-.,_ç", "OR", "zeolite", "23.01.12"]),
        max_size=30,
    ).map("".join)
    | st.text(max_size=200).filter(lambda s: "\x00" not in s)
)
def test_hostile_queries_are_searches_not_errors(client, q):
    # tsquery syntax, quotes and backslashes reach the prefix term only as quoted words.
    response = _search(client, q)
    assert response.status_code == 200


def test_a_hyphenated_word_half_typed_is_a_prefix(client):
    ArticleFactory(title="X-ray scattering", body="Beams.")
    assert _titles(_search(client, "x-ra")) == ["X-ray scattering"]


@settings(max_examples=80, deadline=None, database=None)
@given(source=st.text(max_size=300))
def test_plain_text_takes_any_markdown(source):
    text = plain_text(source)
    assert "\n" not in text and text == text.strip()


def test_very_long_words_are_searches_not_errors(client):
    ArticleFactory(body="zeolite")
    for q in ("z" * 200, "zeolite " + "é" * 199, "'" * 200, "\\" * 200, "a:*" * 66):
        assert _search(client, q).status_code == 200


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("x' | !y:*(zeol", "'zeol':*"),
        ("a\\'b", "'b':*"),
        ("23.01.1", "'23.01.1':*"),
        ("Küçük", "'Küçük':*"),
    ],
)
def test_the_prefix_term_never_carries_syntax(typed, term):
    # Only the raw (to_tsquery) terms end in :*; each is the last run of word characters.
    _, params = compiled_query(search_query(typed))
    assert {p for p in params if isinstance(p, str) and p.endswith(":*")} == {term}


@pytest.mark.parametrize("typed", ["inference -bayes", 'a "open phrase', "bayes)", ""])
def test_no_prefix_term_where_the_last_word_is_not_being_typed(typed):
    _, params = compiled_query(search_query(typed))
    assert not [p for p in params if isinstance(p, str) and p.endswith(":*")]


def test_did_you_mean_offers_titles_like_what_was_typed(client, django_assert_num_queries):
    ArticleFactory(title="Bayesian inference for outbreaks")
    PersonFactory(name="Ayşe Küçükbenli", public=True)
    PersonFactory(name="Hidden Küçükbenlo")  # named nowhere public: never suggested
    client.get("/")
    # Every provider ranks (nothing found), then the suggestions: one query sets the
    # similarity threshold for the transaction, one asks every provider's titles.
    with django_assert_num_queries(len(registry.providers) + 2):
        response = _search(client, "kucukbanli")
    assert response.context["suggestions"] == ["Ayşe Küçükbenli"]
    html = response.content.decode()
    assert "Did you mean" in html
    assert 'href="?q=Ay%C5%9Fe%20K%C3%BC%C3%A7%C3%BCkbenli"' in html
    assert _search(client, "inferense").context["suggestions"] == [
        "Bayesian inference for outbreaks"
    ]
    # A search that finds something asks for no suggestion.
    assert _search(client, "bayesian").context["suggestions"] == []


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_of_the_new_kinds(client, django_assert_num_queries, n):
    # Abstracts and CRRG groups cost what every kind costs: a rank, and the sources of
    # the hits on the page; the snippets of all of them come from one query.
    from meetings.enums import AbstractState
    from meetings.models import Abstract, DecisionNotification
    from tests.factories.accounts import UserFactory
    from tests.factories.crrg import InterestGroupFactory
    from tests.factories.meetings import MeetingFactory, make_abstract

    category = SortingCategoryFactory(meeting=MeetingFactory(contributed_published=True))
    for i in range(n):
        abstract = make_abstract(
            submitter=UserFactory(), category=category, title=f"Quokka census {i}"
        )
        Abstract.objects.filter(pk=abstract.pk).update(state=AbstractState.ACCEPTED_POSTER)
        DecisionNotification.objects.create(abstract=abstract, state=AbstractState.ACCEPTED_POSTER)
        InterestGroupFactory(name=f"Quokka group {i}", description="Quokka *counts*.")
    client.get("/")
    with django_assert_num_queries(len(registry.providers) + 2 + 1):
        response = _search(client, "quokka")
    kinds = sorted(r.kind for r in response.context["page"])
    assert kinds == sorted(["Abstract", "CRRG interest group"] * n)


def test_an_article_is_found_by_its_authors_name(client):
    from newsletters.models import Authorship

    article = ArticleFactory(title="Learning machines", body="Potentials for atoms.")
    Authorship.objects.create(article=article, person=PersonFactory(name="Emine Küçükbenli"))
    titles = _titles(_search(client, "kucukbenli"))
    assert "Learning machines" in titles
    assert "Emine Küçükbenli" in titles  # her page: a visible article's author is public
