"""An abstract its author can no longer change (its decision sent, or withdrawn): the
edit page says so plainly and never offers a form that would refuse what is typed
(outside probe: the full form was shown, and the save lost the typed text)."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from meetings.enums import Decision
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.factories.accounts import UserFactory
from tests.factories.meetings import make_abstract

pytestmark = pytest.mark.django_db


def _decided_and_sent(submitter, category):
    abstract = make_abstract(submitter=submitter, category=category, title="Locked talk")
    decider = UserFactory(email="decider@example.org", roles=[Role.PROGRAM_COMMITTEE])
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    decisions_send(meeting=category.meeting, by=decider)
    abstract.refresh_from_db()
    return abstract


# The member, and staff (a superuser, whom Django's has_perm grants everything) who
# submitted an abstract of their own: neither gets a form for it once it is locked.
@pytest.mark.parametrize("who", ["member", "staff"])
def test_edit_page_of_a_sent_decision_says_it_can_no_longer_change(
    personas, focus, client_for, who
):
    user = getattr(personas, who)
    abstract = _decided_and_sent(user, focus)
    client = client_for(user)
    url = reverse("meetings:abstract_edit", args=[abstract.pk])

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(abstract.get_absolute_url(), 302)]
    text = response.content.decode()
    assert "can no longer be changed" in text
    assert 'name="title"' not in text
    # Nor does the abstract's own page link to an edit that would refuse.
    assert url not in text
    before = (abstract.title, abstract.body)
    client.post(url, {"title": "Changed", "body": "Changed"})
    abstract.refresh_from_db()
    assert (abstract.title, abstract.body) == before
