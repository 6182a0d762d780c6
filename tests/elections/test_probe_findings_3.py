"""Findings of the third outside probe of issue 21, each reproduced before it was fixed."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from elections.services.results import results_publish
from tests.elections.scripted import close, scripted_election

pytestmark = pytest.mark.django_db


def _now(**delta):
    return timezone.now() + timedelta(**delta)


# --- F1: the tracker lookup never puts the tracker in an address ------------------------


@pytest.fixture
def published(personas):
    election, _voters, trackers, _contests = scripted_election()
    close(election)
    results_publish(election=election, by=personas.executive)
    return election, trackers


def test_tracker_lookup_works_by_post_with_csrf(published):
    election, trackers = published
    url = f"/elections/{election.slug}/ballots/"
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    token = page.cookies["csrftoken"].value
    answer = browser.post(url, {"tracker": trackers[0], "csrfmiddlewaretoken": token})
    assert 'data-testid="tracker-found"' in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    # Without the CSRF token the lookup is refused.
    assert Client(enforce_csrf_checks=True).post(url, {"tracker": trackers[0]}).status_code == 403


def test_tracker_lookup_puts_the_tracker_in_no_address(client, published):
    election, trackers = published
    url = f"/elections/{election.slug}/ballots/"
    form_page = client.get(url).content.decode()
    assert re.search(r'<form[^>]*method="post"', form_page)
    answer = client.post(url, {"tracker": trackers[0]})
    assert answer.status_code == 200  # answered on the spot, not redirected to an address
    html = answer.content.decode()
    addresses = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    tracker = trackers[0]
    assert [a for a in addresses if tracker.lower() in a.lower() or "tracker=" in a] == []


def test_get_with_a_tracker_in_the_address_looks_nothing_up(client, published):
    election, trackers = published
    html = client.get(
        f"/elections/{election.slug}/ballots/", {"tracker": trackers[0]}
    ).content.decode()
    assert 'data-testid="tracker-found"' not in html
    assert 'data-testid="tracker-missing"' not in html
    assert 'data-testid="tracker-in-address"' in html
    assert f'value="{trackers[0]}"' not in html
