"""Who sees and changes an abstract: only its submitter, and its co-authors read-only.

Personas: member submits; other_member must see nothing of it; coauthor is named with
their verified address; program_committee reads abstracts in the admin only;
webinar_committee and newsletter_editor have no business with abstracts; anonymous
readers are sent to log in.
"""

import uuid

import pytest
from django.urls import reverse

from meetings.enums import AbstractState
from meetings.models import Abstract
from tests.factories.accounts import UserFactory
from tests.factories.meetings import author, make_abstract
from tests.meetings.conftest import form_data

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Unpublished result: room-temperature superconductivity"


@pytest.fixture
def coauthor(db):
    return UserFactory(email="co.author@example.org", full_name="Cora Coauthor")


@pytest.fixture
def abstract(personas, focus, coauthor):
    return make_abstract(
        submitter=personas.member,
        category=focus,
        title=SECRET_TITLE,
        authors=[
            author("Mia Member", "member@example.org", presenting=True),
            author("Cora Coauthor", "CO.AUTHOR@example.org", presenting=False),
        ],
    )


def _pages(abstract):
    return [
        reverse("meetings:abstract", args=[abstract.pk]),
        reverse("meetings:abstract_edit", args=[abstract.pk]),
        reverse("meetings:abstract_withdraw", args=[abstract.pk]),
    ]


def test_submitter_sees_and_changes(personas, client_for, abstract):
    client = client_for(personas.member)
    for url in _pages(abstract):
        assert client.get(url).status_code == 200, url
    assert SECRET_TITLE in client.get(reverse("meetings:my_abstracts")).content.decode()


@pytest.mark.parametrize(
    "who", ["other_member", "program_committee", "webinar_committee", "newsletter_editor"]
)
def test_others_get_404_and_see_nothing(personas, client_for, abstract, who):
    client = client_for(getattr(personas, who))
    for url in _pages(abstract):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET_TITLE not in response.content.decode()
    assert SECRET_TITLE not in client.get(reverse("meetings:my_abstracts")).content.decode()
    assert SECRET_TITLE not in client.get(reverse("accounts:my_gds")).content.decode()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("meetings:abstract_edit", form_data(title="Hijacked")),
        ("meetings:abstract_submit", {"token": str(uuid.uuid4())}),
        ("meetings:abstract_withdraw", {"token": str(uuid.uuid4())}),
    ],
)
def test_other_member_cannot_change(personas, client_for, abstract, url_name, data):
    response = client_for(personas.other_member).post(reverse(url_name, args=[abstract.pk]), data)
    abstract.refresh_from_db()
    assert response.status_code == 404
    assert (abstract.title, abstract.state) == (SECRET_TITLE, AbstractState.SUBMITTED)


def test_anonymous_is_sent_to_log_in(client, abstract):
    for url in [*_pages(abstract), reverse("meetings:my_abstracts")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    response = client.post(reverse("meetings:abstract_withdraw", args=[abstract.pk]), {})
    abstract.refresh_from_db()
    assert abstract.state == AbstractState.SUBMITTED


def test_coauthor_reads_but_cannot_change(client_for, coauthor, abstract):
    client = client_for(coauthor)
    listing = client.get(reverse("meetings:my_abstracts")).content.decode()
    assert SECRET_TITLE in listing
    my_gds = client.get(reverse("accounts:my_gds")).content.decode()
    assert SECRET_TITLE in my_gds.split('data-testid="coauthored"')[1]
    page = client.get(reverse("meetings:abstract", args=[abstract.pk])).content.decode()
    assert SECRET_TITLE in page
    assert "You are named as a co-author" in page
    assert "Withdraw" not in page and "History" not in page
    edit = client.post(reverse("meetings:abstract_edit", args=[abstract.pk]), form_data())
    withdraw = client.post(
        reverse("meetings:abstract_withdraw", args=[abstract.pk]), {"token": str(uuid.uuid4())}
    )
    abstract.refresh_from_db()
    assert (edit.status_code, withdraw.status_code) == (404, 404)
    assert (abstract.title, abstract.state) == (SECRET_TITLE, AbstractState.SUBMITTED)


def test_coauthor_does_not_see_drafts_or_with_unverified_address(personas, client_for, focus):
    unverified = UserFactory(email="late@example.org", verified=False)
    make_abstract(
        submitter=personas.member,
        category=focus,
        submit=False,
        title="Private draft",
        authors=[author("Other", "other@example.org")],
    )
    make_abstract(
        submitter=personas.member,
        category=focus,
        title="Submitted",
        authors=[author("Late", "late@example.org")],
    )
    other = client_for(personas.other_member).get(reverse("meetings:my_abstracts"))
    late = client_for(unverified).get(reverse("meetings:my_abstracts"))
    assert "Private draft" not in other.content.decode()
    assert "Submitted" not in late.content.decode().split("Where I am a co-author")[1]


def test_unverified_member_cannot_create(personas, client_for, focus):
    client = client_for(personas.unverified)
    url = reverse("meetings:abstract_create", args=[focus.meeting.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert Abstract.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("program_committee", 200), ("webinar_committee", 403), ("newsletter_editor", 403)],
)
def test_admin_abstracts_only_for_program_committee(personas, client_for, abstract, who, status):
    client = client_for(getattr(personas, who))
    for url in [
        reverse("admin:meetings_abstract_changelist"),
        reverse("admin:meetings_abstract_change", args=[abstract.pk]),
        reverse("admin:meetings_abstract_history", args=[abstract.pk]),
        reverse("admin:meetings_sortingcategory_changelist"),
        reverse("admin:meetings_sortingcategory_change", args=[abstract.category_id]),
        reverse("admin:meetings_deadlineextension_changelist"),
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:meetings_meeting_change", args=[abstract.meeting_id]),
    ]:
        assert client.get(url).status_code == status, url


def test_program_committee_cannot_change_abstracts_in_admin(personas, client_for, abstract):
    client = client_for(personas.program_committee)
    page = client.get(reverse("admin:meetings_abstract_change", args=[abstract.pk]))
    assert SECRET_TITLE in page.content.decode()
    client.post(reverse("admin:meetings_abstract_change", args=[abstract.pk]), {"title": "Changed"})
    abstract.refresh_from_db()
    assert abstract.title == SECRET_TITLE


def test_committee_grants_a_personal_extension_in_the_admin(personas, client_for, meeting):
    client = client_for(personas.program_committee)
    response = client.post(
        reverse("admin:meetings_deadlineextension_add"),
        {
            "meeting": meeting.pk,
            "member": personas.member.pk,
            "closes_at_0": "2030-01-02",
            "closes_at_1": "12:00:00",
            "reason": "Travel during the call",
        },
    )
    assert response.status_code == 302
    [extension] = meeting.extensions.all()
    assert (extension.member, extension.granted_by, extension.reason) == (
        personas.member,
        personas.program_committee,
        "Travel during the call",
    )
