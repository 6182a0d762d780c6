"""WCAG 1.3.5, identify input purpose: every field that asks for the person's own
details carries the autocomplete token of that detail (gds_portal.form_layout.OWN_DETAILS),
so a browser can fill it in and assistive tools can mark it."""

import re

import pytest
from django.urls import reverse

from elections.enums import CandidacyStatus
from elections.services.nominations import answer_token
from tests.factories.accounts import UserFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    election_taking_nominations,
)
from tests.factories.ombudsman import appoint

pytestmark = pytest.mark.django_db


def _purposes(page: str) -> dict[str, str]:
    """Each input or select's name → its autocomplete token ("" when it has none)."""
    purposes = {}
    for tag in re.findall(r"<(?:input|select)\b[^>]*>", page):
        name = re.search(r'\bname="([^"]+)"', tag)
        token = re.search(r'\bautocomplete="([^"]*)"', tag)
        if name:
            purposes[name[1]] = token[1] if token else ""
    return purposes


def test_sign_up_names_each_own_detail(client):
    purposes = _purposes(client.get(reverse("account_signup")).content.decode())
    assert purposes["full_name"] == "name"
    assert purposes["email"] == "email"
    assert purposes["affiliation"] == "organization"
    assert purposes["country"] == "country"


def test_the_profile_names_each_own_detail(client_for):
    page = client_for(UserFactory()).get(reverse("accounts:profile_edit")).content.decode()
    purposes = _purposes(page)
    assert purposes["full_name"] == "name"
    assert purposes["affiliation"] == "organization"
    assert purposes["country"] == "country"


def test_sign_in_and_the_ombudsmans_address_form(client):
    purposes = _purposes(client.get(reverse("account_login")).content.decode())
    assert purposes["login"] == "email"
    assert purposes["password"] == "current-password"
    appoint(UserFactory())
    page = client.get(reverse("ombudsman:verify_address")).content.decode()
    assert _purposes(page)["email"] == "email"


def test_a_nominee_without_a_name_is_asked_for_their_own(client, client_for):
    contest = ContestFactory(election=election_taking_nominations(slug="fall-2030"))
    nameless = UserFactory(full_name="")
    page = client_for(nameless).get(reverse("elections:nominate", args=["fall-2030"]))
    assert _purposes(page.content.decode())["name"] == "name"
    candidacy = CandidacyFactory(
        contest=contest, user=UserFactory(full_name=""), status=CandidacyStatus.ASKED
    )
    url = reverse("elections:answer", args=["fall-2030", answer_token(candidacy)])
    assert _purposes(client.get(url).content.decode())["name"] == "name"
