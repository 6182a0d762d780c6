import pytest
from django.db import transaction

from gds_portal.enums import MailStatus
from gds_portal.mail import send_template_mail
from gds_portal.models import OutboundEmail
from tests.gds_portal.conftest import NOTICE, TEST_DOMAIN

# The executive committee's mail here is the test-only domain's (tests/gds_portal/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notice_mail")]


def _row(**fields) -> OutboundEmail:
    defaults = {
        "from_email": "gds@example.org",
        "to": ["ada@example.org"],
        "subject": "Hi",
        "body_text": "Plain body",
        "domain": TEST_DOMAIN.label,  # the executive committee reads it
    }
    return OutboundEmail.objects.create(**{**defaults, **fields})


def test_outbox_admin_hides_bodies_of_account_mail(personas, client_for):
    # Account mail is the superuser's alone to see listed (issue 15, break 1), and
    # even the superuser never reads its body.
    secret = _row(
        subject="Reset your password", body_text="code key-123", sensitive=True, domain="accounts"
    )
    plain = _row(subject="Your abstract", body_text="Thanks for MAR21-000001")
    secret_page = client_for(personas.staff).get(
        f"/admin/gds_portal/outboundemail/{secret.pk}/change/"
    )
    plain_page = client_for(personas.executive).get(
        f"/admin/gds_portal/outboundemail/{plain.pk}/change/"
    )
    assert secret_page.status_code == 200
    assert "key-123" not in secret_page.text
    assert "hidden: this account mail carries a one-time secret" in secret_page.text
    assert "MAR21-000001" in plain_page.text


def test_outbox_admin_lists_unsent_by_default_and_retries_failed(personas, client_for):
    failed = _row(subject="Failed one", status=MailStatus.FAILED, attempts=6, last_error="boom")
    _row(subject="Sent one", status=MailStatus.SENT)
    client = client_for(personas.executive)
    listing = client.get("/admin/gds_portal/outboundemail/")
    assert "Failed one" in listing.text and "Sent one" not in listing.text
    response = client.post(
        "/admin/gds_portal/outboundemail/",
        {"action": "retry_now", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MailStatus.QUEUED, 0)


@pytest.mark.parametrize(
    "persona", ["member", "newsletter_editor", "program_committee", "webinar_committee"]
)
def test_outbox_admin_shows_other_roles_none_of_the_executives_mail(personas, client_for, persona):
    # Committees have the outbox since issue 15 (break 9), but only for their own
    # domain's mail; tests/gds_portal/test_mail_admin.py covers each domain.
    _row(subject="Private subject for Mia")
    response = client_for(getattr(personas, persona)).get(
        "/admin/gds_portal/outboundemail/", {"status": "all"}
    )
    assert response.status_code == (302 if persona == "member" else 200)
    assert "Private subject for Mia" not in response.text


def test_allauth_mail_is_marked_sensitive(client, db):
    from tests.factories.accounts import UserFactory

    UserFactory(email="grace@example.org")
    with transaction.atomic():
        client.post("/accounts/password/reset/", {"email": "grace@example.org"})
    row = OutboundEmail.objects.get(to=["grace@example.org"])
    assert row.sensitive is True
    assert "X-GDS-Sensitive" not in row.headers
    assert "http://testserver/accounts/password/reset/key/" in row.body_text


def test_template_mail_is_not_sensitive(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_template_mail(NOTICE, to=["a@example.org"], context={"name": "A"})
    assert OutboundEmail.objects.get().sensitive is False
