"""Members' nominations: submitting, acknowledgements, own-items access, bad input."""

import re

import pytest
from django.template.loader import render_to_string

from gds_portal.history import status_steps
from gds_portal.models import OutboundEmail
from tests.factories.webinars import (
    HostVolunteerFactory,
    SpeakerNominationFactory,
    TopicFactory,
    TopicSuggestionFactory,
    with_token,
)
from webinars.enums import NominationStatus
from webinars.models import HostVolunteer, SpeakerNomination, TopicSuggestion
from webinars.sections import my_nominations

pytestmark = pytest.mark.django_db

SPEAKER = {
    "nominee_name": "Grace Quantum",
    "affiliation": "University of Examples",
    "country": "KE",
    "email": "grace@example.org",
    "website": "https://example.org/grace",
    "orcid": "",
    "proposed_title": "Learning from noisy detectors",
    "rationale": "Her open-source work is used across the field.",
    "nominee_is_woman": "on",
    "nominee_outside_us": "on",
}


def test_member_nominates_a_speaker_and_both_sides_are_told(
    client_for, personas, deliver_mail, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Deep learning")
    client = client_for(personas.member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/webinars/nominate/speaker/", with_token({**SPEAKER, "topics": [topic.pk]})
        )

    nomination = SpeakerNomination.objects.get()
    assert response.url == f"/webinars/nominate/speaker/{nomination.pk}/"
    assert (nomination.nominator, nomination.status) == (personas.member, NominationStatus.NEW)
    assert (
        nomination.nominee_is_woman,
        nomination.nominee_is_urm,
        nomination.nominee_outside_us,
    ) == (
        True,
        False,
        True,
    )
    assert list(nomination.topics.all()) == [topic]
    assert [(s.before, s.after, s.by) for s in status_steps(nomination)] == [
        ("", "New", personas.member)
    ]
    sent = deliver_mail()
    assert sorted(m.to for m in sent) == [["member@example.org"], ["webinar@example.org"]]
    committee_mail = next(m for m in sent if m.to == ["webinar@example.org"])
    assert "Grace Quantum" in committee_mail.subject
    assert f"/admin/webinars/speakernomination/{nomination.pk}/change/" in committee_mail.body


def test_member_suggests_a_topic_and_volunteers_to_host(
    client_for, personas, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    client = client_for(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/webinars/nominate/topic/",
            with_token(
                {"title": "Symbolic regression", "description": "Finding laws", "why_now": "New"}
            ),
        )
        client.post(
            "/webinars/nominate/host/",
            with_token({"topics": [topic.pk], "availability": "Fridays"}),
        )
    suggestion = TopicSuggestion.objects.get()
    volunteer = HostVolunteer.objects.get()
    assert (suggestion.title, suggestion.nominator) == ("Symbolic regression", personas.member)
    assert (list(volunteer.topics.all()), volunteer.availability) == ([topic], "Fridays")
    assert OutboundEmail.objects.count() == 4  # acknowledgement + committee, twice


def test_nomination_without_rationale_keeps_everything_typed(client_for, personas):
    data = with_token({**SPEAKER, "rationale": ""})
    response = client_for(personas.member).post("/webinars/nominate/speaker/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "rationale": ["Tell the committee why this speaker should be invited."]
    }
    html = response.content.decode()
    assert 'value="Grace Quantum"' in html
    assert 'value="Learning from noisy detectors"' in html
    assert re.search(r'<input[^>]*name="nominee_is_woman"[^>]*checked', html)
    assert SpeakerNomination.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_nomination_needs_website_or_orcid_and_a_web_link(client_for, personas):
    client = client_for(personas.member)
    response = client.post("/webinars/nominate/speaker/", with_token({**SPEAKER, "website": ""}))
    assert response.context["form"].errors == {
        "website": ["Give the nominee's website or their ORCID iD."]
    }
    response = client.post(
        "/webinars/nominate/speaker/", with_token({**SPEAKER, "website": "javascript:alert(1)"})
    )
    assert "website" in response.context["form"].errors
    assert 'value="javascript:alert(1)"' in response.content.decode()
    response = client.post(
        "/webinars/nominate/speaker/",
        with_token({**SPEAKER, "website": "", "orcid": "0000-0002-1825-0097"}),
    )
    assert response.status_code == 302


def test_unverified_and_anonymous_cannot_nominate(client_for, personas):
    response = client_for(None).get("/webinars/nominate/speaker/")
    assert response.url.startswith("/accounts/login/")
    response = client_for(personas.unverified).post(
        "/webinars/nominate/speaker/", with_token(SPEAKER)
    )
    assert response.url == "/my/"
    assert SpeakerNomination.objects.count() == 0


# --- Access: own items (without notes), the committee, nobody else ---------------------


@pytest.fixture
def nomination(personas):
    return SpeakerNominationFactory(
        nominator=personas.member,
        nominee_name="Nora Nominee",
        internal_notes="SECRET-COMMITTEE-NOTE",
        nominee_is_woman=True,
        status=NominationStatus.INVITED,
    )


def test_nominator_sees_own_item_with_flags_and_public_status_but_no_notes(
    client_for, personas, nomination
):
    html = client_for(personas.member).get(nomination.get_absolute_url()).content.decode()
    assert "Nora Nominee" in html
    assert "The nominee is a woman: yes" in html
    assert "SECRET-COMMITTEE-NOTE" not in html
    # "Invited" is the committee's business; the nominator sees "Under review".
    assert "Under review" in html and "Invited" not in html


@pytest.mark.parametrize(
    "who", ["other_member", "unverified", "program_committee", "crrg_coordinator", "executive"]
)
def test_others_cannot_open_someone_elses_nomination(client_for, personas, nomination, who):
    # Other members and other committees get the same answer as for a missing item.
    response = client_for(getattr(personas, who)).get(nomination.get_absolute_url())
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in_for_a_nomination(client_for, nomination):
    assert client_for(None).get(nomination.get_absolute_url()).url.startswith("/accounts/login/")


def test_my_gds_lists_only_own_items_with_public_status(client_for, personas, nomination):
    TopicSuggestionFactory(nominator=personas.member, title="My topic")
    HostVolunteerFactory(nominator=personas.other_member)
    SpeakerNominationFactory(nominator=personas.other_member, nominee_name="Not mine")
    html = client_for(personas.member).get("/my/").content.decode()
    assert "Nora Nominee" in html and "My topic" in html
    assert "Not mine" not in html
    assert "SECRET-COMMITTEE-NOTE" not in html
    assert "Under review" in html


def test_nominator_withdraws_own_open_item(client_for, personas, nomination):
    client_for(personas.other_member).post(f"{nomination.get_absolute_url()}withdraw/")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.INVITED
    client_for(personas.member).post(f"{nomination.get_absolute_url()}withdraw/")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    change = status_steps(nomination)[0]
    assert (change.before, change.after, change.by) == ("Invited", "Withdrawn", personas.member)


# --- Query budgets --------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_my_gds_section_query_budget(personas, rf, django_assert_num_queries, n):
    for _ in range(n):
        SpeakerNominationFactory(nominator=personas.member)
        TopicSuggestionFactory(nominator=personas.member)
        HostVolunteerFactory(nominator=personas.member)
    SpeakerNominationFactory(nominator=personas.other_member, nominee_name="Not mine")
    request = rf.get("/my/")
    request.user = personas.member
    # Only this app's section: other apps' sections on My GDS are budgeted by their tests.
    # The verified-address check, then one query per kind of nomination.
    with django_assert_num_queries(4):
        html = render_to_string("webinars/_my_gds.html", my_nominations(request))
    assert html.count('data-testid="nomination-status"') == 3 * n
    assert "Not mine" not in html


@pytest.mark.parametrize("n", [1, 3])
def test_nomination_form_and_own_page_query_budget(
    client_for, personas, django_assert_num_queries, n
):
    client = client_for(personas.member)
    topics = [TopicFactory() for _ in range(n)]
    volunteer = HostVolunteerFactory(nominator=personas.member)
    volunteer.topics.set(topics)
    client.get("/webinars/nominate/host/")  # warm caches
    with django_assert_num_queries(3):
        client.get("/webinars/nominate/host/")
    with django_assert_num_queries(3):
        client.get(volunteer.get_absolute_url())
