"""/sitemap.xml as a whole: our own public view, a fixed cost, announced in robots.txt."""

import pytest
from django.contrib.sitemaps import views as django_sitemap_views
from django.test import Client
from django.urls import resolve

from gds_portal import views
from gds_portal.access import is_public
from tests.factories.meetings import MeetingFactory
from tests.factories.newsletters import ArticleFactory
from tests.factories.webinars import TopicFactory, WebinarFactory
from tests.sitemap_checks import sitemap_paths

pytestmark = pytest.mark.django_db


def test_sitemap_is_our_public_view_and_djangos_stays_unmarked():
    assert resolve("/sitemap.xml").func is views.sitemap
    assert is_public(views.sitemap)
    # Marking Django's own function would make every other use of it public too.
    assert not is_public(django_sitemap_views.sitemap)


def test_sitemap_answers_reads_only(client):
    assert client.post("/sitemap.xml").status_code == 405
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"


@pytest.mark.parametrize("count", [1, 3])
def test_sitemap_query_count_is_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        MeetingFactory()
        ArticleFactory()
        WebinarFactory(topics=[TopicFactory(slug=f"topic-{n}")])
    client.get("/sitemap.xml")  # warm the current-site cache
    # Two per section with rows (count, then the page of rows); the CRRG section has none,
    # and the elections section (no election announced) only its count.
    with django_assert_num_queries(13):
        paths = sitemap_paths(client)
    assert len(paths) == 6 * count + 2  # and two fixed pages (one is the Officers page)


def test_robots_txt_points_crawlers_at_the_sitemap():
    lines = Client().get("/robots.txt").text.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
