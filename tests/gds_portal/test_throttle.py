import pytest
from django.test import RequestFactory

from gds_portal.throttle import client_ip, login_name


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "", "10.0.0.2"),
        (0, "192.0.2.1", "10.0.0.2"),  # no proxy configured: the header is ignored
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # the client's own part is skipped
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (2, "192.0.2.1", "10.0.0.2"),  # fewer hops than proxies: not through them
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_configured_proxies(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_login_name_is_normalised_from_either_login_form():
    request = RequestFactory().post("/", {"login": " Ada@Example.org "})
    assert login_name(request, None) == "ada@example.org"
    assert login_name(request, {"username": "ADA@example.org"}) == "ada@example.org"
    assert login_name(request, {"email": "ada@EXAMPLE.org"}) == "ada@example.org"
