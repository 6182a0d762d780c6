"""The public CRRG page and its active interest groups in the site search (issue 19)."""

import pytest
from django.urls import reverse

from crrg.models import CrrgPage
from tests.factories.crrg import InterestGroupFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db


def _results(client, q: str):
    return list(client.get(reverse("search"), {"q": q}).context["page"])


def test_the_public_page_and_active_groups_are_found(client):
    page = CrrgPage.get_solo()
    page.about = "We pool **epidemiological** data and $R_0$ estimates."
    page.save()
    InterestGroupFactory(name="Modélisation", slug="modeling", description="Compartment *models*.")
    InterestGroupFactory(name="Imaging", slug="imaging", description="Compartment scans.")
    InterestGroupFactory(name="Retired", slug="retired", active=False, description="Compartment.")

    [about] = _results(client, "epidemiological")
    assert (about.kind, about.url) == ("Page", "/crrg/")
    # Plain text: no Markdown emphasis, the formula as text.
    assert "pool <mark>epidemiological</mark> data and R_0 estimates" in str(about.snippet)
    found = _results(client, "compartment")
    assert sorted((r.title, str(r.url)) for r in found) == [
        ("Imaging", "/crrg/#group-imaging"),
        ("Modélisation", "/crrg/#group-modeling"),
    ]
    assert [r.title for r in _results(client, "modelisation")] == ["Modélisation"]
    assert _results(client, "retired") == []


def test_surveys_are_not_searched(client):
    # Surveys are for signed-in members: the search, the same for everyone, never lists them.
    QuestionnaireFactory(title="Quokka survey", introduction="Tell us about quokkas.")
    assert _results(client, "quokka") == []
