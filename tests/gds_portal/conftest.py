"""The test-only mail template, and the domain that owns it while a test runs."""

from pathlib import Path

import pytest

from gds_portal.mail import MailDomain, mail_domains

# Templates only tests render: production settings never list this folder.
TEST_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Rendered by tests of the mail helper and the outbox; its context is {"name": …}.
NOTICE = "tests/notice"
# Read with a permission the executive committee holds, so the outbox tests have a
# committee whose own mail it is, apart from the apps' domains.
TEST_DOMAIN = MailDomain("tests", ("tests/",), "gds_portal.change_siteconfiguration")


@pytest.fixture
def notice_mail(settings):
    """Make `tests/notice` a template the site can send, in the `tests` mail domain.

    The folder joins the template engine's DIRS for this test only (changing
    TEMPLATES rebuilds the engines), and the domain is gone again afterwards, so no
    other test sees either.
    """
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], TEST_TEMPLATES]} for engine in settings.TEMPLATES
    ]
    mail_domains.register(TEST_DOMAIN)
    yield NOTICE
    mail_domains.unregister(TEST_DOMAIN.label)
