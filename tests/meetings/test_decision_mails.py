"""Decisions every author hears of (issue 16, item 3): each author with an address gets
the decision mail (the presenter is told so), the committee address gets one copy, and
a second send mails nobody."""

import pytest

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState, Decision
from meetings.selectors.decisions import decision_preview
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.factories.accounts import UserFactory
from tests.factories.meetings import author, make_abstract

pytestmark = pytest.mark.django_db

COMMITTEE = "program@example.org"


@pytest.fixture
def decider(db):
    return UserFactory(email="pc@example.org", roles=[Role.PROGRAM_COMMITTEE])


@pytest.fixture
def three_authors(personas, focus, decider):
    focus.meeting.committee_email = COMMITTEE
    focus.meeting.save(update_fields=["committee_email"])
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        authors=[
            # The submitter is the first author: one mail for them, not two.
            author("Mia Member", personas.member.email.upper(), presenting=False),
            author("Pat Presenter", "pat@example.org", presenting=True),
            author("Noel Noaddress", "", presenting=False),
        ],
    )
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    return abstract


def _decision_mails():
    return OutboundEmail.objects.filter(template="meetings/abstract-decision")


def test_two_author_mails_and_one_committee_copy_once(three_authors, personas, decider):
    chair = decider
    assert decisions_send(meeting=three_authors.meeting, by=chair) == 1
    mails = {row.to[0].casefold(): row for row in _decision_mails()}
    assert sorted(mails) == sorted([personas.member.email.casefold(), "pat@example.org", COMMITTEE])
    assert _decision_mails().count() == 3
    assert "presenting author" in mails["pat@example.org"].body_text
    assert "presenting author" not in mails[personas.member.email.casefold()].body_text
    assert "Dear Pat Presenter" in mails["pat@example.org"].body_text
    copy = mails[COMMITTEE]
    assert copy.subject.startswith("[GDS] Copy: Decision")
    assert "committee's copy" in copy.body_text

    # Sending again sends nothing.
    assert decisions_send(meeting=three_authors.meeting, by=chair) == 0
    assert _decision_mails().count() == 3


def test_no_committee_copy_without_an_address(three_authors, decider):
    three_authors.meeting.committee_email = ""
    three_authors.meeting.save(update_fields=["committee_email"])
    decisions_send(meeting=three_authors.meeting, by=decider)
    assert COMMITTEE not in [row.to[0] for row in _decision_mails()]
    assert _decision_mails().count() == 2


def test_preview_lists_every_mail_the_send_queues(three_authors, decider):
    chair = decider
    preview = decision_preview(meeting=three_authors.meeting, viewer=chair)
    decisions_send(meeting=three_authors.meeting, by=chair)
    assert sorted(m["to"] for m in preview.mails) == sorted(r.to[0] for r in _decision_mails())


def test_every_author_hears_of_a_move_with_the_decision(three_authors, decider):
    # A move alone is not told (the author sees their own choice until the decision is
    # sent: tests/meetings/test_author_view.py); the decision mail tells it to each author.
    from tests.factories.meetings import SortingCategoryFactory

    elsewhere = SortingCategoryFactory(meeting=three_authors.meeting, code="23.03.00")
    three_authors.state = AbstractState.SUBMITTED
    three_authors.save(update_fields=["state"])
    abstracts_decide(
        abstracts=[three_authors], decision=Decision.MOVE, by=decider, category=elsewhere
    )
    abstracts_decide(abstracts=[three_authors], decision=Decision.REJECT, by=decider)
    assert OutboundEmail.objects.filter(template="meetings/abstract-decision").count() == 0
    decisions_send(meeting=three_authors.meeting, by=decider)
    mails = _decision_mails()
    assert mails.count() == 3
    assert all("moved it from the sorting category" in m.body_text for m in mails)
