"""Mail faults against a real SMTP server (aiosmtpd) that is down, then comes up.

test_mail.py covers the outbox with Django's locmem backend; here the worker talks
SMTP over a socket, as in production.
"""

import asyncio
import email
import email.policy
import socket
import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from accounts.models import User
from gds_portal.enums import MailStatus
from gds_portal.mail import deliver_due
from gds_portal.models import OutboundEmail
from tests.accounts.test_views import SIGNUP
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.gds_portal.conftest import NOTICE
from tests.meetings.conftest import form_data

# Most tests queue the test-only notice (tests/gds_portal/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notice_mail")]

REFUSED = "nobody@refused.example.org"


class Mailbox:
    """An aiosmtpd handler that keeps what it receives and refuses one recipient."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port(settings):
    """A free local port where nothing listens yet; the outbox delivers there over SMTP."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def smtp_server(smtp_port):
    """Start a real SMTP server on `smtp_port` when the test calls it."""
    controllers = []

    def start() -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return mailbox

    yield start
    for controller in controllers:
        controller.stop()


def _drain() -> None:
    while deliver_due(limit=100):
        pass


def test_smtp_down_then_up_delivers_every_queued_message_once_with_headers(
    client, smtp_server, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(slug="march-2021")
    SortingCategoryFactory(meeting=meeting, code="23.01.01")
    member = UserFactory(email="member@example.org")

    # The mail server is down: the member's actions still succeed.
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post("/accounts/signup/", SIGNUP)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        submission = client.post(
            f"/meetings/my/abstracts/new/{meeting.slug}/", form_data(action="submit")
        )
    assert (signup.status_code, submission.status_code) == (302, 302)
    assert User.objects.filter(email="ada@example.org").exists()
    reference = member.abstracts.get().reference

    _drain()
    rows = list(OutboundEmail.objects.order_by("id"))
    assert [(r.to, r.status, r.attempts) for r in rows] == [
        (["ada@example.org"], MailStatus.QUEUED, 1),
        (["member@example.org"], MailStatus.QUEUED, 1),
    ]
    assert all("Connection refused" in r.last_error for r in rows)

    # The server comes up; once the backoff has passed, everything goes out once.
    mailbox = smtp_server()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        _drain()
        _drain()
    assert [(r.status, r.attempts, r.last_error) for r in OutboundEmail.objects.order_by("id")] == [
        (MailStatus.SENT, 2, ""),
        (MailStatus.SENT, 2, ""),
    ]
    assert [recipients for recipients, _ in mailbox.messages] == [
        ["ada@example.org"],
        ["member@example.org"],
    ]
    verification, receipt = (message for _, message in mailbox.messages)
    assert verification["To"] == "ada@example.org"
    assert verification["Subject"].startswith("[GDS] ")
    assert "X-GDS-Sensitive" not in verification  # our marker never leaves the portal
    assert receipt["From"] == "GDS Portal <no-reply@gds.example.org>"
    assert receipt["To"] == "member@example.org"
    assert receipt["X-GDS-Abstract"] == reference
    assert reference in receipt["Subject"]
    assert receipt.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in receipt.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert reference in receipt.get_body(("plain",)).get_content()
    message_ids = [message["Message-ID"] for _, message in mailbox.messages]
    assert len(set(message_ids)) == 2


def test_message_refused_every_time_ends_failed_and_committee_sees_it(
    client, smtp_server, settings, personas, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from gds_portal.mail import send_template_mail

    settings.OUTBOX_MAX_ATTEMPTS = 3
    mailbox = smtp_server()
    subject_tag = uuid.uuid4().hex[:8]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_template_mail(NOTICE, to=[REFUSED], context={"name": subject_tag})
        send_template_mail(NOTICE, to=["ada@example.org"], context={"name": "Ada"})

    start = timezone.now()
    for attempt in range(4):  # one more round than allowed: the failed row is left alone
        with time_machine.travel(start + timedelta(hours=7 * attempt)):
            _drain()
    refused, fine = OutboundEmail.objects.order_by("id")
    assert (refused.status, refused.attempts) == (MailStatus.FAILED, 3)
    assert "550" in refused.last_error
    assert (fine.status, fine.attempts) == (MailStatus.SENT, 1)
    assert [recipients for recipients, _ in mailbox.messages] == [["ada@example.org"]]

    # The Executive committee finds it in the outbox's default view (not sent yet).
    client.force_login(personas.executive)
    page = client.get("/admin/gds_portal/outboundemail/").content.decode()
    assert f"Notice for {subject_tag}" in page
    assert "Notice for Ada" not in page
    detail = client.get(f"/admin/gds_portal/outboundemail/{refused.pk}/change/").content.decode()
    assert "550" in detail
    assert "No such mailbox" in detail


class SlowMailbox(Mailbox):
    """A mailbox that holds the first message it is given until the test releases it.

    The worker sending that message waits for the server's answer to DATA, as it
    would behind a slow relay; the wait is bounded so a broken test cannot hang.
    """

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.holding.is_set():
            self.holding.set()
            await asyncio.to_thread(self.release.wait, 30)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp_server(smtp_port):
    mailbox = SlowMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield mailbox
    mailbox.release.set()
    controller.stop()


def _queue_notices(count: int) -> list[str]:
    from django.db import transaction

    from gds_portal.mail import send_template_mail

    names = [f"N{index:02d}" for index in range(count)]
    with transaction.atomic():
        for name in names:
            send_template_mail(NOTICE, to=[f"{name}@example.org"], context={"name": name})
    return [f"Notice for {name}" for name in names]


def _in_thread(work) -> tuple[threading.Thread, list]:
    """Run `work` in a thread with its own database connection; collect its errors."""
    from django.db import connections

    errors: list = []

    def run():
        try:
            work()
        except Exception as error:  # surfaced by the test's assertion
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_behind_slow_smtp_deliver_every_message_exactly_once(
    slow_smtp_server, settings
):
    # Break 10: a worker's lease ran out while SMTP was slow and a second worker
    # sent the same messages again. The lease here is zero, so every claim has
    # expired before its message is even sent: only the per-message claim keeps
    # the second worker away from the message the first one is still sending.
    settings.OUTBOX_CLAIM_LEASE = timedelta(0)
    subjects = _queue_notices(6)
    first, errors = _in_thread(lambda: deliver_due(limit=100))
    assert slow_smtp_server.holding.wait(timeout=10)  # worker 1 is stuck in DATA

    deliver_due(limit=100)  # worker 2 runs to the end meanwhile
    slow_smtp_server.release.set()
    first.join(timeout=30)

    assert (first.is_alive(), errors) == (False, [])
    received = sorted(message["Subject"] for _, message in slow_smtp_server.messages)
    assert received == subjects
    rows = OutboundEmail.objects.order_by("id")
    assert [(r.status, r.attempts, r.claim_token) for r in rows] == [
        (MailStatus.SENT, 1, None)
    ] * len(subjects)


@pytest.mark.django_db(transaction=True)
def test_worker_whose_claim_was_taken_over_neither_sends_nor_marks_sent(smtp_server, settings):
    from django.core.mail import get_connection

    from gds_portal.mail import _claim_one, _deliver_claimed

    settings.OUTBOX_CLAIM_LEASE = timedelta(0)
    mailbox = smtp_server()
    (subject,) = _queue_notices(1)
    stale = _claim_one()  # worker 1 claims, then stalls until its lease is gone
    assert deliver_due(limit=100) == 1  # worker 2 takes the row over and sends it
    row = OutboundEmail.objects.get()
    taken_over = (row.status, row.attempts, row.sent_at)

    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND)
    assert _deliver_claimed(stale, connection) is False  # worker 1 wakes up
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == taken_over
    assert taken_over[:2] == (MailStatus.SENT, 2)
    assert [message["Subject"] for _, message in mailbox.messages] == [subject]


@pytest.mark.django_db(transaction=True)
def test_worker_whose_lease_expired_before_sending_leaves_the_row_to_the_new_claim(
    smtp_server, settings
):
    from django.core.mail import get_connection

    from gds_portal.mail import _claim_one, _deliver_claimed

    settings.OUTBOX_CLAIM_LEASE = timedelta(0)
    mailbox = smtp_server()
    (subject,) = _queue_notices(1)
    stale = _claim_one()
    fresh = _claim_one()  # the lease expired: a second worker claims the row
    assert stale is not None and fresh is not None and stale.token != fresh.token

    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND)
    assert _deliver_claimed(stale, connection) is False
    assert (OutboundEmail.objects.get().status, mailbox.messages) == (MailStatus.SENDING, [])
    assert _deliver_claimed(fresh, connection) is True
    assert _deliver_claimed(fresh, connection) is False  # and never twice on one claim
    assert [message["Subject"] for _, message in mailbox.messages] == [subject]
    assert OutboundEmail.objects.get().status == MailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_retry_leaves_a_message_being_sent_alone(slow_smtp_server):
    from gds_portal.mail import retry

    (subject,) = _queue_notices(1)
    worker, errors = _in_thread(lambda: deliver_due(limit=100))
    assert slow_smtp_server.holding.wait(timeout=10)

    # The committee presses "Retry now" while the server is still answering.
    assert retry(emails=OutboundEmail.objects.all()) == 0
    slow_smtp_server.release.set()
    worker.join(timeout=30)
    assert (worker.is_alive(), errors) == (False, [])
    assert deliver_due(limit=100) == 0
    assert [message["Subject"] for _, message in slow_smtp_server.messages] == [subject]
    assert OutboundEmail.objects.get().status == MailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_retry_takes_a_claim_back_before_its_worker_sends(smtp_server):
    from django.conf import settings
    from django.core.mail import get_connection

    from gds_portal.mail import _claim_one, _deliver_claimed, retry

    mailbox = smtp_server()
    (subject,) = _queue_notices(1)
    claim = _claim_one()
    assert retry(emails=OutboundEmail.objects.all()) == 1
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND)
    assert _deliver_claimed(claim, connection) is False
    assert deliver_due(limit=100) == 1
    assert [message["Subject"] for _, message in mailbox.messages] == [subject]


@pytest.mark.django_db(transaction=True)
def test_worker_waits_out_a_passing_lock_on_its_own_claim_and_sends(smtp_server):
    """Another worker's claim query can hold a claimed row for a moment (PostgreSQL keeps
    the lock on a row it rechecked and rejected until that transaction ends). Skipping
    the lock left the message unsent until its lease ran out (seen as one message
    missing in tests/scaleout): the owner of the claim must wait and send."""
    from django.conf import settings
    from django.core.mail import get_connection
    from django.db import connection as db_connection
    from django.db import transaction

    from gds_portal.mail import _claim_one, _deliver_claimed
    from tests.meetings.test_duplicates import _wait_for_waiters

    mailbox = smtp_server()
    (subject,) = _queue_notices(1)
    claim = _claim_one()
    locked, release, results = threading.Event(), threading.Event(), []

    def other_worker_holds_the_row():
        try:
            with transaction.atomic():
                OutboundEmail.objects.select_for_update().get(pk=claim.id)
                locked.set()
                release.wait(10)
        finally:
            db_connection.close()

    def owner_delivers():
        try:
            results.append(
                _deliver_claimed(claim, get_connection(settings.OUTBOX_DELIVERY_BACKEND))
            )
        finally:
            db_connection.close()

    holder = threading.Thread(target=other_worker_holds_the_row)
    holder.start()
    assert locked.wait(10)
    owner = threading.Thread(target=owner_delivers)
    owner.start()
    try:
        _wait_for_waiters(1)  # the owner waits for the row instead of giving up
    finally:
        release.set()
        holder.join()
        owner.join()
    assert results == [True]
    row = OutboundEmail.objects.get()
    assert (row.status, row.claim_token) == (MailStatus.SENT, None)
    assert [message["Subject"] for _, message in mailbox.messages] == [subject]
