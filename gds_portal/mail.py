"""The one way the portal sends mail.

`send_template_mail` renders `templates/emails/<name>-subject.txt`, `-body.txt`
and `-body.html`, where a name is `<app label>/<kebab-case-name>`: each app's mail
in the app's own folder (tests/gds_portal/test_mail_templates.py holds the scheme).
Every message (allauth's included, through `OutboxBackend`) becomes an
`OutboundEmail` row first. `deliver_due` hands queued rows to the
real backend chosen by EMAIL_URL, with retries and exponential backoff.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from gds_portal.enums import MailStatus
from gds_portal.models import OutboundEmail

log = logging.getLogger(__name__)

# A header our own code sets to mark mail that carries one-time secrets; the
# backend records it on the row and strips it before the message leaves.
SENSITIVE_HEADER = "X-GDS-Sensitive"
# The domain of account mail (verification, password reset): no committee reads it.
ACCOUNT_DOMAIN = "accounts"
# How long a claim stays a worker's own if the worker dies before it sends. While a
# worker sends, it holds the row's lock, so even an expired lease never lets a second
# worker in; the lease only decides when a crashed worker's message is tried again.
# One message per claim, so it need only cover one SMTP exchange (EMAIL_TIMEOUT).
DEFAULT_CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a message (a calendar entry); stored on the outbox row."""

    filename: str
    content: str
    mimetype: str


@dataclass(frozen=True)
class MailDomain:
    """Mail that one app sends, and who may read it in the outbox admin.

    `label` is stored on each row; `templates` are what the app owns: a folder
    ("crrg/", every template in it) or one template ("meetings/abstract-reminder").
    Holders of `permission` ("app_label.codename") read the domain's mail. A domain
    without a permission is its recipients' alone (a draft's reminder): only
    superusers see that such mail exists.

    `private`: that anyone was mailed at all is itself confidential (who wrote to the
    ombudsman). Such mail is shown in the outbox admin to no one, superusers included
    (gaps in the row numbers still show that unseen mail was queued: docs/ombudsman.md),
    and once sent its row keeps no recipient, subject or body (`_redacted`): the row
    stays only so the worker's exactly-once bookkeeping and retries work as for any mail.
    """

    label: str
    templates: tuple[str, ...]
    permission: str | None
    private: bool = False


# What a domain may claim: a folder ("crrg/") or one template in a folder.
_CLAIM = re.compile(r"[a-z][a-z0-9_]*/([a-z0-9]+(-[a-z0-9]+)*)?")


class MailDomains:
    """The apps' mail domains; each app registers its own in `AppConfig.ready()`.

    The ground floor knows no domain app, so it cannot say whose mail an abstract
    receipt is: the app that sends it says so, and the outbox admin asks here.
    """

    def __init__(self) -> None:
        self._domains: dict[str, MailDomain] = {}

    def register(self, domain: MailDomain) -> None:
        known = self._domains.get(domain.label)
        if known is not None and known != domain:
            raise ImproperlyConfigured(f"Mail domain {domain.label!r} is registered twice.")
        self._check_claims(domain)
        self._domains[domain.label] = domain

    def _check_claims(self, domain: MailDomain) -> None:
        # A template name is "<app>/<name>", so a domain claims its app's folder or a
        # name in it. A bare prefix ("abstract-") claimed names by their spelling: a
        # mail renamed, or another app's mail that happened to share it, changed readers.
        loose = [claim for claim in domain.templates if not _CLAIM.fullmatch(claim)]
        if loose:
            raise ImproperlyConfigured(
                f"Mail domain {domain.label!r} claims {loose!r}: claim a template folder "
                "('app/') or a template in one ('app/name')."
            )
        # One owner per claim, or whose mail it is would depend on the order apps load.
        taken = {
            claim: other.label
            for other in self._domains.values()
            if other.label != domain.label
            for claim in other.templates
        }
        if clash := {claim: taken[claim] for claim in domain.templates if claim in taken}:
            raise ImproperlyConfigured(
                f"Mail domain {domain.label!r} claims what another domain owns: {clash!r}."
            )

    def unregister(self, label: str) -> None:
        """Forget domain `label`: for tests that register a domain of their own."""
        del self._domains[label]

    def for_template(self, name: str) -> MailDomain | None:
        """The domain that claims template `name` by name, else the one that claims its folder.

        A name is more specific than its folder: a draft's reminder lies in the
        meetings folder but is not the program committee's mail.
        """
        folder = name.partition("/")[0] + "/"
        for claim in (name, folder):
            for domain in self._domains.values():
                if claim in domain.templates:
                    return domain
        return None

    def labels(self) -> list[str]:
        return list(self._domains)

    def private_labels(self) -> list[str]:
        return [label for label, domain in self._domains.items() if domain.private]

    def readable_by(self, user) -> list[str]:
        """Labels of the domains whose mail `user` may read (superusers: see the admin)."""
        domains = self._domains.items()
        return [
            label
            for label, domain in domains
            if domain.permission is not None
            and not domain.private
            and user.has_perm(domain.permission)
        ]


mail_domains = MailDomains()


# Anything that can carry a personal token: a URL with a scheme, a mailto: or a
# bare www. address. The admin cannot tell a leave link from a public page, so it
# shows none of them.
_LINK = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bmailto:|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
LINK_REMOVED = "[link removed]"


def redact_links(text: str) -> str:
    """`text` with every link replaced, for showing stored mail to people."""
    return _LINK.sub(LINK_REMOVED, text)


def claim_lease() -> timedelta:
    return getattr(settings, "OUTBOX_CLAIM_LEASE", DEFAULT_CLAIM_LEASE)


class OutboxBackend(BaseEmailBackend):
    """An email backend that stores messages in the outbox instead of sending them."""

    def send_messages(self, email_messages: Iterable[EmailMultiAlternatives]) -> int:
        rows = [_row_from_message(message) for message in email_messages]
        OutboundEmail.objects.bulk_create(rows)
        return len(rows)


def _row_from_message(message) -> OutboundEmail:
    headers = dict(message.extra_headers)
    sensitive = headers.pop(SENSITIVE_HEADER, "") == "1"
    html = ""
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    return OutboundEmail(
        # Mail that reaches the outbox without a template (allauth's, Django's own)
        # belongs to no committee unless it is account mail.
        domain=ACCOUNT_DOMAIN if sensitive else "",
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body_text=str(message.body),
        body_html=html,
        headers=headers,
        sensitive=sensitive,
    )


def render_mail(name: str, context: dict) -> tuple[str, str, str]:
    """Render the subject, text body and HTML body of template `name`."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain(f"emails/{name}-subject.txt", context)
    text = _render_plain(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return " ".join(subject.split()), text, html


def _render_plain(template_name: str, context: dict) -> str:
    # Plain text is not HTML: "R&D <Lab>" must reach the reader as typed, not as &amp;.
    rendered = get_template(template_name).template.render(Context(context, autoescape=False))
    # A template render returns a SafeString, which a page would print as markup. This
    # text holds members' words unescaped, so hand it back as a plain str: whoever shows
    # it in HTML (a preview) gets it escaped without having to remember to.
    return str.__str__(rendered)


def send_template_mail(
    name: str,
    *,
    to: list[str],
    context: dict,
    headers: dict[str, str] | None = None,
    reply_to: list[str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> None:
    """Queue one message rendered from template `name` to the recipients `to`.

    Side effects: one `OutboundEmail` row, written inside the caller's transaction:
    a rolled-back action never mails anyone, a committed one always has its mail
    queued, and the row costs the request no commit of its own (the transactional
    outbox pattern; the worker sends only committed rows).
    """
    subject, text, html = render_mail(name, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=to,
        reply_to=reply_to or [],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    row = _row_from_message(message)
    domain = mail_domains.for_template(name)
    row.template = name
    row.attachments = [
        {"filename": a.filename, "content": a.content, "mimetype": a.mimetype} for a in attachments
    ]
    # A template no app claimed is readable by superusers only (safe, but its
    # committee will not find it: tests/gds_portal/test_mail_admin.py says which).
    row.domain = domain.label if domain else ""
    row.save()


@dataclass(frozen=True)
class Claim:
    """One worker's claim on one row: only the holder of `token` may settle it."""

    id: int
    token: uuid.UUID


def _due() -> Q:
    # Queued and due, or claimed by a worker whose lease has run out (and that
    # still has an attempt left: see _fail_abandoned).
    now = timezone.now()
    return Q(status=MailStatus.QUEUED, next_attempt_at__lte=now) | Q(
        status=MailStatus.SENDING,
        next_attempt_at__lte=now,
        attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
    )


def _fail_abandoned() -> int:
    """Mark failed the rows whose worker died during their last allowed attempt.

    Attempts count at the claim, so a message that kills its worker every time
    ends here instead of being tried for ever. A row a worker is sending is
    locked and left alone.
    """
    with transaction.atomic():
        abandoned = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(
                status=MailStatus.SENDING,
                next_attempt_at__lte=timezone.now(),
                attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
            )
            .values_list("id", flat=True)
        )
        return OutboundEmail.objects.filter(id__in=list(abandoned)).update(
            status=MailStatus.FAILED,
            claim_token=None,
            last_error="The worker stopped while sending; the message may have been delivered.",
        )


def _claim_one() -> Claim | None:
    """Claim the next due row for this worker alone, or return None.

    One row per claim, so a lease never has to cover a whole batch behind a slow
    server (break 10 of issue 15: a 100-message batch outlived its lease and a
    second worker sent it again). Rows another worker is sending are locked and
    skipped, whatever their lease says.
    """
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(_due())
            .order_by("next_attempt_at", "id")
            .only("id")
            .first()
        )
        if row is None:
            return None
        token = uuid.uuid4()
        # The attempt counts at the claim (see _fail_abandoned).
        OutboundEmail.objects.filter(id=row.id).update(
            status=MailStatus.SENDING,
            claim_token=token,
            attempts=F("attempts") + 1,
            next_attempt_at=timezone.now() + claim_lease(),
        )
    return Claim(id=row.id, token=token)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def _message_from_row(row: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _deliver_claimed(claim: Claim, connection) -> bool:
    """Send the row of `claim` once and record the outcome; False if the claim is lost.

    The row stays locked from before the message is handed to the server until
    its outcome is committed, so no other worker can claim it meanwhile, however
    slow the server is. If another worker took the row over (our lease ran out
    before we got here) or someone settled it, the token no longer matches: we
    neither send nor record anything.
    """
    with transaction.atomic():
        # Wait for the lock, never skip it: another worker's claim query may hold our
        # row for a moment (PostgreSQL keeps the lock on a row it rechecked and
        # rejected until that transaction ends). Skipping then left our own claim
        # unsent until its lease ran out. If another worker really took the row over,
        # we get it after they are done, and the token no longer matches.
        row = (
            OutboundEmail.objects.select_for_update()
            .filter(id=claim.id, claim_token=claim.token, status=MailStatus.SENDING)
            .first()
        )
        if row is None:
            log.info("Mail %s: claim %s was taken over; not sending it.", claim.id, claim.token)
            return False
        try:
            _message_from_row(row, connection).send()
        except Exception as exc:  # any transport error: record it and retry later
            log.warning("Mail %s failed (attempt %s): %s", row.id, row.attempts, exc)
            outcome = _failure(row, exc)
        else:
            outcome = {"status": MailStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
            if row.domain in mail_domains.private_labels():
                outcome |= _redacted()
        # Conditional on the claim: the lock already guarantees it, and this keeps
        # the guarantee should the row ever be settled without the lock.
        settled = OutboundEmail.objects.filter(id=claim.id, claim_token=claim.token).update(
            claim_token=None, **outcome
        )
    return settled == 1


def _redacted() -> dict:
    """What a sent private-domain row keeps of its message: nothing that says who was
    mailed or about what (MailDomain.private)."""
    return {
        "to": [],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "subject": "",
        "body_text": "",
        "body_html": "",
        "headers": {},
        "attachments": [],
    }


def _failure(row: OutboundEmail, exc: Exception) -> dict:
    last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        return {"status": MailStatus.FAILED, "last_error": last_error}
    return {
        "status": MailStatus.QUEUED,
        "last_error": last_error,
        "next_attempt_at": timezone.now() + _backoff(row.attempts),
    }


def deliver_due(*, limit: int = 100) -> int:
    """Deliver up to `limit` due messages, one claim at a time; return how many were attempted.

    Side effects: each claimed row ends as sent, queued again with a later
    `next_attempt_at`, or failed once it has used OUTBOX_MAX_ATTEMPTS. Safe to run
    in many workers at once: each message is handed to the mail server once.
    """
    _fail_abandoned()
    connection = None
    attempted = 0
    while attempted < limit and (claim := _claim_one()) is not None:
        connection = connection or get_connection(
            settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False
        )
        _deliver_claimed(claim, connection)
        attempted += 1
    return attempted


def retry(*, emails: Iterable[OutboundEmail]) -> int:
    """Put failed or waiting messages back at the front of the queue; return how many.

    A message a worker is sending right now (its row is locked) is left alone: the
    retry neither waits for the mail server nor sends it a second time.
    """
    ids = [email.id for email in emails]
    with transaction.atomic():
        free = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(id__in=ids)
            .exclude(status=MailStatus.SENT)
            .values_list("id", flat=True)
        )
        # Clearing the token takes the row from a worker that has claimed but not
        # yet locked it: that worker then finds its claim gone and sends nothing.
        return OutboundEmail.objects.filter(id__in=list(free)).update(
            status=MailStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            claim_token=None,
        )
