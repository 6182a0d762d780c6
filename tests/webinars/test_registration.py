"""Registration: members in one click, guests by double opt-in, the waiting list,
signed cancel links and the reminders (issue 17, item 1)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from icalendar import Calendar

from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.enums import RegistrationStatus
from webinars.registration import (
    CANCEL_SALT,
    CONFIRM_MAX_AGE,
    registration_cancel,
    registration_confirm,
    registration_guest,
    registration_member,
    registration_send_reminders,
)

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/j/secret-room-4711"
START = datetime(2031, 5, 20, 16, 0, tzinfo=UTC)
LINK = re.compile(r"https?://\S+/webinars/\S+/registration/(confirm|cancel)/([^/\s]+)/")


def _webinar(**fields):
    fields = {"start_at": FUTURE, "join_url": JOIN, **fields}
    return WebinarFactory(**fields)


def _mails(template: str | None = None) -> list[OutboundEmail]:
    rows = OutboundEmail.objects.order_by("id")
    return list(rows.filter(template=template) if template else rows)


def _link(mail: OutboundEmail, kind: str) -> str:
    for match in LINK.finditer(mail.body_text):
        if match.group(1) == kind:
            return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    raise AssertionError(f"no {kind} link in {mail.body_text!r}")


def _statuses(webinar) -> list[tuple[str, str]]:
    return list(webinar.registrations.order_by("id").values_list("email", "status"))


# --- Members ----------------------------------------------------------------------


def test_member_registers_in_one_click_and_gets_the_ics(client_for, personas):
    webinar = _webinar()

    response = client_for(personas.member).post(f"/webinars/{webinar.slug}/register/")

    assert response.status_code == 302
    assert _statuses(webinar) == [("member@example.org", RegistrationStatus.CONFIRMED)]
    [mail] = _mails()
    assert mail.template == "webinars/registration-confirmed"
    assert mail.to == ["member@example.org"]
    assert JOIN in mail.body_text and JOIN in mail.body_html
    [attachment] = mail.attachments
    assert attachment["filename"] == f"{webinar.slug}.ics"
    assert attachment["mimetype"] == "text/calendar"
    event = Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]
    assert str(event["location"]) == JOIN
    assert JOIN in str(event["description"])


def test_member_sees_the_join_link_and_cancels_with_the_button(client_for, personas):
    webinar = _webinar()
    client = client_for(personas.member)
    assert JOIN not in client.get(webinar.get_absolute_url()).content.decode()
    client.post(f"/webinars/{webinar.slug}/register/")

    page = client.get(webinar.get_absolute_url())

    assert JOIN in page.content.decode()
    assert "private" in page["Cache-Control"]
    client.post(f"/webinars/{webinar.slug}/unregister/")
    assert _statuses(webinar) == [("member@example.org", RegistrationStatus.CANCELLED)]
    assert JOIN not in client.get(webinar.get_absolute_url()).content.decode()


def test_registering_twice_makes_one_registration_and_one_mail(client_for, personas):
    webinar = _webinar()
    client = client_for(personas.member)
    client.post(f"/webinars/{webinar.slug}/register/")
    client.post(f"/webinars/{webinar.slug}/register/")
    assert _statuses(webinar) == [("member@example.org", RegistrationStatus.CONFIRMED)]
    assert len(_mails()) == 1


def test_unverified_member_cannot_register(client_for, personas):
    webinar = _webinar()
    client_for(personas.unverified).post(f"/webinars/{webinar.slug}/register/")
    assert _statuses(webinar) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"start_at": datetime(2020, 1, 1, tzinfo=UTC)},
        {"is_cancelled": True},
        {"is_published": False},
        {"registration_url": "https://register.example.org/"},
    ],
    ids=["held", "cancelled", "draft", "external"],
)
def test_no_registration_for_a_webinar_that_is_not_open(client_for, personas, client, fields):
    webinar = _webinar(**fields)
    member = client_for(personas.member).post(f"/webinars/{webinar.slug}/register/")
    guest = client.post(
        f"/webinars/{webinar.slug}/register/", {"name": "Gus", "email": "gus@example.org"}
    )
    assert (member.status_code, guest.status_code) == (404, 404)
    assert _statuses(webinar) == []


# --- Guests: double opt-in ------------------------------------------------------------


def test_guest_counts_only_after_following_the_confirmation_link(client):
    webinar = _webinar()
    response = client.post(
        f"/webinars/{webinar.slug}/register/", {"name": "Gus Guest", "email": "Gus@Example.org"}
    )
    assert response["Location"] == f"/webinars/{webinar.slug}/register/sent/"
    assert _statuses(webinar) == [("Gus@Example.org", RegistrationStatus.PENDING)]
    [request] = _mails()
    assert request.template == "webinars/registration-confirm"
    # Not yet a registrant: no join link, no calendar file.
    assert JOIN not in request.body_text + request.body_html
    assert request.attachments == []

    confirm = _link(request, "confirm")
    assert client.get(confirm).status_code == 200  # a link scanner's GET changes nothing
    assert _statuses(webinar) == [("Gus@Example.org", RegistrationStatus.PENDING)]
    client.post(confirm)

    assert _statuses(webinar) == [("Gus@Example.org", RegistrationStatus.CONFIRMED)]
    confirmed = _mails("webinars/registration-confirmed")
    assert [m.to for m in confirmed] == [["Gus@Example.org"]]
    assert JOIN in confirmed[0].body_text
    assert JOIN in confirmed[0].attachments[0]["content"]
    client.post(confirm)  # again: nothing new
    assert len(_mails("webinars/registration-confirmed")) == 1


def test_confirmation_link_expires(client):
    webinar = _webinar()
    with time_machine.travel(datetime(2030, 1, 1, tzinfo=UTC), tick=False):
        registration_guest(webinar=webinar, name="Gus", email="gus@example.org")
        confirm = _link(_mails()[0], "confirm")
    with time_machine.travel(datetime(2030, 1, 1, tzinfo=UTC) + CONFIRM_MAX_AGE + timedelta(1)):
        response = client.post(confirm)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert _statuses(webinar) == [("gus@example.org", RegistrationStatus.PENDING)]


def test_guest_form_answers_a_registered_address_like_any_other(client, personas):
    webinar = _webinar()
    registration_member(webinar=webinar, user=personas.member)
    response = client.post(
        f"/webinars/{webinar.slug}/register/", {"name": "Intruder", "email": "MEMBER@example.org"}
    )
    assert response["Location"] == f"/webinars/{webinar.slug}/register/sent/"
    # The owner of the address is mailed their standing again; the name is not replaced.
    assert list(webinar.registrations.values_list("name", "status")) == [
        ("Mia Member", RegistrationStatus.CONFIRMED)
    ]
    assert [m.to for m in _mails()] == [["member@example.org"]] * 2


def test_guest_and_member_with_one_address_are_one_registration(personas):
    webinar = _webinar()
    guest = registration_guest(webinar=webinar, name="Mia", email=" member@EXAMPLE.org")
    registration_confirm(registration=guest)

    member = registration_member(webinar=webinar, user=personas.member)

    assert member.pk == guest.pk
    assert webinar.registrations.count() == 1
    assert member.user == personas.member
    # A pending guest row becomes the member's place in one click, too.
    other = _webinar()
    pending = registration_guest(webinar=other, name="Otto", email="other@example.org")
    placed = registration_member(webinar=other, user=personas.other_member)
    assert (placed.pk, placed.status) == (pending.pk, RegistrationStatus.CONFIRMED)


def test_guest_registration_shows_on_the_members_dashboard(client_for, personas):
    webinar = _webinar(title="Dashboard webinar")
    registration_confirm(
        registration=registration_guest(webinar=webinar, name="Mia", email="member@example.org")
    )
    mine = client_for(personas.member).get("/my/").content.decode()
    others = client_for(personas.other_member).get("/my/").content.decode()
    assert "Dashboard webinar" in mine
    assert "Dashboard webinar" not in others


# --- Cancelling -----------------------------------------------------------------


def test_cancel_link_cancels_only_on_post(client):
    webinar = _webinar()
    registration_member(webinar=webinar, user=UserFactory(email="ann@example.org"))
    cancel = _link(_mails()[0], "cancel")

    assert "Cancel my registration" in client.get(cancel).content.decode()
    assert _statuses(webinar) == [("ann@example.org", RegistrationStatus.CONFIRMED)]
    response = client.post(cancel)

    assert "Registration cancelled" in response.content.decode()
    assert _statuses(webinar) == [("ann@example.org", RegistrationStatus.CANCELLED)]


def test_forged_or_foreign_cancel_links_are_refused(client):
    webinar = _webinar()
    registration = registration_member(webinar=webinar, user=UserFactory(email="ann@example.org"))
    other = _webinar()
    data = {"r": registration.pk, "e": registration.email_key}
    forged = [
        signing.dumps(data, salt="not-ours"),  # signed for something else
        signing.dumps({**data, "e": "eve@example.org"}, salt=CANCEL_SALT),  # another address
        _link(_mails()[0], "cancel").split("/")[-2][:-2] + "xx",  # tampered
    ]
    urls = [f"/webinars/{webinar.slug}/registration/cancel/{token}/" for token in forged]
    # A genuine token on another webinar's address names nothing there.
    urls.append(_link(_mails()[0], "cancel").replace(webinar.slug, other.slug))

    for url in urls:
        response = client.post(url)
        assert response.status_code == 400, url
        assert "This link does not work" in response.content.decode()
    assert _statuses(webinar) == [("ann@example.org", RegistrationStatus.CONFIRMED)]


# --- Capacity and the waiting list -------------------------------------------------------


def test_waiting_list_moves_up_when_someone_cancels():
    webinar = _webinar(capacity=2)
    people = [UserFactory(email=f"p{n}@example.org") for n in range(4)]
    places = [registration_member(webinar=webinar, user=p) for p in people]
    assert [r.status for r in places] == ["confirmed", "confirmed", "waiting", "waiting"]
    waiting_mail = _mails("webinars/registration-waiting")
    assert [m.to for m in waiting_mail] == [["p2@example.org"], ["p3@example.org"]]
    assert all(JOIN not in m.body_text and not m.attachments for m in waiting_mail)

    moved = registration_cancel(registration=places[0])

    assert [r.email for r in moved] == ["p2@example.org"]
    assert _statuses(webinar) == [
        ("p0@example.org", "cancelled"),
        ("p1@example.org", "confirmed"),
        ("p2@example.org", "confirmed"),
        ("p3@example.org", "waiting"),
    ]
    [moved_mail] = _mails("webinars/registration-confirmed")[2:]
    assert moved_mail.to == ["p2@example.org"]
    assert moved_mail.subject.startswith("A place is free for you")
    assert JOIN in moved_mail.attachments[0]["content"]
    # Someone on the waiting list leaving moves nobody.
    assert registration_cancel(registration=places[3]) == []


def test_guest_confirming_into_a_full_webinar_waits(client):
    webinar = _webinar(capacity=1)
    registration_member(webinar=webinar, user=UserFactory(email="first@example.org"))
    guest = registration_guest(webinar=webinar, name="Gus", email="gus@example.org")
    assert registration_confirm(registration=guest).status == RegistrationStatus.WAITING


def test_raising_the_capacity_in_the_admin_moves_the_list_up(client_for, personas):
    from webinars.registration import registration_fill_places

    webinar = _webinar(capacity=1)
    for n in range(3):
        registration_member(webinar=webinar, user=UserFactory(email=f"q{n}@example.org"))
    webinar.capacity = 2
    webinar.save()
    assert [r.email for r in registration_fill_places(webinar=webinar)] == ["q1@example.org"]
    assert [s for _, s in _statuses(webinar)] == ["confirmed", "confirmed", "waiting"]


# --- Reminders ---------------------------------------------------------------------


def _reminders() -> list[tuple[str, str]]:
    rows = _mails("webinars/registration-reminder")
    return sorted((m.to[0], m.subject.split(":")[0]) for m in rows)


def test_reminders_go_once_each_24_hours_and_1_hour_before():
    webinar = _webinar(start_at=START)
    with time_machine.travel(START - timedelta(days=3), tick=False):
        for name in ("ann", "bob", "cy"):
            registration_member(webinar=webinar, user=UserFactory(email=f"{name}@example.org"))
        leaving = webinar.registrations.get(email="cy@example.org")
        registration_cancel(registration=leaving)
        pending = registration_guest(webinar=webinar, name="Pat", email="pat@example.org")
        assert registration_send_reminders() == 0  # three days ahead: nothing due
    assert pending.status == RegistrationStatus.PENDING

    for moment in (START - timedelta(hours=24), START - timedelta(hours=23)):
        with time_machine.travel(moment, tick=False):
            registration_send_reminders()
            registration_send_reminders()  # twice: nothing more
    assert _reminders() == [("ann@example.org", "In 24 hours"), ("bob@example.org", "In 24 hours")]

    for moment in (START - timedelta(hours=1), START - timedelta(minutes=30)):
        with time_machine.travel(moment, tick=False):
            registration_send_reminders()
            registration_send_reminders()
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        assert registration_send_reminders() == 0  # started: too late for any reminder

    assert _reminders() == [
        ("ann@example.org", "In 1 hour"),
        ("ann@example.org", "In 24 hours"),
        ("bob@example.org", "In 1 hour"),
        ("bob@example.org", "In 24 hours"),
    ]
    reminder = _mails("webinars/registration-reminder")[0]
    assert JOIN in reminder.body_text
    assert "/registration/cancel/" in reminder.body_text


def test_who_registers_within_24_hours_gets_only_the_1_hour_reminder():
    webinar = _webinar(start_at=START)
    with time_machine.travel(START - timedelta(hours=24, minutes=1), tick=False):
        registration_member(webinar=webinar, user=UserFactory(email="early@example.org"))
        guest = registration_guest(webinar=webinar, name="Gus", email="guest@example.org")
    with time_machine.travel(START - timedelta(hours=23), tick=False):
        registration_member(webinar=webinar, user=UserFactory(email="member@example.org"))
    # A guest counts from confirming: registered over a day ahead, confirmed 20 hours ahead.
    with time_machine.travel(START - timedelta(hours=20), tick=False):
        registration_confirm(registration=guest)
    for moment in (START - timedelta(hours=20), START - timedelta(hours=2)):
        with time_machine.travel(moment, tick=False):
            registration_send_reminders()
    assert _reminders() == [("early@example.org", "In 24 hours")]
    with time_machine.travel(START - timedelta(minutes=59), tick=False):
        registration_send_reminders()
        registration_send_reminders()
    assert _reminders() == [
        ("early@example.org", "In 1 hour"),
        ("early@example.org", "In 24 hours"),
        ("guest@example.org", "In 1 hour"),
        ("member@example.org", "In 1 hour"),
    ]


def test_the_command_sends_the_reminders(capsys):
    from django.core.management import call_command

    webinar = _webinar(start_at=START)
    with time_machine.travel(START - timedelta(days=2), tick=False):
        registration_member(webinar=webinar, user=UserFactory(email="ann@example.org"))
    with time_machine.travel(START - timedelta(minutes=50), tick=False):
        call_command("send_webinar_reminders")
        call_command("send_webinar_reminders")
    assert _reminders() == [("ann@example.org", "In 1 hour")]
    assert "Queued 1 webinar reminder(s)." in capsys.readouterr().out


def test_the_ics_reaches_the_recipient_as_an_attachment(personas, deliver_mail):
    webinar = _webinar()
    registration_member(webinar=webinar, user=personas.member)
    [message] = deliver_mail()
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{webinar.slug}.ics", "text/calendar")
    assert JOIN in content
