"""Fixtures every test module may use: mail through the outbox, and the personas."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.enums import Role
from gds_portal.mail import deliver_due
from tests.factories.accounts import UserFactory


def pytest_configure(config):
    from django.conf import settings

    # WhiteNoise warns (an error here) when STATIC_ROOT does not exist yet; the
    # tests serve static files from the finders, so an empty folder will do.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Deliberately slow password hashing costs ~0.3 s per test user; the tests
    # do not test the hasher, so use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_on_every_connection(django_db_setup):
    """Let every connection object find the serialized reference data.

    Django keeps the snapshot on the connection object that created the test
    database. Playwright's sync API runs tests in another context, where Django
    hands out fresh connection objects without it, so serialized rollback
    silently restored nothing after the browser started. A class attribute is
    seen by all of them.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _restore_reference_data(django_db_serialized_rollback):
    """Keep data-migration rows (roles, units, pages) across transactional tests.

    Live-server and threaded tests run in real transactions and flush every
    table afterwards; serialized rollback puts the migrated rows back so the
    next test on the same worker still finds the committee groups.
    """


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached fragments live in the cache; one test's sign-up
    # must not throttle the next test's mail to the same address.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _mail_through_outbox(settings):
    # pytest-django swaps in the locmem backend; put the outbox back in front
    # of it so tests see mail exactly as production queues it.
    settings.EMAIL_BACKEND = "gds_portal.mail.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def deliver_mail():
    """Run the outbox worker once and return what reached `mail.outbox`."""

    def deliver() -> list:
        while deliver_due(limit=100):
            pass
        return list(mail.outbox)

    return deliver


@dataclass
class Personas:
    """The people access tests are written about.

    member / other_member: ordinary verified members; each may see and change only
        their own data, and their private strings must never leak to the other.
    unverified: signed up but has not confirmed their email yet.
    newsletter_editor, program_committee, webinar_committee, crrg_coordinator,
    executive: committee roles; each reaches the admin for its own group's models only.
    staff: a superuser administrator; sees everything except concerns sent to the
        ombudsman, which no role but the ombudsman reads.
    ombudsman: a verified member with no role; tests/ombudsman/access_rows.py makes
        them the ombudsman (holding the office is a term of the elections app's
        Ombudsman office, not a group).
    """

    member: object
    other_member: object
    unverified: object
    newsletter_editor: object
    program_committee: object
    webinar_committee: object
    crrg_coordinator: object
    executive: object
    staff: object
    ombudsman: object


@pytest.fixture
def personas(db) -> Personas:
    return Personas(
        member=UserFactory(email="member@example.org", full_name="Mia Member"),
        other_member=UserFactory(email="other@example.org", full_name="Otto Other"),
        unverified=UserFactory(email="unverified@example.org", verified=False),
        newsletter_editor=UserFactory(email="editor@example.org", roles=[Role.NEWSLETTER_EDITORS]),
        program_committee=UserFactory(email="program@example.org", roles=[Role.PROGRAM_COMMITTEE]),
        webinar_committee=UserFactory(email="webinar@example.org", roles=[Role.WEBINAR_COMMITTEE]),
        crrg_coordinator=UserFactory(email="crrg@example.org", roles=[Role.CRRG_COORDINATORS]),
        executive=UserFactory(email="exec@example.org", roles=[Role.EXECUTIVE_COMMITTEE]),
        staff=UserFactory(email="staff@example.org", is_staff=True, is_superuser=True),
        ombudsman=UserFactory(email="ombudsman@example.org", full_name="Olga Ombudsman"),
    )


@pytest.fixture
def client_for():
    """A test client logged in as `user` (None: anonymous)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
