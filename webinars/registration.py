"""Registering for a webinar: members in one click, guests with a double opt-in.

Every write that takes, gives up or moves up a place locks the webinar's row first
(`_locked`), so the places of one webinar are handed out one request at a time: two
people sending the last place's form together get one place and one turn on the
waiting list, never two places. The unique (webinar, email_key) constraint makes
the address the person, whoever registers it and however it is spelled.

Links in mail are signed (django.core.signing) with the registration and its
address; the join link travels only in mail to confirmed registrants and on the
webinar page of a signed-in confirmed registrant.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from gds_portal.mail import Attachment, send_template_mail
from webinars.enums import ACTIVE_REGISTRATION, RegistrationStatus
from webinars.feeds import registrant_calendar
from webinars.links import registration_for_signed, signed_url
from webinars.models import Registration, Webinar
from webinars.replays import no_replay_mail_url

CONFIRM_SALT = "webinars.registration.confirm"
CANCEL_SALT = "webinars.registration.cancel"
# A guest confirms within a week or registers again.
CONFIRM_MAX_AGE = timedelta(days=7)
# Long enough for anyone who registers months ahead; every reminder carries a fresh one.
CANCEL_MAX_AGE = timedelta(days=400)
# The reminders: (column that records the send, how long before the start).
DAY_LEAD = timedelta(hours=24)
HOUR_LEAD = timedelta(hours=1)


class RegistrationClosed(Exception):
    """The webinar takes no registrations (not published, cancelled, over, or external)."""


def confirm_url(registration: Registration) -> str:
    return signed_url("webinars:registration_confirm", registration, CONFIRM_SALT)


def cancel_url(registration: Registration) -> str:
    return signed_url("webinars:registration_cancel", registration, CANCEL_SALT)


def registration_for_token(token: str, *, slug: str, cancel: bool) -> Registration | None:
    """The registration a confirm (or cancel) link names; None if forged, expired or
    for an address the registration no longer has."""
    salt, max_age = (CANCEL_SALT, CANCEL_MAX_AGE) if cancel else (CONFIRM_SALT, CONFIRM_MAX_AGE)
    return registration_for_signed(token, slug=slug, salt=salt, max_age=max_age)


# --- Mail --------------------------------------------------------------------


def _context(registration: Registration, **extra: object) -> dict[str, object]:
    webinar = registration.webinar
    return {
        "registration": registration,
        "webinar": webinar,
        "webinar_url": settings.SITE_URL + webinar.get_absolute_url(),
        "cancel_url": cancel_url(registration),
        "no_replay_mail_url": no_replay_mail_url(registration),
        **extra,
    }


def _calendar(registration: Registration) -> list[Attachment]:
    webinar = registration.webinar
    content = registrant_calendar(webinar)
    return [Attachment(f"{webinar.slug}.ics", content, "text/calendar")]


def _mail_place(registration: Registration, *, moved_up: bool = False) -> None:
    """The mail that says where a registration stands: a place (with the join link and
    the .ics) or a turn on the waiting list (neither)."""
    if registration.status == RegistrationStatus.CONFIRMED:
        send_template_mail(
            "webinars/registration-confirmed",
            to=[registration.email],
            context=_context(registration, moved_up=moved_up),
            attachments=_calendar(registration),
        )
    elif registration.status == RegistrationStatus.WAITING:
        send_template_mail(
            "webinars/registration-waiting",
            to=[registration.email],
            context=_context(registration),
        )


def _mail_confirm_request(registration: Registration) -> None:
    send_template_mail(
        "webinars/registration-confirm",
        to=[registration.email],
        context=_context(registration, confirm_url=confirm_url(registration)),
    )


# --- Places --------------------------------------------------------------------


def _locked(webinar: Webinar) -> Webinar:
    """The webinar's row, locked until the transaction ends (see the module docstring)."""
    return Webinar.objects.select_for_update().get(pk=webinar.pk)


def _check_open(webinar: Webinar) -> None:
    if not webinar.open_for_registration:
        raise RegistrationClosed(webinar.title)


def _places_left(webinar: Webinar) -> int | None:
    """Free places; None for no limit. Call with the webinar locked."""
    if webinar.capacity is None:
        return None
    taken = webinar.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(webinar.capacity - taken, 0)


def _take_place(registration: Registration, webinar: Webinar) -> None:
    left = _places_left(webinar)
    full = left is not None and left < 1
    registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    registration.queued_at = timezone.now()
    registration.cancelled_at = None


def _existing(webinar: Webinar, key: str) -> Registration | None:
    return Registration.objects.filter(webinar=webinar, email_key=key).first()


@transaction.atomic
def registration_member(*, webinar: Webinar, user: User) -> Registration:
    """Register a signed-in member with a verified address, in one click.

    Side effects: creates or reactivates the address's registration (a guest's row for
    the same address becomes the member's), confirmed or on the waiting list, and
    queues the mail that says which. Already registered: nothing changes, no mail.
    Raises RegistrationClosed.
    """
    webinar = _locked(webinar)
    _check_open(webinar)
    key = canonical_email(user.email)
    registration = _existing(webinar, key) or Registration(webinar=webinar, email_key=key)
    registration.webinar = webinar
    if registration.status in ACTIVE_REGISTRATION:
        if registration.user_id is None:
            registration.user = user
            registration.save(update_fields=["user"])
        return registration
    registration.user = user
    registration.name = user.full_name or user.email
    registration.email = user.email
    _take_place(registration, webinar)
    registration.save()
    _mail_place(registration)
    return registration


@transaction.atomic
def registration_guest(*, webinar: Webinar, name: str, email: str) -> Registration:
    """Register a guest: pending until they follow the link mailed to them.

    Side effects: creates (or, if pending or cancelled, renews) the address's
    registration as pending and queues the confirmation request. An address that
    already holds a place or a turn gets its current standing mailed again instead,
    so the form answers every address alike (it tells no one who is registered).
    Raises RegistrationClosed.
    """
    webinar = _locked(webinar)
    _check_open(webinar)
    key = canonical_email(email)
    registration = _existing(webinar, key) or Registration(webinar=webinar, email_key=key)
    registration.webinar = webinar
    if registration.status in ACTIVE_REGISTRATION:
        _mail_place(registration)
        return registration
    registration.name = name
    registration.email = email
    registration.status = RegistrationStatus.PENDING
    registration.save()
    _mail_confirm_request(registration)
    return registration


@transaction.atomic
def registration_confirm(*, registration: Registration) -> Registration:
    """A guest followed their confirmation link: give them a place or a turn.

    Side effects: the registration becomes confirmed or waiting, and the mail that says
    which is queued (a place's with the join link and .ics). Confirming again changes
    nothing; a cancelled registration stays cancelled. Raises RegistrationClosed.
    """
    webinar = _locked(registration.webinar)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.webinar = webinar
    if registration.status != RegistrationStatus.PENDING:
        return registration
    _check_open(webinar)
    _take_place(registration, webinar)
    registration.save(update_fields=["status", "queued_at", "cancelled_at"])
    _mail_place(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Give up a registration (from a signed link or the member's button).

    Side effects: the registration becomes cancelled (no reminders go to it); if it
    held a place, the first people on the waiting list move up and are mailed. Returns
    those who moved up. Cancelling twice changes nothing.
    """
    webinar = _locked(registration.webinar)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    held_place = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _move_up(webinar) if held_place else []


def _move_up(webinar: Webinar) -> list[Registration]:
    """Give free places to the waiting list, first come first served. Webinar locked."""
    if webinar.is_cancelled or webinar.has_ended:
        return []
    left = _places_left(webinar)
    waiting = webinar.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "queued_at", "id"
    )
    moved = list(waiting if left is None else waiting[:left])
    for registration in moved:
        registration.webinar = webinar
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        _mail_place(registration, moved_up=True)
    return moved


@transaction.atomic
def registration_fill_places(*, webinar: Webinar) -> list[Registration]:
    """After the committee raised or removed the capacity: move the waiting list up.

    Side effects: as for a cancellation's moving up (rows updated, mail queued).
    """
    return _move_up(_locked(webinar))


# --- Reminders ------------------------------------------------------------------


def _due_reminders(column: str, now: datetime) -> QuerySet[Registration]:
    lead = DAY_LEAD if column == "day_reminder_at" else HOUR_LEAD
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        webinar__is_published=True,
        webinar__is_cancelled=False,
        webinar__start_at__gt=now,
        webinar__start_at__lte=now + lead,
        **{f"{column}__isnull": True},
    )
    if column == "day_reminder_at":
        # Within the last hour only the 1-hour reminder goes: one mail, not two at once.
        due = due.filter(webinar__start_at__gt=now + HOUR_LEAD)
        # Someone who registered (or confirmed) less than 24 hours ahead has just had
        # the confirmation mail: a "24 hours to go" would be wrong and one mail too many.
        # Only the 1-hour reminder goes to them.
        due = due.filter(queued_at__lte=F("webinar__start_at") - DAY_LEAD)
    return due.select_related("webinar").order_by("id")


def registration_send_reminders(*, now: datetime | None = None) -> int:
    """Remind confirmed registrants 24 hours and 1 hour before the start, once each.

    Side effects: for each reminder due, its column is set by a conditional update (the
    claim) and one mail is queued, in one transaction: a second run, even at the same
    moment, finds the column set and sends nothing. Cancelled and unconfirmed
    registrations get none. Returns how many mails were queued.
    """
    now = now or timezone.now()
    sent = 0
    for column, lead in (("day_reminder_at", "24 hours"), ("hour_reminder_at", "1 hour")):
        for registration in _due_reminders(column, now):
            with transaction.atomic():
                claimed = Registration.objects.filter(
                    pk=registration.pk,
                    status=RegistrationStatus.CONFIRMED,
                    **{f"{column}__isnull": True},
                ).update(**{column: now})
                if claimed:
                    send_template_mail(
                        "webinars/registration-reminder",
                        to=[registration.email],
                        context=_context(registration, lead=lead),
                    )
                    sent += 1
    return sent


# --- The webinar is cancelled -------------------------------------------------------


def registration_mail_cancellation(*, webinar: Webinar) -> int:
    """Tell everyone holding a place or a turn that the webinar is cancelled, once each.

    Side effects: for each confirmed or waiting registration not yet told, its
    `cancellation_mail_at` is set by a conditional update (the claim) and one mail
    without the join link is queued, in one transaction each: cancelling, restoring
    and cancelling again, or two saves at once, mail no one twice. Does nothing unless
    the webinar is cancelled and not yet over. Returns how many mails were queued.
    """
    webinar.refresh_from_db(fields=["is_cancelled", "start_at", "duration"])
    if not webinar.is_cancelled or webinar.has_ended:
        return 0
    now = timezone.now()
    to_tell = webinar.registrations.filter(
        status__in=ACTIVE_REGISTRATION, cancellation_mail_at__isnull=True
    ).order_by("id")
    sent = 0
    for registration in to_tell:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk,
                status__in=ACTIVE_REGISTRATION,
                cancellation_mail_at__isnull=True,
            ).update(cancellation_mail_at=now)
            if claimed:
                # Not _context(): no cancel link (nothing is left to cancel) and, like
                # every mail but a place's, no join link.
                send_template_mail(
                    "webinars/webinar-cancelled",
                    to=[registration.email],
                    context={
                        "registration": registration,
                        "webinar": webinar,
                        "webinar_url": settings.SITE_URL + webinar.get_absolute_url(),
                    },
                )
                sent += 1
    return sent
