"""The outside tester's findings on the webinars' operations (issue 17), each kept."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from accounts.identity import address_problem, canonical_email
from gds_portal.models import OutboundEmail
from gds_portal.validators import validate_youtube_channel
from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FUTURE,
    FeedbackFactory,
    HostVolunteerFactory,
    SpeakerNominationFactory,
    WebinarFactory,
    feedback_closed,
    recently_held,
)
from webinars.admin import marked_message
from webinars.attendance import AttendanceFileError, plan_import
from webinars.enums import NominationStatus, RegistrationStatus
from webinars.feedback import feedback_closes_at
from webinars.forms import GuestRegistrationForm
from webinars.models import Registration, Webinar
from webinars.registration import confirm_url, registration_member
from webinars.replay_views import plan_views

pytestmark = pytest.mark.django_db

S = NominationStatus


# 1. An unclosed quote swallowed the rest of the file, silently.


@pytest.mark.parametrize(
    "text",
    [
        'Name,Email\n"abc,ab@example.com\nZed,zed@example.com\n',  # runs to the end
        'Name,Email\n"abc,ab@example.com\nZed,zed@example.com\nAl,"al@example.com"\n',
        'Name,Email\r\n"abc,ab@example.com\r\nZed,zed@example.com',
    ],
)
def test_an_unclosed_quote_is_reported_on_its_line_and_nothing_is_imported(text):
    webinar = WebinarFactory()
    Registration.objects.create(webinar=webinar, name="Zed", email="zed@example.com")
    with pytest.raises(AttendanceFileError, match=r"^Line 2: a quote opened here is never closed"):
        plan_import(webinar=webinar, text=text)
    assert not Registration.objects.filter(attended_at__isnull=False).exists()


def test_a_well_quoted_file_still_reads():
    webinar = WebinarFactory()
    text = 'Name,Email\n"Lovelace, Ada",ada@example.com\nZed,"zed@example.com"\n'
    plan = plan_import(webinar=webinar, text=text)
    assert plan.lines_read == 2
    assert plan.errors == []


def test_the_replay_views_import_reports_an_unclosed_quote_too():
    text = 'Content,Views\n"dQw4w9WgXcQ,12\nabcdefghijk,3\n'
    with pytest.raises(AttendanceFileError, match=r"^Line 2: a quote opened here is never closed"):
        plan_views(text)


# 2. A premature "scheduled" (and "matched") mail could not be taken back.


def _status_mails():
    return OutboundEmail.objects.filter(template__startswith="webinars/nomination-status")


@pytest.mark.parametrize(
    "webinar",
    [
        None,
        {"is_published": False, "start_at": None},
        {"is_published": False},
    ],
)
def test_a_speaker_is_scheduled_only_once_the_webinar_is_published_with_a_date(
    client_for, personas, webinar
):
    volunteer = HostVolunteerFactory(nominator=personas.other_member, status=S.ACCEPTED)
    nomination = SpeakerNominationFactory(
        nominator=personas.member,
        status=S.ACCEPTED,
        host_volunteer=volunteer,
        webinar=None if webinar is None else WebinarFactory(**webinar),
    )
    client = client_for(personas.webinar_committee)
    response = client.post(
        "/admin/webinars/speakernomination/",
        {"action": "mark_scheduled", "_selected_action": [nomination.pk]},
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        f"“{nomination}” cannot be marked scheduled yet: its webinar must first be published "
        "with its date. The status mail (sent once) tells the speaker and the host the date."
    ]
    nomination.refresh_from_db()
    volunteer.refresh_from_db()
    assert (nomination.status, volunteer.status) == (S.ACCEPTED, S.ACCEPTED)
    assert not _status_mails().exists()


def test_once_published_with_a_date_speaker_and_host_are_told_together(client_for, personas):
    volunteer = HostVolunteerFactory(nominator=personas.other_member, status=S.ACCEPTED)
    nomination = SpeakerNominationFactory(
        nominator=personas.member,
        status=S.ACCEPTED,
        host_volunteer=volunteer,
        webinar=WebinarFactory(),
    )
    client = client_for(personas.webinar_committee)
    response = client.post(
        "/admin/webinars/speakernomination/",
        {"action": "mark_scheduled", "_selected_action": [nomination.pk]},
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 marked scheduled."]
    volunteer.refresh_from_db()
    assert volunteer.status == S.MATCHED
    assert {m.subject for m in _status_mails()} >= {"Your offer to host: matched"}


# 3. Full-width addresses, and look-alikes in the guest form.


def test_the_import_reads_a_full_width_address():
    webinar = WebinarFactory()
    Registration.objects.create(
        webinar=webinar, name="U", email="unknown1@example.com", email_key="unknown1@example.com"
    )
    full_width = "\uff55\uff4e\uff4b\uff4e\uff4f\uff57\uff4e1@example.com"  # unknown1@…
    plan = plan_import(webinar=webinar, text=f"Attended,Name,Email,Minutes\nYes,x,{full_width},1\n")
    assert plan.errors == []
    registration = Registration.objects.get()
    assert [(p.row.email_key, p.registration_id) for p in plan.to_create] == [
        ("unknown1@example.com", registration.pk)
    ]


def test_the_guest_form_reads_a_full_width_address():
    full_width_bob = "\uff22\uff2f\uff22@example.org"
    form = GuestRegistrationForm(data={"name": "Bob", "email": full_width_bob})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "BOB@example.org"


def test_the_guest_form_refuses_a_mixed_script_address_as_sign_up_does():
    # Cyrillic "a" (U+0430) in a Latin word: read as paypal.com by a person.
    form = GuestRegistrationForm(data={"name": "Eve", "email": "eve@p\u0430ypal.com"})
    assert not form.is_valid()
    assert form.errors["email"] == [address_problem("eve@p\u0430ypal.com")]


# 4. A speaker looking before and after one more rating learnt that rating.


def test_speakers_see_the_ratings_only_once_the_window_has_closed(client_for, personas):
    speaker = personas.other_member
    webinar = recently_held(speakers=[PersonFactory(user=speaker)])
    for rating in (5, 4, 2):
        FeedbackFactory(registration__webinar=webinar, rating=rating)
    url = f"/webinars/{webinar.slug}/feedback/speakers/"
    html = client_for(speaker).get(url).content.decode()
    closes = feedback_closes_at(webinar)
    assert f"Attendees can rate this webinar until {closes:%-d %B %Y, %H:%M} UTC" in html
    assert "ratings-table" not in html and "3 ratings" not in html
    # The committee moderates: it sees them live.
    committee = client_for(personas.webinar_committee).get(url).content.decode()
    assert "3 ratings, 3.7 out of 5 on average." in committee
    Webinar.objects.filter(pk=webinar.pk).update(start_at=feedback_closed().start_at)
    html = client_for(speaker).get(url).content.decode()
    assert "3 ratings, 3.7 out of 5 on average." in html


# 5. Wording and small gaps.


def _registration(webinar, name, email, **fields):
    return Registration.objects.create(
        webinar=webinar, name=name, email=email, email_key=canonical_email(email), **fields
    )


def test_the_waiting_list_mail_carries_the_no_replay_mail_link(client_for, personas):
    webinar = WebinarFactory(start_at=FUTURE, capacity=1, registration_url="")
    _registration(webinar, "First", "first@example.org", status=RegistrationStatus.CONFIRMED)
    registration_member(webinar=webinar, user=personas.member)
    mail = OutboundEmail.objects.get(template="webinars/registration-waiting")
    assert "to hear nothing about it: http" in mail.body_text
    assert "no replay mail, thank you" in mail.body_html


def test_the_replay_mail_has_no_opt_out_of_itself():
    for name in ("replay-available-body.txt", "replay-available-body.html"):
        text = (settings.BASE_DIR / "templates/emails/webinars" / name).read_text()
        assert "no_replay_mail_url" not in text


def test_a_member_without_a_name_is_greeted_neutrally():
    registration = Registration(name="alice@example.org", email="alice@example.org")
    assert registration.greeting_name == ""
    assert Registration(name="Alice", email="a@example.org").greeting_name == "Alice"


def test_a_waiting_guest_on_the_confirm_page_is_told_where_they_stand(client):
    webinar = WebinarFactory(start_at=FUTURE)
    registration = _registration(
        webinar, "Gus", "gus@example.org", status=RegistrationStatus.WAITING
    )
    html = client.get(confirm_url(registration)).content.decode()
    assert "You have already confirmed: you are on the waiting list" in html
    assert "already confirmed: on the waiting list" not in html


def test_a_member_whose_window_closed_is_told_feedback_is_closed(client_for, personas):
    webinar = feedback_closed()
    _registration(
        webinar,
        "M",
        personas.member.email,
        user=personas.member,
        status=RegistrationStatus.CONFIRMED,
        attended_at=webinar.start_at,
    )
    response = client_for(personas.member).get(f"/webinars/{webinar.slug}/feedback/")
    assert response.status_code == 400
    assert "Feedback is closed" in response.content.decode()


@pytest.mark.parametrize(
    ("changed", "selected", "message"),
    [
        (1, 1, "1 marked attended."),
        (0, 1, "Nothing changed: the one selected was already attended."),
        (1, 3, "1 marked attended; 2 were already attended."),
        (2, 3, "2 marked attended; 1 was already attended."),
    ],
)
def test_the_marked_attended_message_fits_the_count(changed, selected, message):
    assert marked_message(changed, selected, "attended") == message


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.org@www.youtube.com/@abcd",
        "https://www.youtube.com:8443/@abcd",
        "https://user:pw@www.youtube.com/@abcd",
    ],
)
def test_the_youtube_channel_refuses_userinfo_and_ports(url):
    with pytest.raises(ValidationError) as refused:
        validate_youtube_channel(url)
    assert refused.value.code == "youtube_netloc"
