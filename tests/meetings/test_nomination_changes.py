"""A nominator edits or withdraws their own invited-speaker nomination while the meeting
takes nominations (issue 16, item 8).

Personas: member nominated Nadia and may change that nomination while it is open;
other_member may not touch it (it does not exist for them); program_committee sees a
withdrawn nomination as withdrawn and cannot set its status again, in the admin either.
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.enums import NominationStatus
from meetings.models import SpeakerNomination
from meetings.services.errors import Refused
from meetings.services.nominations import nomination_set_status, nomination_update
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

# My speaker nominations: session, user, verified addresses, the nominations with
# their meetings; the same for 1 and 3 (each row's Edit link asks the rules, not the DB).
NOMINATIONS_PAGE_QUERIES = 3

EDIT = {
    "nominee_name": "Nadia Nominee-Renamed",
    "nominee_affiliation": "Université Exemple",
    "nominee_email": "nadia@example.org",
    "talk_title": "Learning symmetries, revised",
    "rationale": "Opened a new field; now a second one.",
    "alternate_1_name": "Alex Alternate",
    "alternate_1_affiliation": "Lab A",
}


def _form(**changes) -> dict:
    return {**EDIT, "token": str(uuid.uuid4()), **changes}


@pytest.fixture
def nomination(personas):
    now = timezone.now()
    meeting = MeetingFactory(
        nominations_open_at=now - timedelta(days=1), nominations_close_at=now + timedelta(days=5)
    )
    return SpeakerNomination.objects.create(
        meeting=meeting,
        nominator=personas.member,
        nominee_name="Nadia Nominee",
        nominee_affiliation="Université Exemple",
        nominee_email="nadia@example.org",
        talk_title="Learning symmetries",
        rationale="Opened a new field.",
        nominee_is_woman=True,
    )


def _close(nomination) -> None:
    meeting = nomination.meeting
    meeting.nominations_open_at = timezone.now() - timedelta(days=9)
    meeting.nominations_close_at = timezone.now() - timedelta(days=1)
    meeting.save()


def _edit_url(nomination) -> str:
    return reverse("meetings:nomination_edit", args=[nomination.pk])


def _withdraw_url(nomination) -> str:
    return reverse("meetings:nomination_withdraw", args=[nomination.pk])


def test_nominator_edits_own_open_nomination_flags_kept(personas, client_for, nomination):
    client = client_for(personas.member)
    form = client.get(_edit_url(nomination)).content.decode()
    assert 'value="Learning symmetries"' in form
    assert "nominee_is_woman" not in form  # the voluntary flags are never shown back
    response = client.post(_edit_url(nomination), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:my_nominations")
    nomination.refresh_from_db()
    assert (nomination.nominee_name, nomination.talk_title, nomination.alternate_1_name) == (
        "Nadia Nominee-Renamed",
        "Learning symmetries, revised",
        "Alex Alternate",
    )
    assert nomination.nominee_is_woman  # as sent


def test_nominator_withdraws_own_open_nomination(personas, client_for, nomination):
    client = client_for(personas.member)
    assert "Yes, withdraw it" in client.get(_withdraw_url(nomination)).content.decode()
    response = client.post(_withdraw_url(nomination), {"token": str(uuid.uuid4())})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    page = client.get(reverse("meetings:my_nominations")).content.decode()
    assert "Withdrawn" in page
    assert _edit_url(nomination) not in page  # settled: no more changes offered


def test_my_nominations_offers_changes_only_while_open(personas, client_for, nomination):
    client = client_for(personas.member)
    assert _edit_url(nomination) in client.get(reverse("meetings:my_nominations")).content.decode()
    _close(nomination)
    page = client.get(reverse("meetings:my_nominations")).content.decode()
    assert _edit_url(nomination) not in page
    assert _withdraw_url(nomination) not in page


def test_no_edit_or_withdrawal_after_nominations_close(personas, client_for, nomination):
    _close(nomination)
    client = client_for(personas.member)
    for url in (_edit_url(nomination), _withdraw_url(nomination)):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(reverse("meetings:my_nominations"), 302)]
        assert "can no longer be changed" in response.content.decode()
    response = client.post(_withdraw_url(nomination), {"token": str(uuid.uuid4())})
    assert response.status_code == 302
    # A save sent after the close (the form was opened before it) keeps what was typed,
    # says why, and offers no active button.
    response = client.post(_edit_url(nomination), _form())
    page = response.content.decode()
    assert response.status_code == 409
    assert "Not saved." in page and "can no longer be changed" in page
    assert 'value="Learning symmetries, revised"' in page
    button = page.split("Save changes")[0].rsplit("<button", 1)[1]
    assert "disabled" in button
    nomination.refresh_from_db()
    assert (nomination.nominee_name, nomination.talk_title, nomination.status) == (
        "Nadia Nominee",
        "Learning symmetries",
        "received",
    )


@pytest.mark.parametrize("status", [NominationStatus.CONFIRMED, NominationStatus.NOT_SELECTED])
def test_no_change_once_the_committee_settled_it(personas, client_for, nomination, status):
    SpeakerNomination.objects.filter(pk=nomination.pk).update(status=status)
    response = client_for(personas.member).post(_edit_url(nomination), _form())
    assert response.status_code == 409
    nomination.refresh_from_db()
    assert nomination.nominee_name == "Nadia Nominee"


def test_shortlisted_stays_changeable_so_nothing_tells_of_the_shortlist(
    personas, client_for, nomination
):
    SpeakerNomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.SHORTLISTED)
    client_for(personas.member).post(_edit_url(nomination), _form())
    nomination.refresh_from_db()
    assert nomination.nominee_name == "Nadia Nominee-Renamed"


def test_another_members_nomination_does_not_exist_for_them(personas, client_for, nomination):
    client = client_for(personas.other_member)
    for url in (_edit_url(nomination), _withdraw_url(nomination)):
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code == 404
    nomination.refresh_from_db()
    assert (nomination.nominee_name, nomination.status) == ("Nadia Nominee", "received")


def test_the_service_refuses_a_settled_nomination(personas, nomination):
    SpeakerNomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.CONFIRMED)
    with pytest.raises(Refused):
        nomination_update(
            nomination=nomination,
            by=personas.member,
            changes={"talk_title": "Changed"},
            token=uuid.uuid4(),
        )
    with pytest.raises(ValueError, match="nominee_is_woman"):
        nomination_update(
            nomination=nomination,
            by=personas.member,
            changes={"nominee_is_woman": False},
            token=uuid.uuid4(),
        )
    nomination.refresh_from_db()
    assert (nomination.talk_title, nomination.nominee_is_woman) == ("Learning symmetries", True)


def test_committee_sees_withdrawn_as_withdrawn_and_cannot_revive_it(
    personas, client_for, nomination
):
    client_for(personas.member).post(_withdraw_url(nomination), {"token": str(uuid.uuid4())})
    committee = client_for(personas.program_committee)
    page = committee.get(
        reverse("meetings:nominations", args=[nomination.meeting.slug])
    ).content.decode()
    assert "Withdrawn by the nominator" in page
    with pytest.raises(Refused):
        nomination_set_status(
            nomination=nomination, status=NominationStatus.SHORTLISTED, by=personas.staff
        )
    response = committee.post(
        "/admin/meetings/speakernomination/",
        {"action": "shortlist", "_selected_action": [nomination.pk]},
        follow=True,
    )
    assert "withdrawn by its nominator" in response.content.decode()
    change = committee.get(f"/admin/meetings/speakernomination/{nomination.pk}/change/")
    assert 'name="status"' not in change.content.decode()  # read-only once withdrawn
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN


def test_committee_cannot_withdraw_for_the_nominator(personas, client_for, nomination):
    with pytest.raises(Refused):
        nomination_set_status(
            nomination=nomination, status=NominationStatus.WITHDRAWN, by=personas.program_committee
        )
    change = client_for(personas.program_committee).get(
        f"/admin/meetings/speakernomination/{nomination.pk}/change/"
    )
    assert 'value="withdrawn"' not in change.content.decode()


def test_withdrawn_nominations_leave_the_public_totals(personas, client_for, nomination):
    from meetings.selectors.nominations import nomination_aggregates

    assert nomination_aggregates(meeting=nomination.meeting)["total"] == "1"
    client_for(personas.member).post(_withdraw_url(nomination), {"token": str(uuid.uuid4())})
    assert nomination_aggregates(meeting=nomination.meeting)["total"] == "0"


def test_my_nominations_query_count(personas, client_for, nomination, django_assert_num_queries):
    client = client_for(personas.member)
    url = reverse("meetings:my_nominations")
    client.get(url)  # warm the session
    with django_assert_num_queries(NOMINATIONS_PAGE_QUERIES):
        client.get(url)
    for n in range(2):
        SpeakerNomination.objects.create(
            meeting=nomination.meeting,
            nominator=personas.member,
            nominee_name=f"Other {n}",
            nominee_affiliation="Lab",
            nominee_email=f"o{n}@example.org",
            talk_title="Talk",
            rationale="Why",
        )
    with django_assert_num_queries(NOMINATIONS_PAGE_QUERIES):
        client.get(url)
