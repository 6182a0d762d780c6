import pytest

from gds_portal.adminsite import PortalAdminSite


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


@pytest.fixture
def new_site():
    """An admin site made for one test, emptied afterwards so the project's checks
    (which visit every site) never see its registrations."""
    made = []

    def make(site_class=PortalAdminSite):
        made.append(site_class(name=f"test-{len(made)}"))
        return made[-1]

    yield make
    for site in made:
        for model in list(site._registry):
            site.unregister(model)
