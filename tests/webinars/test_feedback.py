"""Feedback from attendees, its moderation and what speakers see (issue 17, item 6);
the member's confirm step before cancelling (left-over of item 1)."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command

from community.models import Person
from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FUTURE,
    FeedbackFactory,
    RegistrationFactory,
    WebinarFactory,
    feedback_closed,
    recently_held,
)
from webinars.enums import CommentStatus, RegistrationStatus
from webinars.feedback import (
    FEEDBACK_WINDOW,
    FeedbackClosed,
    approved_comments,
    feedback_moderate,
    feedback_save,
    feedback_send_requests,
    feedback_summary,
    feedback_url,
)
from webinars.models import Feedback, Registration

pytestmark = pytest.mark.django_db

START = datetime(2031, 5, 20, 16, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
LINK = re.compile(r"https?://\S+/webinars/\S+/feedback/[^/\s]+/")


def _member_registration(user, webinar, **fields):
    return RegistrationFactory(
        webinar=webinar, user=user, email=user.email, name=user.full_name, **fields
    )


def _post(client, url, rating, comment=""):
    return client.post(url, {"rating": str(rating), "comment": comment})


# --- Giving feedback --------------------------------------------------------------------


def test_attended_member_gives_and_changes_feedback(client_for, personas):
    webinar = recently_held()
    registration = _member_registration(personas.member, webinar, attended=True)
    client = client_for(personas.member)
    url = f"/webinars/{webinar.slug}/feedback/"

    assert "Tell us what you thought" in client.get(webinar.get_absolute_url()).content.decode()
    response = _post(client, url, 4, "Clear and useful.")
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.registration, feedback.rating, feedback.comment) == (
        registration,
        4,
        "Clear and useful.",
    )
    assert feedback.comment_status == CommentStatus.PENDING

    _post(client, url, 5, "Clear and useful.")
    assert list(Feedback.objects.values_list("rating", "comment")) == [(5, "Clear and useful.")]
    assert "Change your feedback" in client.get(webinar.get_absolute_url()).content.decode()


def test_rating_is_required_and_bounded(client_for, personas):
    webinar = recently_held()
    _member_registration(personas.member, webinar, attended=True)
    client = client_for(personas.member)
    url = f"/webinars/{webinar.slug}/feedback/"
    for rating in ("", "0", "6", "five"):
        response = client.post(url, {"rating": rating})
        assert response.status_code == 200
    assert Feedback.objects.count() == 0
    assert "Choose a rating from 1 to 5." in client.post(url, {}).content.decode()


def test_rating_is_a_fieldset_of_radio_buttons(client_for, personas):
    webinar = recently_held()
    _member_registration(personas.member, webinar, attended=True)
    html = client_for(personas.member).get(f"/webinars/{webinar.slug}/feedback/").content.decode()
    fieldset = re.search(r"<fieldset.*?</fieldset>", html, re.S)
    assert fieldset, html
    assert "How would you rate this webinar?" in fieldset.group(0)
    assert "<legend" in fieldset.group(0)
    radios = re.findall(r"<input[^>]*>", fieldset.group(0))
    assert len([r for r in radios if 'type="radio"' in r and 'name="rating"' in r]) == 5


def test_a_registrant_who_did_not_attend_cannot_give_feedback(client_for, personas):
    webinar = recently_held()
    _member_registration(personas.member, webinar)
    client = client_for(personas.member)
    url = f"/webinars/{webinar.slug}/feedback/"
    assert client.get(url).status_code == 404
    assert _post(client, url, 5).status_code == 404
    assert Feedback.objects.count() == 0
    assert "Tell us what you thought" not in client.get(webinar.get_absolute_url()).content.decode()


def test_feedback_closes_after_the_window():
    webinar = WebinarFactory(start_at=START)
    registration = RegistrationFactory(webinar=webinar, attended_at=END)
    with time_machine.travel(END + FEEDBACK_WINDOW - timedelta(minutes=1), tick=False):
        feedback_save(registration=registration, rating=3, comment="")
    with (
        time_machine.travel(END + FEEDBACK_WINDOW, tick=False),
        pytest.raises(FeedbackClosed),
    ):
        feedback_save(registration=registration, rating=1, comment="changed late")
    assert list(Feedback.objects.values_list("rating", "comment")) == [(3, "")]


def test_a_changed_comment_goes_back_to_moderation(personas):
    feedback = FeedbackFactory(registration__webinar=recently_held(), comment="Great", rating=5)
    feedback_moderate(
        feedback=feedback, status=CommentStatus.APPROVED, by=personas.webinar_committee
    )
    feedback_save(registration=feedback.registration, rating=4, comment="Great")
    feedback.refresh_from_db()
    assert (feedback.rating, feedback.comment_status) == (4, CommentStatus.APPROVED)
    feedback_save(registration=feedback.registration, rating=4, comment="Great, but long")
    feedback.refresh_from_db()
    assert (feedback.comment_status, feedback.moderated_by) == (CommentStatus.PENDING, None)


def test_only_the_committee_moderates(personas):
    feedback = FeedbackFactory(registration__webinar=recently_held(), comment="Hm")
    with pytest.raises(PermissionError):
        feedback_moderate(feedback=feedback, status=CommentStatus.APPROVED, by=personas.member)
    feedback.refresh_from_db()
    assert feedback.comment_status == CommentStatus.PENDING


# --- The thank-you mail and the guest's signed link ------------------------------------------


def _requests() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template="webinars/feedback-request").order_by("id"))


def test_feedback_request_goes_once_to_attendees_only():
    webinar = WebinarFactory(start_at=START, join_url="https://meet.example.org/j/secret")
    attended = RegistrationFactory(webinar=webinar, email="came@example.org", attended_at=END)
    RegistrationFactory(webinar=webinar, email="absent@example.org")
    already = RegistrationFactory(webinar=webinar, email="told@example.org", attended_at=END)
    cancelled = WebinarFactory(start_at=START, is_cancelled=True)
    RegistrationFactory(webinar=cancelled, email="x@example.org", attended_at=END)
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        FeedbackFactory(registration=already)
        assert feedback_send_requests() == 1
        assert feedback_send_requests() == 0
        call_command("send_webinar_reminders")
    mails = _requests()
    assert [m.to for m in mails] == [["came@example.org"]]
    assert "https://meet.example.org/j/secret" not in mails[0].body_text + mails[0].body_html
    attended.refresh_from_db()
    assert attended.feedback_request_at == END + timedelta(hours=1)


def test_no_feedback_request_after_the_window():
    webinar = WebinarFactory(start_at=START)
    RegistrationFactory(webinar=webinar, attended_at=END)
    with time_machine.travel(END + FEEDBACK_WINDOW + timedelta(minutes=1), tick=False):
        assert feedback_send_requests() == 0
    assert _requests() == []


def test_guest_gives_feedback_through_the_signed_link(client):
    webinar = WebinarFactory(start_at=START)
    guest = RegistrationFactory(webinar=webinar, email="gwen@example.org", attended_at=END)
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        feedback_send_requests()
        link = LINK.search(_requests()[0].body_text).group(0)
        path = urlsplit(link).path
        assert "How would you rate" in client.get(path).content.decode()
        response = _post(client, path, 2, "Too fast")
        assert "Thank you for your feedback" in response.content.decode()
    assert list(Feedback.objects.values_list("registration", "rating", "comment")) == [
        (guest.pk, 2, "Too fast")
    ]


def test_forged_or_foreign_feedback_links_are_refused(client):
    webinar = recently_held()
    other = recently_held()
    registration = RegistrationFactory(webinar=webinar, attended=True)
    good = urlsplit(feedback_url(registration)).path
    foreign = good.replace(webinar.slug, other.slug)
    for path in (
        good[:-3] + "x/",
        foreign,
        f"/webinars/{webinar.slug}/feedback/{registration.pk}/",
    ):
        assert _post(client, path, 5).status_code == 400
    assert Feedback.objects.count() == 0
    Registration.objects.filter(pk=registration.pk).update(attended_at=None)
    assert _post(client, good, 5).status_code == 400
    assert Feedback.objects.count() == 0


# --- What speakers see ---------------------------------------------------------------------


def _speaker_webinar(user, **fields):
    person = PersonFactory(user=user)
    return recently_held(speakers=[person], **fields)


def _rate(webinar, *ratings, comment=""):
    return [
        FeedbackFactory(registration__webinar=webinar, rating=r, comment=comment) for r in ratings
    ]


def test_summary_counts_mean_and_distribution():
    webinar = recently_held()
    _rate(webinar, 5, 4, 4, 1)
    summary = feedback_summary(webinar)
    assert (summary.count, summary.mean, summary.shown) == (4, 3.5, True)
    assert summary.distribution == [(1, 1), (2, 0), (3, 0), (4, 2), (5, 1)]


def test_speaker_sees_aggregates_and_only_approved_comments(client_for, personas):
    speaker = personas.other_member
    webinar = _speaker_webinar(speaker, start_at=feedback_closed().start_at)
    approved, pending, rejected = _rate(webinar, 5, 4, 2, comment="x")
    for feedback, text, status in (
        (approved, "Approved words", CommentStatus.APPROVED),
        (pending, "Pending words", CommentStatus.PENDING),
        (rejected, "Rejected words", CommentStatus.REJECTED),
    ):
        Feedback.objects.filter(pk=feedback.pk).update(comment=text, comment_status=status)
    html = client_for(speaker).get(f"/webinars/{webinar.slug}/feedback/speakers/").content.decode()
    assert "Approved words" in html
    assert "Pending words" not in html and "Rejected words" not in html
    assert "3 ratings, 3.7 out of 5 on average." in html
    assert '<svg class="gds-chart"' in html
    assert approved_comments(webinar) == ["Approved words"]


def test_aggregates_are_hidden_under_three_ratings(client_for, personas):
    webinar = _speaker_webinar(personas.other_member, start_at=feedback_closed().start_at)
    _rate(webinar, 1, 5)
    html = (
        client_for(personas.other_member)
        .get(f"/webinars/{webinar.slug}/feedback/speakers/")
        .content.decode()
    )
    assert "Fewer than 3 attendees have rated" in html
    assert "gds-chart" not in html and "ratings-table" not in html


def test_speaker_sees_nothing_when_sharing_is_off_or_of_other_webinars(client_for, personas):
    own_off = _speaker_webinar(personas.other_member, share_feedback_with_speakers=False)
    someone_elses = _speaker_webinar(UserFactory())
    client = client_for(personas.other_member)
    for webinar in (own_off, someone_elses):
        assert client.get(f"/webinars/{webinar.slug}/feedback/speakers/").status_code == 404
    assert "Feedback on" not in client.get("/my/").content.decode()


def test_speaker_my_gds_links_the_feedback_page(client_for, personas):
    webinar = _speaker_webinar(personas.other_member, title="My own talk")
    html = client_for(personas.other_member).get("/my/").content.decode()
    assert f'href="/webinars/{webinar.slug}/feedback/speakers/">Feedback on My own talk' in html


def test_a_person_not_linked_to_the_account_is_not_the_speaker(client_for, personas):
    person = PersonFactory(email=personas.other_member.email)  # same address, not linked
    webinar = recently_held(speakers=[person])
    response = client_for(personas.other_member).get(f"/webinars/{webinar.slug}/feedback/speakers/")
    assert response.status_code == 404
    assert Person.objects.filter(user=personas.other_member).count() == 0


# --- Admin: moderation --------------------------------------------------------------------------


def test_committee_approves_in_the_admin(client_for, personas):
    webinar = recently_held()
    (feedback,) = _rate(webinar, 4, comment="Please share the notebook")
    client = client_for(personas.webinar_committee)
    listing = client.get("/admin/webinars/feedback/").content.decode()
    assert "Please share the notebook" in listing
    client.post(
        "/admin/webinars/feedback/",
        {"action": "approve_selected", "_selected_action": [feedback.pk]},
    )
    feedback.refresh_from_db()
    assert (feedback.comment_status, feedback.moderated_by) == (
        CommentStatus.APPROVED,
        personas.webinar_committee,
    )


# --- The member's confirm step before cancelling --------------------------------------------------


def test_member_cancel_button_asks_first(client_for, personas):
    webinar = WebinarFactory(start_at=FUTURE)
    registration = _member_registration(personas.member, webinar)
    client = client_for(personas.member)
    page = client.get(f"/webinars/{webinar.slug}/unregister/").content.decode()
    assert "Your place goes to the next person on the waiting list" in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    client.post(f"/webinars/{webinar.slug}/unregister/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_leaving_the_waiting_list_asks_first(client_for, personas):
    webinar = WebinarFactory(start_at=FUTURE)
    registration = _member_registration(personas.member, webinar, status=RegistrationStatus.WAITING)
    client = client_for(personas.member)
    page = client.get(f"/webinars/{webinar.slug}/unregister/").content.decode()
    assert "<h1>Leave the waiting list</h1>" in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WAITING
