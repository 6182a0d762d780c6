"""Every URL pattern, requested anonymously: only views marked @public may answer.

The walk fills each path converter with a sample value (slug "x", int 1 …)
and sends GET (then POST, if GET is not allowed). A view not marked with
`gds_portal.access.public` must refuse: a redirect to a login page, 403 or
404. A public view must not fail (no 5xx). New apps need no rows here: their
URL patterns are walked automatically.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from gds_portal.access import is_public

pytestmark = pytest.mark.django_db

# For each path parameter or regex group, the first of these its pattern accepts
# (so an app's own converter, e.g. a four-digit year, gets a value too).
CANDIDATES = [
    "1",
    "x",
    "2020",
    "summer",
    "auth",
    "accounts",
    "community",
    "gds_portal",
    "flatpages",
    "axes",
    str(uuid.UUID(int=1)),
    "x-1",
]

# Third-party views that are public by nature (their authors cannot mark them @public).
THIRD_PARTY_PUBLIC = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_logout",
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "admin:view_on_site",
}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _value(pattern: str) -> str:
    return next(c for c in CANDIDATES if re.fullmatch(pattern, c))


def _route_sample(pattern: RoutePattern) -> str:
    converters = pattern.converters
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _value(converters[m.group(1)].regex), str(pattern))


def _regex_sample(regex: str) -> str:
    template, params = normalize(regex)[0]
    values = {}
    for param in params:
        group = re.search(rf"\(\?P<{param}>(.*?)\)(?![^(]*\))", regex)
        values[param] = _value(group.group(1) if group else ".+")
    return template % values


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(pattern)
    assert isinstance(pattern, RegexPattern)
    return _regex_sample(pattern.regex.pattern)


def walk(resolver: URLResolver = None, prefix: str = "/", names: tuple = ()):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        path = prefix + _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            namespace = (entry.namespace,) if entry.namespace else ()
            yield from walk(entry, path, names + namespace)
        elif isinstance(entry, URLPattern):
            name = ":".join((*names, entry.name)) if entry.name else path
            yield pytest.param(path, name, id=name)


URLS = list(walk())


def test_walk_covers_the_site():
    names = {param.values[1] for param in URLS}
    assert {
        "home",
        "accounts:my_gds",
        "admin:index",
        "community:person",
        "account_login",
        "admin:accounts_user_change",
        "media",
    } <= names
    assert len(URLS) > 60


def _refuses(response) -> bool:
    if response.status_code in {403, 404}:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(LOGIN_PATHS)


@pytest.mark.parametrize(("path", "name"), URLS)
def test_anonymous_request(path, name):
    client = Client(raise_request_exception=False)
    match = resolve(path)
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path)
    if is_public(match.func) or name in THIRD_PARTY_PUBLIC:
        assert response.status_code < 500, f"public {name} at {path} failed"
    else:
        assert _refuses(response), (
            f"{name} at {path} answered {response.status_code} to an anonymous visitor; "
            "mark it @public if that is intended, or require a login/permission"
        )


def test_walk_catches_a_view_that_is_neither_public_nor_protected(settings):
    settings.ROOT_URLCONF = "tests.security.leaky_urls"
    [(path, name)] = [param.values for param in walk()]
    response = Client().get(path)
    assert (path, name, is_public(resolve(path).func)) == ("/notes/2020/1/", "leaky", False)
    assert not _refuses(response)
