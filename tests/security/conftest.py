import pytest


@pytest.fixture
def production_settings(settings):
    """What env/test.env relaxes for plain-http browser tests, put back as in production.

    settings.py derives these from SECURE_COOKIES and SECURE_SSL_REDIRECT
    (both on by default); tests/security/test_production_defaults.py proves those
    defaults in a subprocess with a production environment.
    """
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SITE_URL = "https://testserver"
    return settings
