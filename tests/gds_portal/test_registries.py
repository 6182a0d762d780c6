"""The ground floor's registries, filled by the apps in their AppConfig.ready()."""

from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import reverse

from gds_portal.demos import demo_loaders
from gds_portal.sitemaps import sitemaps

pytestmark = pytest.mark.django_db


def test_the_navigation_lists_every_app_in_order(client):
    items = client.get(reverse("home")).context["nav_items"]
    assert [item["label"] for item in items] == [
        "Newsletters",
        "Meetings",
        "Webinars",
        "CRRG",
        "Officers",
        "About",
    ]
    assert items[1]["url"] == reverse("meetings:list")


def test_the_sitemap_sections_are_the_apps_own():
    assert list(sitemaps.sections()) == [
        "newsletter-issues",
        "newsletter-articles",
        "meetings",
        "meeting-calls",
        "webinars",
        "webinar-topics",
        "crrg",
        "officers",
        "elections",
    ]


def test_every_app_with_a_demo_registers_its_loader_in_app_order():
    # An app that ships demo.py but forgets to register it would drop out of `make demo`.
    with_demo = [c.name for c in apps.get_app_configs() if find_spec(f"{c.name}.demo")]
    loaders = demo_loaders.loaders()
    assert [f"{load.__module__}.{load.__name__}" for load in loaders] == [
        f"{name}.demo.load" for name in with_demo
    ]
