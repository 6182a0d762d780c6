import io

import pytest

from accounts import demo as accounts_demo
from gds_portal.models import OutboundEmail, SiteConfiguration
from webinars import demo
from webinars.announcements import announcements_send
from webinars.enums import InvitationState, NominationStatus, ReleaseState
from webinars.feedback import approved_comments, feedback_send_requests, feedback_summary
from webinars.models import (
    AnnouncementSubscription,
    Feedback,
    SpeakerInvitation,
    SpeakerNomination,
    Webinar,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently_with_held_and_upcoming_webinars():
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # a second run changes nothing

    webinars = Webinar.objects.all()
    # The demo series, and the draft of the speaker half-way along their path.
    assert webinars.count() == len(demo.WEBINARS) + 1
    assert all("(demo)" in w.title and "Demo data" in w.description for w in webinars)
    held = Webinar.objects.published().held()
    assert held.count() == 3
    assert all(w.video is not None for w in held)
    assert Webinar.objects.published().upcoming().count() == 2
    assert Webinar.objects.filter(is_cancelled=True).count() == 1
    assert Webinar.objects.filter(is_published=False).count() == 2
    assert all(w.search_vector for w in webinars)
    statuses = set(SpeakerNomination.objects.values_list("status", flat=True))
    assert {NominationStatus.NEW, NominationStatus.ACCEPTED, NominationStatus.SCHEDULED} <= statuses
    assert SpeakerNomination.objects.count() == len(demo.NOMINATIONS)


def test_demo_has_one_full_webinar_with_a_waiting_list():
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # a second run adds no registration

    webinar = Webinar.objects.get(slug=demo.REGISTER_HERE)
    assert webinar.open_for_registration
    statuses = list(webinar.registrations.order_by("id").values_list("status", flat=True))
    assert statuses == ["confirmed"] * 5 + ["waiting"] * 2 + ["pending"]
    assert webinar.capacity == 5
    assert all("(demo)" in r.name for r in webinar.registrations.all())
    # The other upcoming webinar shows the fallback: registration elsewhere.
    others = Webinar.objects.published().upcoming().exclude(pk=webinar.pk)
    assert [w.registers_here for w in others] == [False]
    assert not OutboundEmail.objects.exists()  # the demo mails no one


def test_demo_has_feedback_announcements_and_the_youtube_channel():
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # a second run adds no attendee or feedback

    webinar = Webinar.objects.get(slug=demo.FEEDBACK_ON)
    assert webinar.state == "held"
    feedback = Feedback.objects.filter(registration__webinar=webinar).order_by("id")
    assert [f.comment_status for f in feedback] == ["approved", "approved", "pending", "pending"]
    assert all(f.registration.attended_at and "(demo)" in f.registration.name for f in feedback)
    assert approved_comments(webinar) == [
        "The worked notebook made it easy to try in my own course (demo data).",
        "Useful tools; a few more minutes for questions would help (demo data).",
    ]
    assert feedback_summary(webinar).shown
    member = AnnouncementSubscription.objects.get().user
    assert member.email == "member@demo.gds.example.org"
    assert SiteConfiguration.get_solo().youtube_url == demo.SEED_YOUTUBE_CHANNEL
    # Nothing for the worker to send: no announcement, no thank-you mail.
    assert announcements_send() == 0
    assert feedback_send_requests() == 0
    assert not OutboundEmail.objects.exists()


def test_demo_has_a_speaker_half_way_along_the_path():
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # a second run makes no second draft or invitation

    invitation = SpeakerInvitation.objects.get()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitation.release == ReleaseState.PENDING
    assert "(demo" in invitation.talk_title and "demo data" in invitation.bio
    webinar = invitation.webinar
    assert not webinar.is_published
    assert "Demo data" in webinar.description
    assert invitation.nomination.webinar_id == webinar.pk
    assert not OutboundEmail.objects.exists()
