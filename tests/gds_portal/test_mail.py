from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from gds_portal.enums import MailStatus
from gds_portal.mail import deliver_due, send_template_mail
from gds_portal.models import OutboundEmail
from tests.gds_portal.conftest import NOTICE

# Each test sends the test-only notice (tests/gds_portal/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("notice_mail")]

UNREACHABLE_SMTP = {
    "OUTBOX_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,  # discard port: nothing listens, the connection is refused at once
    "EMAIL_TIMEOUT": 2,
}


def _queue(name="Ada <script>", **headers):
    with transaction.atomic():
        send_template_mail(NOTICE, to=["ada@example.org"], context={"name": name}, headers=headers)


def test_send_template_mail_queues_rendered_message_without_sending():
    _queue(**{"List-Unsubscribe": "<https://x/unsub>"})
    row = OutboundEmail.objects.get()
    assert (row.status, row.to, row.subject, row.attempts) == (
        MailStatus.QUEUED,
        ["ada@example.org"],
        "Notice for Ada <script>",
        0,
    )
    assert "Hello Ada <script>," in row.body_text
    assert "<p>Hello Ada &lt;script&gt;,</p>" in row.body_html
    assert row.headers == {"List-Unsubscribe": "<https://x/unsub>"}
    assert mail.outbox == []


def test_send_template_mail_inside_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_template_mail(NOTICE, to=["ada@example.org"], context={"name": "Ada"})
        raise RuntimeError("the user's action failed")
    assert OutboundEmail.objects.count() == 0


def test_deliver_due_sends_once_with_headers(deliver_mail):
    _queue(**{"List-Unsubscribe": "<https://x/unsub>"})
    delivered = deliver_mail()
    assert [m.subject for m in delivered] == ["Notice for Ada <script>"]
    assert delivered[0].extra_headers["List-Unsubscribe"] == "<https://x/unsub>"
    assert delivered[0].alternatives[0].mimetype == "text/html"
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.SENT, 1)
    assert deliver_due() == 0
    assert len(mail.outbox) == 1


def test_smtp_down_keeps_mail_queued_with_backoff_then_delivers(settings):
    for key, value in UNREACHABLE_SMTP.items():
        setattr(settings, key, value)
    _queue()
    assert deliver_due() == 1
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 1)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert deliver_due() == 0  # not due yet: backing off

    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert deliver_due() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_mail_that_keeps_failing_ends_as_failed(settings):
    for key, value in UNREACHABLE_SMTP.items():
        setattr(settings, key, value)
    settings.OUTBOX_MAX_ATTEMPTS = 3
    _queue()
    start = timezone.now()
    for hour in range(3):
        with time_machine.travel(start + timedelta(hours=hour * 7)):
            deliver_due()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 3)
    with time_machine.travel(start + timedelta(days=2)):
        assert deliver_due() == 0


def test_send_queued_mail_command_delivers_everything(deliver_mail):
    for name in ("A", "B", "C"):
        _queue(name=name)
    call_command("send_queued_mail")
    assert sorted(m.subject for m in mail.outbox) == [
        "Notice for A",
        "Notice for B",
        "Notice for C",
    ]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {MailStatus.SENT}


def test_claimed_row_is_not_claimed_again_until_its_lease_expires(settings):
    from gds_portal.mail import _claim_one

    settings.OUTBOX_CLAIM_LEASE = timedelta(minutes=5)
    _queue()
    first = _claim_one()
    assert first is not None
    assert _claim_one() is None
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        second = _claim_one()
    assert second is not None and second.token != first.token
    row = OutboundEmail.objects.get()
    assert (row.status, row.claim_token, row.attempts) == (MailStatus.SENDING, second.token, 2)


def test_message_whose_worker_died_on_every_attempt_ends_failed(settings):
    from gds_portal.mail import _claim_one

    settings.OUTBOX_MAX_ATTEMPTS = 2
    _queue()
    start = timezone.now()
    for minutes in (0, 6):  # each worker claims the message, then dies before sending
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert _claim_one() is not None
    with time_machine.travel(start + timedelta(minutes=12)):
        assert deliver_due() == 0
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.claim_token) == (MailStatus.FAILED, 2, None)
    assert "may have been delivered" in row.last_error
    assert mail.outbox == []


def test_rendered_text_mail_is_plain_text_not_safe_html():
    """A text body holds members' words unescaped: it must never count as safe HTML,
    or any page that previews it would print a member's markup (issue 15, break 4)."""
    from django.utils.safestring import SafeData

    from gds_portal.mail import render_mail

    subject, text, _ = render_mail(NOTICE, {"name": "<b>Ada</b>"})
    assert not isinstance(subject, SafeData)
    assert not isinstance(text, SafeData)
    assert "<b>Ada</b>" in text
