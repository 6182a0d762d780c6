import re

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from tests.factories.community import PersonFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_without_secrets(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert settings.SECRET_KEY not in response.text
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/about/",
        "/about/diversity/",
        "/search/?q=x",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ],
)
def test_public_pages_have_exactly_one_h1(client, url):
    response = client.get(url)
    assert response.status_code in {200, 404}
    assert len(re.findall(r"<h1[\s>]", response.text)) == 1


def test_404_page_is_in_site_style(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert "How to connect" in response.text


def test_500_page_shows_no_traceback(rf, settings):
    from gds_portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"Traceback" not in response.content


def test_footer_links_come_from_site_configuration(client):
    from gds_portal.models import SiteConfiguration

    config = SiteConfiguration.get_solo()
    config.contact_email = "committee@example.org"
    config.save()
    response = client.get("/")
    assert "mailto:committee@example.org" in response.text
    assert "https://www.linkedin.com/company/apsdatascience" in response.text


@pytest.mark.parametrize("people", [1, 3])
def test_home_page_query_count_is_fixed(client, django_assert_num_queries, people):
    PersonFactory.create_batch(people)
    client.get("/")  # warm the site-configuration cache
    # Each app's home section: newsletters' latest issue, webinars' upcoming ones, the
    # election open now.
    with django_assert_num_queries(3):
        client.get(reverse("home"))


def test_search_finds_people_by_bio_and_escapes_snippets(client):
    PersonFactory(
        name="Sergei Kalinin", bio="Bayesian inference <script>alert(1)</script>", public=True
    )
    PersonFactory(name="Someone Else", bio="Crystallization", public=True)
    response = client.get("/search/?q=bayesian")
    assert response.status_code == 200
    assert "Sergei Kalinin" in response.text and "Someone Else" not in response.text
    assert "<mark>Bayesian</mark>" in response.text
    assert "<script>alert(1)" not in response.text


def test_robots_txt_keeps_crawlers_out_of_private_areas():
    response = Client().get("/robots.txt")
    assert "Disallow: /my/" in response.text
