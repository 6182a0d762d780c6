"""What every page shares, checked across pages of each part of the site (WCAG 2.4.1
bypass blocks, 2.4.2 page titled, 3.1.1 language of page, 3.2.3 consistent navigation,
3.2.6 consistent help, 4.1.3 status messages). axe checks each page on its own; these
check that the pages agree with each other."""

import re

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/newsletters/",
    "/meetings/",
    "/webinars/",
    "/elections/",
    "/about/",
    "/about/diversity/",
    "/ombudsman/",
    "/search/?q=data",
    "/ombudsman/concern/",
]


def _pages(client) -> dict[str, str]:
    pages = {}
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


def _part(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_every_page_has_its_language_a_skip_link_and_its_own_title(client):
    titles = {}
    for path, page in _pages(client).items():
        assert page.count('<html lang="en">') == 1, path
        assert '<a class="visually-hidden-focusable skip-link" href="#main">' in page, path
        assert '<main id="main"' in page, path
        titles[path] = re.search(r"<title>(.*?)</title>", page, re.S)[1].strip()
    # Each page says what it is before the site's name (the home page is the site).
    named = {path: title for path, title in titles.items() if path != "/"}
    assert len(set(named.values())) == len(named), titles
    assert all(not title.startswith("GDS Portal ·") for title in named.values()), titles


@pytest.mark.parametrize("signed_in", [False, True])
def test_navigation_and_help_are_the_same_on_every_page(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    navs, helps = set(), set()
    for path, page in _pages(client).items():
        nav = _part(page, '<nav class="navbar', "</nav>")
        # The current page's link is marked as such (aria-current); the links, the
        # controls and their order are the same everywhere.
        links = re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>|<(button|input) [^>]*>', nav)
        navs.add(tuple(links))
        helps.add(_part(page, "<footer", "</footer>"))
        assert "How to connect" in page, path
    assert len(navs) == 1
    assert len(helps) == 1


def test_messages_are_status_messages(client_for):
    """A message after an action ("Profile saved") is in a status region, which screen
    readers announce without moving the focus."""
    client = client_for(UserFactory())
    data = {"full_name": "Mia Example", "country": "", "career_stage": ""}
    response = client.post(reverse("accounts:profile_edit"), data, follow=True)
    page = response.content.decode()
    assert re.search(
        r'<div class="messages" role="status">\s*<div class="alert alert-success">', page
    )
