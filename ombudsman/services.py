"""Every write of the ombudsman app, and every read of a concern's text (each is logged)."""

import logging
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.identity import canonical_email
from accounts.models import User
from gds_portal.mail import SENSITIVE_HEADER, send_template_mail
from gds_portal.offices import OfficeChange
from gds_portal.once import claim_token
from ombudsman import crypto
from ombudsman.enums import AccessAction, ConcernStatus, ReporterKind
from ombudsman.models import (
    MAX_RETENTION_DAYS,
    AccessLogEntry,
    Concern,
    ConcernFormToken,
    OfficeSettings,
    Reply,
    ReplyFormToken,
    ReporterAnswerToken,
)
from ombudsman.rules import allowed
from ombudsman.selectors import current_assignment, holder_account, is_current_holder

log = logging.getLogger(__name__)

# Case codes and passphrases: no 0/O or 1/I/L, so they can be read aloud and retyped.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CASE_CODE_GROUPS, PASSPHRASE_GROUPS, GROUP = 2, 6, 4  # 8 and 24 letters: ~39 and ~119 bits
ADDRESS_SALT = "ombudsman.address"


def _groups(count: int) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(count))


def new_case_code() -> str:
    return _groups(CASE_CODE_GROUPS).upper()


def new_passphrase() -> str:
    return _groups(PASSPHRASE_GROUPS)


def normalise_code(text: str) -> str:
    """What the reporter typed, as stored ("ABCD-EFGH"): compatibility forms (full-width
    letters) folded by NFKC, case ignored, every space, hyphen or other separator
    dropped and the one hyphen put back."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    letters = "".join(ch for ch in folded if ch.isalnum()).upper()
    if len(letters) == GROUP * CASE_CODE_GROUPS:
        return "-".join(letters[i : i + GROUP] for i in range(0, len(letters), GROUP))
    return letters


def normalise_passphrase(text: str) -> str:
    return "".join(str(text).split()).lower()


# --- A visitor's address -----------------------------------------------------------


def address_link_token(email: str) -> str:
    """The mailed link's token: the address encrypted (crypto.seal_for_link), not merely
    signed, so the link in a mailbox, an address bar or a server log reads as nothing."""
    return crypto.seal_for_link(ADDRESS_SALT, canonical_email(email))


def address_from_token(token: str, *, max_age: int) -> str | None:
    """The address a link verified, or None if it is forged or expired."""
    if len(token) > 2000:
        return None
    return crypto.open_link(ADDRESS_SALT, token, max_age=max_age)


def address_verification_send(*, email: str) -> None:
    """Mail a signed, expiring link that lets whoever reads `email` raise a concern from it.

    Side effects: one outbox row, marked sensitive (it carries a one-time secret), whose
    text says only that the link opens the ombudsman's form. Nothing is stored about
    the address: a link never opened leaves no trace but the mail.
    """
    path = reverse("ombudsman:raise") + "?" + f"address={address_link_token(email)}"
    send_template_mail(
        "ombudsman/verify-address",
        to=[email],
        context={"link_path": path},
        headers={SENSITIVE_HEADER: "1"},
    )


# --- Raising a concern ----------------------------------------------------------


@dataclass
class Raised:
    """What concern_raise did; `replayed` when its form had been sent before."""

    case_code: str
    replayed: bool = False
    kind: str = ""
    passphrase: str = field(default="", repr=False)


@transaction.atomic
def concern_raise(
    *,
    text: str,
    token: uuid.UUID,
    case_code: str,
    passphrase: str,
    member: User | None = None,
    email: str = "",
) -> Raised:
    """Store a new concern, encrypted, once per form.

    `member` (a user with a verified address) for a named concern; `email` (an address
    a signed link verified) for a visitor's; neither for an anonymous one, which then
    stores no account, no address and no token owner. `case_code` and `passphrase`
    were generated when the form was shown (so that a form sent twice shows the same
    pair); the passphrase is stored only as a password hash.

    Side effects: a ConcernFormToken row (no user, the day only); the Concern row,
    marked as news for the ombudsman (mailed later by `ombudsman_notify`, never now:
    a notice queued now would date the concern to the second). Raises
    crypto.EncryptionUnavailable, before anything is written, without a usable key.
    The same form sent again writes and mails nothing and answers with its case code.
    """
    if member is not None and email:
        raise ValueError("a concern is named by an account or an address, not both")
    ciphertext = crypto.encrypt(text)
    address = crypto.encrypt(canonical_email(email)) if email else None
    if earlier := claim_token(ConcernFormToken, token=token, by=None, case_code=case_code):
        made = Concern.objects.filter(case_code=earlier.case_code).first()
        kind = made.reporter_kind if made else ReporterKind.ANONYMOUS
        return Raised(case_code=earlier.case_code, replayed=True, kind=kind)
    kind = (
        ReporterKind.MEMBER if member else ReporterKind.ADDRESS if email else ReporterKind.ANONYMOUS
    )
    if Concern.objects.filter(case_code=case_code).exists():
        # Astronomically rare for a form we made; a hand-made POST naming a taken code
        # gets a fresh one rather than an answer saying the code exists.
        case_code = new_case_code()
    ConcernFormToken.objects.filter(token=token).update(case_code=case_code)
    concern = Concern(
        case_code=case_code,
        passphrase_hash="" if member else make_password(passphrase),
        reporter_kind=kind,
        reporter=member,
        reporter_email_encrypted=address,
        text_encrypted=ciphertext,
    )
    concern.full_clean(exclude=["text_encrypted", "reporter_email_encrypted"])
    concern.save()
    return Raised(case_code=case_code, kind=kind, passphrase="" if member else passphrase)


@transaction.atomic
def ombudsman_notify() -> int:
    """Tell the ombudsman how many cases have news (new concerns, reporters' answers)
    since the last notice: one mail, no case codes and no text. Run by a scheduled
    command (docs/ombudsman.md), so the mail's instant says nothing about when any one
    concern arrived. Side effects: at most one outbox row; the cases counted are marked
    as told. Without an office-holder nothing is marked, and the next run tells the
    next holder. Returns how many cases the notice named (0: no mail)."""
    holder = holder_account()
    if holder is None or not holder.is_active:
        return 0
    pending = Concern.objects.select_for_update().filter(notice_pending=True)
    count = len(pending.values_list("pk", flat=True))
    if count:
        pending.update(notice_pending=False)
        # The list, not a case: codes in a mail would sit in the recipient's mailbox.
        context = {"cases_path": reverse("ombudsman:cases"), "count": count}
        send_template_mail("ombudsman/new-concern", to=[holder.email], context=context)
    return count


@transaction.atomic
def holder_change_notify() -> bool:
    """If the office is held by another account than at the last run, say so.

    Run by `ombudsman_notify` before the news notice. Side effects: the office
    settings' `known_holder`; one AccessLogEntry (the office changed hands; actor:
    the new holder's account, or none when the office is vacant or its holder has
    no linked account); and a mail to the outgoing holder at their address, naming
    the new holder (public on /ombudsman/) and the day: an ombudsman displaced by a
    term they did not expect (a committee member appointing themself) is told.
    Returns whether the holder changed.
    """
    office = OfficeSettings.objects.select_for_update().get(pk=OfficeSettings.get_solo().pk)
    holding = current_assignment()
    holder_id = holding.user_id if holding else None
    if office.known_holder_id == holder_id:
        return False
    outgoing = office.known_holder
    office.known_holder_id = holder_id
    office.save(update_fields=["known_holder"])
    AccessLogEntry.objects.create(
        action=AccessAction.HOLDER_CHANGED, actor=User.objects.filter(pk=holder_id).first()
    )
    if outgoing is not None and outgoing.is_active:
        context = {
            "successor": holding.name if holding else "",
            "since": holding.starts_on if holding else None,
            "office_path": reverse("ombudsman:home"),
        }
        send_template_mail("ombudsman/office-passed", to=[outgoing.email], context=context)
    return True


@transaction.atomic
def office_changed(change: OfficeChange) -> None:
    """The registry's listener (gds_portal.offices.guard): the elections app changed a
    term of the office, or linked a holder's profile; called once that committed.

    Side effects: one AccessLogEntry at once (the office's terms changed; actor: who
    made the change; `detail`: what changed), seen by the holder and every successor;
    a mail (private domain) to every active account that held the office before the
    change, holds it now, or was named by the terms changed; the office settings'
    `known_holder` (so the scheduled run does not tell the same change twice).
    """
    by = User.objects.filter(pk=change.by).first() if change.by else None
    AccessLogEntry.objects.create(
        action=AccessAction.TERMS_CHANGED, actor=by, detail=change.text[:500]
    )
    holding = current_assignment()
    holder_id = holding.user_id if holding else None
    OfficeSettings.objects.filter(pk=OfficeSettings.get_solo().pk).update(known_holder=holder_id)
    told = {*change.holders_before, *change.affected, *([holder_id] if holder_id else [])}
    context = {"change": change.text, "log_path": reverse("ombudsman:log")}
    for user in User.objects.filter(pk__in=told, is_active=True).order_by("pk"):
        send_template_mail("ombudsman/office-terms-changed", to=[user.email], context=context)


def holder_account_changed(
    sender: object, request: object = None, user: User | None = None, **kwargs: object
) -> None:
    """allauth's password/email signals: if `user` holds the office, mail them (at the
    old and the new address alike) that their account changed. No concern is named."""
    if user is None or not is_current_holder(user):
        return
    addresses = [user.email]
    for key in ("from_email_address", "to_email_address"):
        # allauth passes EmailAddress objects; only their address is read.
        address = getattr(kwargs.get(key), "email", None)
        if isinstance(address, str) and address not in addresses:
            addresses.append(address)
    send_template_mail(
        "ombudsman/account-changed",
        to=addresses,
        context={"log_path": reverse("ombudsman:log")},
    )


def session_tag(session_key: str | None) -> str:
    """A short keyed hash of a sign-in session: tells sessions apart in the access log,
    cannot be turned back into the session key (the cookie)."""
    if not session_key:
        return ""
    return salted_hmac("ombudsman.session", session_key).hexdigest()[:12]


def _day_start() -> datetime:
    return timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)


# --- Reading ----------------------------------------------------------------------


@dataclass
class CaseFile:
    """A concern's text and replies, decrypted for one reader."""

    concern: Concern
    text: str
    replies: list[tuple[Reply, str]]


def _decrypted(concern: Concern) -> CaseFile:
    # In the order written (pk): a reporter's answer is stamped with its day only.
    replies = list(concern.replies.select_related("author").order_by("pk"))
    return CaseFile(
        concern=concern,
        text=crypto.decrypt(concern.text_encrypted),
        replies=[(reply, crypto.decrypt(reply.text_encrypted)) for reply in replies],
    )


def _log(
    concern: Concern | None,
    action: str,
    actor: User | None = None,
    case_code: str = "",
    session: str = "",
) -> None:
    AccessLogEntry.objects.create(
        concern=concern,
        case_code=case_code or (concern.case_code if concern else ""),
        action=action,
        actor=actor,
        session=session,
    )


@transaction.atomic
def concern_read(*, concern: Concern, by: User, session: str = "") -> CaseFile:
    """The ombudsman reads a concern.

    Side effects: one AccessLogEntry (read, by `by`, through sign-in `session`, a
    `session_tag`), committed with the page; the concern is no longer unread. Raises
    PermissionDenied for anyone but the current ombudsman, before decrypting.
    """
    if not allowed(by, "ombudsman.handle_concerns"):
        raise PermissionDenied
    _log(concern, AccessAction.READ, by, session=session)
    Concern.objects.filter(pk=concern.pk, unread=True).update(unread=False)
    return _decrypted(concern)


@transaction.atomic
def concern_read_by_reporter(*, concern: Concern, by: User | None = None) -> CaseFile:
    """The reporter reads their concern and its replies (signed in, or with the case
    code and passphrase, which the caller has checked). Side effects: one AccessLogEntry
    (reporter read; the member for a named concern, no one for a case code)."""
    entry_at = timezone.now()
    if by is None:
        # A case-code read keeps its day only: an instant could be joined to a signed-in
        # visitor's other traces, which would undo the concern's anonymity.
        entry_at = _day_start()
    AccessLogEntry.objects.create(
        concern=concern,
        case_code=concern.case_code,
        action=AccessAction.REPORTER_READ,
        actor=by,
        at=entry_at,
    )
    return _decrypted(concern)


def concern_for_passphrase(*, case_code: str, passphrase: str) -> Concern | None:
    """The concern whose case code and passphrase these are, or None (either wrong).

    A missing case still runs the hasher once, so the answer takes as long whether
    or not the case exists.
    """
    concern = Concern.objects.filter(case_code=normalise_code(case_code)).first()
    if concern is None or not concern.passphrase_hash:
        make_password(passphrase)
        return None
    if not check_password(normalise_passphrase(passphrase), concern.passphrase_hash):
        return None
    return concern


# --- Answering --------------------------------------------------------------------


@transaction.atomic
def concern_reply(
    *, concern: Concern, text: str, by: User, token: uuid.UUID, session: str = ""
) -> Reply | None:
    """The ombudsman answers a concern, once per form.

    Side effects: a ReplyFormToken; the Reply (encrypted); the concern's last activity
    set to today (its retention restarts); an AccessLogEntry (replied); and, for a
    member or a visitor with an address, one mail saying that a reply is waiting, with
    a link — never the reply or the concern, which the outbox would keep in plaintext.
    Returns None when the form had been sent before.
    """
    if not allowed(by, "ombudsman.handle_concerns"):
        raise PermissionDenied
    ciphertext = crypto.encrypt(text)
    if claim_token(ReplyFormToken, token=token, by=by):
        return None
    reply = Reply.objects.create(concern=concern, text_encrypted=ciphertext, author=by)
    ReplyFormToken.objects.filter(token=token).update(reply=reply)
    Concern.objects.filter(pk=concern.pk).update(last_activity_on=timezone.localdate())
    _log(concern, AccessAction.REPLIED, by, session=session)
    _notify_reporter(concern)
    return reply


@transaction.atomic
def reporter_answer(
    *, concern: Concern, text: str, token: uuid.UUID, by: User | None = None
) -> Reply | None:
    """The reporter answers the ombudsman on their case, once per form (`by`: the
    member of a named concern; None for a case-code reader, whom the caller checked).

    Side effects: a ReplyFormToken (no user); the Reply (encrypted, from the reporter,
    stamped with its day only, like every trace of a case-code reader); the concern's
    last activity set to today and marked as news for the ombudsman (told by the next
    `ombudsman_notify`, without text); an AccessLogEntry (answered by the reporter).
    Returns None when the form had been sent before.
    """
    ciphertext = crypto.encrypt(text)
    if claim_token(ReporterAnswerToken, token=token, by=None):
        return None
    day = _day_start()
    reply = Reply.objects.create(
        concern=concern, text_encrypted=ciphertext, from_reporter=True, sent_at=day
    )
    ReporterAnswerToken.objects.filter(token=token).update(reply=reply)
    Concern.objects.filter(pk=concern.pk).update(
        last_activity_on=timezone.localdate(), unread=True, notice_pending=True
    )
    AccessLogEntry.objects.create(
        concern=concern,
        case_code=concern.case_code,
        action=AccessAction.REPORTER_REPLIED,
        actor=by,
        at=timezone.now() if by is not None else day,
    )
    return reply


def _notify_reporter(concern: Concern) -> None:
    if concern.reporter_kind == ReporterKind.MEMBER and concern.reporter:
        to, path = concern.reporter.email, reverse("ombudsman:my_case", args=[concern.case_code])
    elif concern.reporter_kind == ReporterKind.ADDRESS and concern.reporter_email_encrypted:
        to, path = crypto.decrypt(concern.reporter_email_encrypted), reverse("ombudsman:check")
    else:
        return  # anonymous: the reply waits behind the case code
    send_template_mail("ombudsman/reply-waiting", to=[to], context={"path": path})


@transaction.atomic
def concern_set_status(*, concern: Concern, status: str, by: User, session: str = "") -> None:
    """Close or reopen a concern. Side effects: the status, and an AccessLogEntry."""
    if not allowed(by, "ombudsman.handle_concerns"):
        raise PermissionDenied
    status = ConcernStatus(status)
    if (
        Concern.objects.filter(pk=concern.pk)
        .exclude(status=status)
        .update(status=status, last_activity_on=timezone.localdate())
    ):
        action = AccessAction.CLOSED if status == ConcernStatus.CLOSED else AccessAction.REOPENED
        _log(concern, action, by, session=session)


@transaction.atomic
def retention_set(*, days: int, by: User) -> None:
    """The ombudsman sets how long concerns are kept after their last activity.
    Side effects: the office settings row, and an AccessLogEntry (no case)."""
    if not allowed(by, "ombudsman.handle_concerns"):
        raise PermissionDenied
    if days < 30:
        raise ValidationError("Keep concerns for at least 30 days.")
    office = OfficeSettings.get_solo()
    if office.retention_days != days:
        office.retention_days = days
        office.save()
        _log(None, AccessAction.RETENTION_CHANGED, by, case_code=f"{days} days")


def concerns_delete_expired(*, today: date | None = None) -> list[str]:
    """Delete every concern whose last activity is older than the retention period.

    Side effects: the concerns and their replies deleted, one AccessLogEntry each
    (deleted; no actor), and a log line naming how many. Idempotent: a second run the
    same day finds nothing. Returns the deleted case codes.
    """
    today = today or timezone.localdate()
    # Capped: a period saved before the form's bound (or written in the database) must
    # not overflow the date arithmetic and stop every deletion.
    days = min(OfficeSettings.get_solo().retention_days, MAX_RETENTION_DAYS)
    cutoff = today - timedelta(days=days)
    with transaction.atomic():
        expired = list(
            Concern.objects.select_for_update(skip_locked=True)
            .filter(last_activity_on__lt=cutoff)
            .values_list("pk", "case_code")
        )
        for _pk, code in expired:
            _log(None, AccessAction.DELETED, case_code=code)
        Concern.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
    log.info(
        "Ombudsman retention: deleted %d concern(s) inactive since before %s.", len(expired), cutoff
    )
    return [code for _, code in expired]


def key_rotate(*, batch_size: int = 200) -> int:
    """Re-encrypt every concern, address and reply under the first configured key.

    Side effects: rewrites the ciphertext columns, `batch_size` rows per transaction.
    Returns how many values were rewritten; run it until the old key can be removed.
    """
    rewritten = 0
    for model, columns in (
        (Concern, ("text_encrypted", "reporter_email_encrypted")),
        (Reply, ("text_encrypted",)),
    ):
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", *columns)[:batch_size]
                )
                for row in rows:
                    for column in columns:
                        if value := getattr(row, column):
                            setattr(row, column, crypto.rotate(value))
                            rewritten += 1
                    row.save(update_fields=list(columns))
            if len(rows) < batch_size:
                break
            last = rows[-1].pk
    return rewritten
