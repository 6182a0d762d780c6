"""A NUL byte anywhere in a request is a clean 400, never a 500 (issue 15, break 12).

PostgreSQL refuses NUL in text, so a NUL that reached a query raised a 500: an
unmatched path through the flat-page fallback (`/x%00/`), allauth's key URLs,
admin filters (`?x=%00`), the session cookie. gds_portal.middleware.RejectNulMiddleware
refuses every such request before anything reads it; these tests send a NUL in
the path, query, cookies and headers of requests to every URL pattern (walked
from the URL registry, so new pages are covered the day they land), allauth's key
URLs and every admin changelist. Form fields are refused by the forms, with a message.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.security.test_public_endpoints import URLS

pytestmark = pytest.mark.django_db

NUL_PAGE = "This request could not be read"


def _with_nul(path: str) -> list[str]:
    """The path with a NUL in its last segment, as its own segment, and in the query."""
    stem = path.rstrip("/")
    slash = "/" if path.endswith("/") else ""
    return [
        f"{stem}%00{slash}" if stem else "/%00",
        f"{stem}/%00/",
        f"{path}?q=%00&page=1%002",
        f"{path}?%00=x",
    ]


def _refused(response) -> bool:
    # The refusal is the site's 400 page, with every security header a page carries.
    return (
        response.status_code == 400
        and NUL_PAGE in response.content.decode()
        and "default-src 'none'" in response.get("Content-Security-Policy", "")
        and response.get("X-Frame-Options") == "DENY"
    )


def _failures(client: Client, paths: list[str], method: str = "get") -> list:
    failures = []
    for path in paths:
        response = getattr(client, method)(path)
        if not _refused(response):
            failures.append((path, response.status_code))
    return failures


def test_nul_in_the_path_or_query_of_every_url_pattern_is_refused():
    client = Client(raise_request_exception=False)
    paths = [variant for param in URLS for variant in _with_nul(param.values[0])]
    assert len(paths) > 240
    assert _failures(client, paths) == []
    assert _failures(client, paths[::7], method="post") == []


def test_nul_in_allauth_key_urls_is_refused(personas):
    client = Client(raise_request_exception=False)
    paths = [
        "/accounts/password/reset/key/1-x%00y/",
        "/accounts/password/reset/key/1%00-set-password/",
        "/accounts/confirm-email/x%00y/",
        "/accounts/confirm-email/%00/",
    ]
    assert _failures(client, paths) == []
    assert _failures(client, paths, method="post") == []


def test_nul_in_admin_changelist_filters_is_refused(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.staff)
    paths = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        paths += [f"{url}?x=%00", f"{url}?q=%00", f"{url}?id__exact=1%00"]
        fields = [f for f in model_admin.list_filter if isinstance(f, str)]
        paths += [f"{url}?{field}__exact=%00" for field in fields]
    assert len(paths) > 100
    assert _failures(client, paths) == []


def test_nul_in_a_cookie_or_header_is_refused(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.member)
    # The session cookie itself, as a browser would send it with an octal escape.
    client.cookies["sessionid"] = "abc\x00def"
    assert _failures(client, ["/", "/my/", "/accounts/login/"]) == []
    for header in ("HTTP_REFERER", "HTTP_USER_AGENT", "HTTP_X_ANYTHING", "HTTP_ACCEPT_LANGUAGE"):
        response = Client(raise_request_exception=False).get("/", **{header: "a\x00b"})
        assert _refused(response), header
    response = Client(raise_request_exception=False).get("/", HTTP_COOKIE="csrftoken=\x00")
    assert _refused(response)


@pytest.mark.parametrize("multipart", [False, True])
def test_nul_in_form_fields_gets_a_message_at_the_field_and_changes_nothing(personas, multipart):
    # Form fields are the forms' to refuse (with the text kept), not the middleware's.
    client = Client()
    kwargs = {} if multipart else {"content_type": "application/x-www-form-urlencoded"}
    login = {"login": "member@example.org\x00", "password": "x\x00"}
    body = login if multipart else "login=member%40example.org%00&password=x%00"
    response = client.post("/accounts/login/", body, **kwargs)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "alert" in response.content.decode()
    assert "_auth_user_id" not in client.session
    client.force_login(personas.member)
    data = {"full_name": "Nul\x00Name"} if multipart else "full_name=Nul%00Name"
    response = client.post("/my/profile/", data, **kwargs)
    assert response.status_code in {200, 400}
    assert "Null characters are not allowed" in response.content.decode()
    member = get_user_model().objects.get(pk=personas.member.pk)
    assert member.full_name == "Mia Member"
