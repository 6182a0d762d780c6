"""The archive shows ten years a page, so its cost does not grow with the archive."""

import re

import pytest
from django.urls import reverse

from newsletters import selectors
from tests.factories.newsletters import IssueFactory

pytestmark = pytest.mark.django_db

SEASONS = ["winter", "spring", "summer", "fall"]


@pytest.fixture
def twelve_years():
    for year in range(2010, 2022):
        for season in SEASONS:
            IssueFactory(year=year, season=season)


def _years(html: str) -> list[int]:
    return [int(y) for y in re.findall(r'id="year-(\d+)"', html)]


def test_first_page_holds_the_ten_newest_years_and_links_to_older_ones(client, twelve_years):
    html = client.get(reverse("newsletters:archive")).content.decode()
    assert _years(html) == list(range(2021, 2011, -1))
    assert 'href="?before=2012"' in html


def test_older_page_holds_the_rest_and_links_back(client, twelve_years):
    html = client.get(reverse("newsletters:archive") + "?before=2012").content.decode()
    assert _years(html) == [2011, 2010]
    assert "?before=" not in html
    assert f'href="{reverse("newsletters:archive")}"' in html


def test_nonsense_before_shows_the_first_page(client, twelve_years):
    html = client.get(reverse("newsletters:archive") + "?before=x1").content.decode()
    assert _years(html)[0] == 2021


def test_latest_issue_is_the_newest_season_of_the_newest_year(twelve_years):
    latest = selectors.latest_issue()
    assert (latest.year, latest.season) == (2021, "fall")
