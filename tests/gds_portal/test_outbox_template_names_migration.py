"""Migration 0007: stored mail takes the new template names, keeping its readers."""

from importlib import import_module

import pytest
from django.apps import apps as global_apps

from gds_portal.mail import mail_domains
from gds_portal.models import OutboundEmail
from tests.gds_portal.mail_templates import template_names

pytestmark = pytest.mark.django_db

MIGRATION = import_module("gds_portal.migrations.0007_outbox_template_names_in_app_folders")
# The domain each old name was filed under when it was sent (the apps' registrations
# before the move): the row keeps it, and the new name must belong to it too.
OLD_DOMAINS = {
    "abstract-decision": "meetings",
    "abstract-receipt": "meetings",
    "abstract-reminder": "meetings-drafts",
    "crrg-group-message": "crrg",
    "webinars_nomination_ack": "webinars",
    "webinars_nomination_new": "webinars",
}
# Rows the migration leaves as they are: names already in the scheme, a test's
# template that the site never sent, account mail with no template.
UNTOUCHED = [
    ("newsletters/issue-announcement", "newsletters"),
    ("test-notice", "site"),
    ("", "accounts"),
]


@pytest.fixture
def stored():
    """One row per old name, as production stores it, and the rows to leave alone."""
    rows = [*OLD_DOMAINS.items(), *UNTOUCHED]
    for template, domain in rows:
        OutboundEmail.objects.create(template=template, domain=domain, subject=template)
    return rows


def _stored() -> list[tuple[str, str, str]]:
    return list(OutboundEmail.objects.order_by("id").values_list("subject", "template", "domain"))


def test_every_renamed_template_exists_and_belongs_to_the_domain_its_rows_carry():
    assert sorted(MIGRATION.RENAMED) == sorted(OLD_DOMAINS)
    new_domains = {
        old: getattr(mail_domains.for_template(new), "label", None)
        for old, new in MIGRATION.RENAMED.items()
    }
    assert new_domains == OLD_DOMAINS
    assert set(MIGRATION.RENAMED.values()) <= set(template_names())


def test_forward_renames_stored_names_and_keeps_every_domain(stored):
    MIGRATION.forward(global_apps, None)
    assert _stored() == [
        ("abstract-decision", "meetings/abstract-decision", "meetings"),
        ("abstract-receipt", "meetings/abstract-receipt", "meetings"),
        ("abstract-reminder", "meetings/abstract-reminder", "meetings-drafts"),
        ("crrg-group-message", "crrg/group-message", "crrg"),
        ("webinars_nomination_ack", "webinars/nomination-ack", "webinars"),
        ("webinars_nomination_new", "webinars/nomination-new", "webinars"),
        *[(template, template, domain) for template, domain in UNTOUCHED],
    ]


def test_backward_restores_the_old_names(stored):
    MIGRATION.forward(global_apps, None)
    MIGRATION.backward(global_apps, None)
    assert _stored() == [(template, template, domain) for template, domain in stored]


def test_renamed_mail_stays_visible_to_its_committee_alone(stored, personas, client_for):
    # The program committee reads receipts and decisions, never a draft's reminder,
    # before and after the rename.
    def seen() -> list[str]:
        page = client_for(personas.program_committee).get(
            "/admin/gds_portal/outboundemail/", {"status": "all"}
        )
        return [old for old in OLD_DOMAINS if f">{old}<" in page.text]

    before = seen()
    MIGRATION.forward(global_apps, None)
    assert before == seen() == ["abstract-decision", "abstract-receipt"]
