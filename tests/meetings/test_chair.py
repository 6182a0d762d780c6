"""Who is the program chair, and who may make someone chair (issue 15, break 6).

Only the chair sends a meeting's decisions. Who is chair is the meeting's
`program_chair` Person together with that Person's account link; both are
assigned by the executive committee or a superuser only, and every change of the
account link is recorded in the Person's history. Personas: program_committee is
the attacker (a committee member who is not the chair); chair is the real chair;
executive and staff may assign.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.enums import Role
from community.models import Person
from community.services import person_link_account, person_save
from gds_portal.models import OutboundEmail
from meetings.enums import Decision
from meetings.models import DecisionNotification, Meeting
from meetings.services.chair import meeting_assign_chair
from meetings.services.decisions import abstracts_decide, decisions_send
from meetings.services.errors import Refused
from tests.admin_post import admin_form_post
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import make_abstract

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(db):
    return UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])


@pytest.fixture
def chaired(focus, chair, personas):
    """A meeting whose chair has an account, with one decided, unsent abstract."""
    meeting = focus.meeting
    meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    meeting.save()
    abstract = make_abstract(submitter=personas.member, category=focus)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=chair)
    return meeting


def _person_url(person) -> str:
    return reverse("admin:community_person_change", args=[person.pk])


def _send(client, meeting):
    return client.post(reverse("meetings:decisions_send", args=[meeting.slug]))


def _nothing_sent():
    decision_mails = OutboundEmail.objects.filter(subject__contains="Decision on abstract")
    return (DecisionNotification.objects.count(), decision_mails.count()) == (0, 0)


@pytest.mark.parametrize("relink", ["attacker", ""], ids=["to-own-account", "unlinked"])
def test_committee_member_cannot_relink_the_chair_and_send(
    chaired, chair, personas, client_for, relink
):
    """The attack as found: relink (or unlink) the chair's Person in the admin, then send."""
    attacker = personas.program_committee
    client = client_for(attacker)
    person = chaired.program_chair
    value = str(attacker.pk) if relink else ""
    data = admin_form_post(client, _person_url(person), user=value, position="Chair")
    client.post(_person_url(person), data)
    _send(client, chaired)

    person.refresh_from_db()
    assert (person.position, person.user) == ("Chair", chair)  # the rest of the form saved
    assert _nothing_sent()


@pytest.mark.parametrize("role", ["program_committee", "webinar_committee", "newsletter_editor"])
def test_committee_roles_cannot_add_a_person_linked_to_an_account(role, personas, client_for):
    client = client_for(getattr(personas, role))
    url = reverse("admin:community_person_add")
    data = {"name": "Sock Puppet", "slug": "", "user": str(personas.member.pk)}
    client.post(url, data)
    assert list(Person.objects.values_list("name", "user")) == [("Sock Puppet", None)]


def test_committee_member_cannot_make_their_own_person_the_chair(
    chaired, chair, personas, client_for
):
    attacker = personas.program_committee
    own = PersonFactory(name="Pat Committee", user=attacker)
    client = client_for(attacker)
    url = reverse("admin:meetings_meeting_change", args=[chaired.pk])
    data = admin_form_post(client, url, program_chair=str(own.pk), name="Renamed meeting")
    response = client.post(url, data)
    assert response.status_code == 302  # the rest of the meeting still saves
    _send(client, chaired)

    chaired.refresh_from_db()
    assert (chaired.name, chaired.program_chair.user) == ("Renamed meeting", chair)
    assert _nothing_sent()


def test_committee_member_cannot_set_a_chair_on_a_new_meeting(personas, client_for):
    client = client_for(personas.program_committee)
    page = client.get(reverse("admin:meetings_meeting_add")).content.decode()
    assert 'name="program_chair"' not in page


def test_the_real_chair_still_sends(chaired, chair, client_for):
    assert _send(client_for(chair), chaired).status_code == 302
    assert DecisionNotification.objects.count() == 1


def test_executive_assigns_the_chair_in_the_admin(chaired, personas, client_for):
    successor = UserFactory(email="next@example.org", roles=[Role.PROGRAM_COMMITTEE])
    new_chair = PersonFactory(name="Nell Next", user=successor)
    client = client_for(personas.executive)
    url = reverse("admin:meetings_meeting_change", args=[chaired.pk])
    response = client.post(url, admin_form_post(client, url, program_chair=str(new_chair.pk)))
    assert response.status_code == 302
    chaired.refresh_from_db()
    assert chaired.program_chair == new_chair
    assert _send(client_for(successor), chaired).status_code == 302
    assert DecisionNotification.objects.count() == 1


@pytest.mark.parametrize("role", ["executive", "staff"])
def test_executive_or_superuser_links_a_person_with_history(role, personas, client_for):
    person = PersonFactory(name="Mia Member")
    linker = getattr(personas, role)
    client = client_for(linker)
    url = _person_url(person)
    response = client.post(url, admin_form_post(client, url, user=str(personas.member.pk)))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == personas.member
    latest = person.history.first()
    assert (latest.history_user, latest.user_id, latest.history_change_reason) == (
        linker,
        personas.member.pk,
        f"account linked: {personas.member.email}",
    )


def test_services_refuse_a_link_from_a_committee_member(personas):
    person = PersonFactory(name="Nia Nominee")
    with pytest.raises(PermissionDenied):
        person_link_account(person=person, user=personas.member, by=personas.program_committee)
    person.user = personas.program_committee
    with pytest.raises(PermissionDenied):
        person_save(person=person)
    person.refresh_from_db()
    assert person.user is None


def test_services_refuse_to_assign_a_chair_for_a_committee_member(chaired, chair, personas):
    own = PersonFactory(user=personas.program_committee)
    with pytest.raises(PermissionDenied):
        meeting_assign_chair(meeting=chaired, chair=own, by=personas.program_committee)
    assert Meeting.objects.get(pk=chaired.pk).program_chair.user == chair


def test_send_service_refuses_anyone_but_the_chair(chaired, personas):
    with pytest.raises(Refused, match="chair"):
        decisions_send(meeting=chaired, by=personas.program_committee)
    assert _nothing_sent()
