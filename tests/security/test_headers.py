"""Every page scores A+ (≥100, no penalty) on the Mozilla HTTP Observatory's table."""

import pytest
from django.test import Client

from tests.factories.accounts import PASSWORD, UserFactory
from tests.security.observatory import SCORES, Report, score

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/admin/login/",
    "/search/?q=data",
]


def assert_a_plus(report: Report, what: str) -> None:
    assert report.penalties == {}, f"{what}: {report.penalties}"
    assert report.score >= 100, f"{what}: {report.score} {report.results}"


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_page_scores_a_plus(production_settings, path):
    response = Client().get(path, secure=True)
    assert response.status_code == 200
    report = score(response, origin="testserver")
    assert_a_plus(report, path)
    # Not just "no penalty": each header is the strict variant.
    assert report.results["content-security-policy"] == (
        "csp-implemented-with-no-unsafe-default-src-none"
    )
    assert report.results["x-frame-options"] == "x-frame-options-implemented-via-csp"
    assert report.results["referrer-policy"] == "referrer-policy-private"


def test_login_page_sets_host_prefixed_strict_csrf_cookie(production_settings):
    response = Client().get("/accounts/login/", secure=True)
    cookie = response.cookies["__Host-csrftoken"]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"], cookie["path"]) == (
        True,
        True,
        "Lax",
        "/",
    )
    assert score(response, origin="testserver").results["cookies"] == (
        "cookies-secure-with-httponly-sessions-and-samesite"
    )


def test_successful_login_sets_strict_session_cookie(production_settings):
    UserFactory(email="ada@example.org")
    client = Client()
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"login": "ada@example.org", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"], cookie["domain"]) == (
        True,
        True,
        "Lax",
        "",
    )
    assert_a_plus(score(response, origin="testserver"), "login POST")


def test_member_form_page_scores_a_plus_and_is_never_cached(production_settings, personas):
    client = Client()
    client.force_login(personas.member)
    response = client.get("/my/profile/", secure=True)
    assert response.status_code == 200
    assert_a_plus(score(response, origin="testserver"), "/my/profile/")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_admin_pages_score_a_plus(production_settings, personas):
    client = Client()
    client.force_login(personas.staff)
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{personas.member.pk}/change/",
    ]:
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
        assert_a_plus(score(response, origin="testserver"), path)


def test_http_request_redirects_to_https(production_settings):
    response = Client().get("/accounts/login/")
    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/accounts/login/",
    )


def test_headers_are_exactly_the_policy():
    response = Client().get("/", secure=True)
    csp = response["Content-Security-Policy"]
    players = "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
    for directive in [
        "default-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "style-src 'self'",
        players,
    ]:
        assert directive in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    # Our own files only: no nonce, no inline script.
    assert script_src.split() == ["script-src", "'self'"]
    assert "unsafe" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


# The scorer itself must be able to fail: a weak response loses points on every line.
def test_scorer_penalises_a_weak_response():
    class Weak:
        headers = {
            "Content-Type": "text/html",
            "Content-Security-Policy": "script-src 'self' 'unsafe-inline'",
            "Referrer-Policy": "unsafe-url",
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Credentials": "true",
        }
        content = b"<script src='http://cdn.example/x.js'></script>"
        cookies = {}

    report = score(Weak(), origin="testserver")
    assert report.results == {
        "content-security-policy": "csp-implemented-with-unsafe-inline",
        "cookies": "cookies-not-found",
        "cross-origin-resource-sharing": (
            "cross-origin-resource-sharing-implemented-with-universal-access"
        ),
        "referrer-policy": "referrer-policy-unsafe",
        "strict-transport-security": "hsts-not-implemented",
        "subresource-integrity": "sri-not-implemented-and-external-scripts-not-loaded-securely",
        "x-content-type-options": "x-content-type-options-not-implemented",
        "x-frame-options": "x-frame-options-not-implemented",
        "cross-origin-resource-policy": "corp-not-implemented",
    }
    assert report.score == 100 - 20 - 50 - 5 - 20 - 50 - 5 - 20
    assert set(report.results) == set(SCORES)


# Headers every response carries, static files included (issue 15, break 12: WhiteNoise
# answered /static/ before the middleware that sets the last four had run).
SECURITY_HEADERS = [
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
]
STATIC_FILES = [
    "/static/css/site.css",
    "/static/js/site.js",
    "/static/favicon.png",
    "/static/vendor/bootstrap/css/bootstrap.css",
]


def _policy(response) -> dict[str, str]:
    headers = {name: response.get(name) for name in SECURITY_HEADERS}
    return headers


@pytest.mark.parametrize("path", STATIC_FILES)
def test_static_files_carry_the_same_security_headers_as_pages(production_settings, path):
    page = Client().get("/accounts/login/", secure=True)
    response = Client().get(path, secure=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # WhiteNoise served the file itself
    assert _policy(response) == _policy(page)
    assert None not in _policy(response).values()
    assert_a_plus(score(response, origin="testserver"), path)
    # Our own files only: no other site may read them either.
    assert "Access-Control-Allow-Origin" not in response
