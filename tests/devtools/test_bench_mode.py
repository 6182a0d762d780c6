"""The bench's instruments, as settings.py installs them under BENCH_MODE.

In-process, with the settings that the BENCH_MODE block sets; the block itself is
checked in a fresh process by tests/gds_portal/test_scaleout_settings.py.
"""

import pytest
from django.urls import get_resolver, reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_mode(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.ROOT_URLCONF = "devtools.urls"
    settings.MIDDLEWARE = ["devtools.middleware.QueryCountMiddleware"] + [
        "devtools.middleware.BenchPageCacheMiddleware"
        if name == "gds_portal.pagecache.AnonymousPageCacheMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]


def test_the_ceiling_page_answers_through_the_whole_stack(client, bench_mode):
    response = client.get("/bench/ceiling/")
    assert response.content == b"ok\n"
    assert response["X-Bench-Queries"] == "0"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_every_page_reports_its_query_count(client, bench_mode):
    response = client.get(reverse("newsletters:archive"))
    assert int(response["X-Bench-Queries"]) > 0


def test_a_cold_request_skips_the_page_cache_and_a_plain_one_uses_it(client, bench_mode):
    client.get(reverse("home"))
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
    cold = client.get(reverse("home"), HTTP_X_BENCH_COLD="1")
    assert "X-Page-Cache" not in cold
    assert int(cold["X-Bench-Queries"]) > 0


def test_the_site_keeps_its_error_handlers_under_the_bench_urlconf(bench_mode):
    from gds_portal import throttle, views

    resolver = get_resolver()
    assert resolver.resolve_error_handler(500) is views.server_error
    assert resolver.resolve_error_handler(429) is throttle.rate_limited
