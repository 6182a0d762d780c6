"""The production settings the header score assumes are the real defaults.

`check --deploy --fail-level WARNING` in production mode is tested in
tests/gds_portal/test_settings.py; this checks the values
tests/security/conftest.py:production_settings puts back.
"""

from tests.gds_portal.test_settings import PRODUCTION_ENV, _manage

CODE = (
    "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.TRUSTED_PROXY_COUNT)"
)


def test_production_defaults_are_the_ones_the_header_tests_assume():
    result = _manage("shell", "--no-imports", "-c", CODE, **PRODUCTION_ENV)
    assert result.stdout.splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "0",
    ], result.stderr
