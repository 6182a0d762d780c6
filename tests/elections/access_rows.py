"""Access rows for elections (see tests/security/access.py).

Handover notes are for the office's current holders only; a draft election and
an unpublished count are the executive committee's; a nominee's answer page is
reached by the signed link alone; ballots need a member on the frozen roll.
"""

from datetime import date, timedelta

from django.utils import timezone

from elections.enums import CandidacyStatus
from elections.models import Ballot, Candidacy, HandoverNote
from elections.services.nominations import answer_token
from elections.services.roll import roll_freeze
from tests.factories.community import PersonFactory
from tests.factories.elections import (
    ContestFactory,
    ElectionFactory,
    OfficeFactory,
    TermFactory,
    election_with_slate,
)
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Row

NOTE = "Private handover remark for the treasurer"
DRAFT = "Unannounced election draft"
DECLINED_STATEMENT = "Statement of a candidate who declined"
UNPUBLISHED = "unpublished-count"


def world(personas) -> dict:
    office = OfficeFactory(name="Treasurer", slug="treasurer")
    today = date.today()
    TermFactory(
        office=office,
        person=PersonFactory(user=personas.other_member),
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=3),
    )
    HandoverNote.objects.create(office=office, text=NOTE)
    ElectionFactory(slug="draft-election", title=DRAFT, is_announced=False)
    election, contest, slate = election_with_slate(slug="open-vote")
    roll_freeze(election=election)
    declined = Candidacy.objects.create(
        contest=contest,
        user=personas.newsletter_editor,
        status=CandidacyStatus.DECLINED,
        statement=DECLINED_STATEMENT,
    )
    counted = ElectionFactory(
        slug=UNPUBLISHED,
        voting_open_at=timezone.now() - timedelta(days=2),
        voting_close_at=timezone.now() - timedelta(days=1),
        counted_at=timezone.now(),
    )
    ContestFactory(election=counted)
    return {
        "election": election,
        "contest": contest,
        "slate": slate,
        "answer": answer_token(slate[0]),
        "declined": declined,
        "private": [NOTE, DRAFT, DECLINED_STATEMENT],
    }


def ballots(world) -> int:
    return Ballot.objects.count()


HANDOVER = "/elections/officers/treasurer/handover/"
# Superusers (staff) administer the server and see everything, these notes included.
NOT_HOLDERS = ("member", "executive", "program_committee")

ROWS = [
    Row("officers page is public", None, "GET", "/elections/officers/", OK, hidden=(NOTE,)),
    Row("holder reads handover notes", "other_member", "GET", HANDOVER, OK),
    *[
        Row(f"{who} cannot read handover notes", who, "GET", HANDOVER, NOT_FOUND)
        for who in NOT_HOLDERS
    ],
    Row("anonymous handover notes", None, "GET", HANDOVER, LOGIN),
    Row("a superuser reads handover notes", "staff", "GET", HANDOVER, OK),
    Row("draft election hidden", "member", "GET", "/elections/draft-election/", NOT_FOUND),
    Row(
        "draft election hidden from anonymous", None, "GET", "/elections/draft-election/", NOT_FOUND
    ),
    Row("committee previews a draft", "executive", "GET", "/elections/draft-election/", OK),
    Row("draft not listed", None, "GET", "/elections/", OK, hidden=(DRAFT,)),
    Row(
        "open election shows the slate, not declined candidates",
        None,
        "GET",
        "/elections/open-vote/",
        OK,
        hidden=(DECLINED_STATEMENT,),
    ),
    Row(
        "the signed link opens the nominee's page",
        None,
        "GET",
        "/elections/open-vote/answer/{answer}/",
        OK,
    ),
    Row(
        "a forged link is refused",
        None,
        "GET",
        "/elections/open-vote/answer/forged:token/",
        NOT_FOUND,
    ),
    Row("ballot needs a login", None, "GET", "/elections/open-vote/ballot/", LOGIN),
    Row(
        "unverified member cannot cast",
        "unverified",
        "POST",
        "/elections/open-vote/ballot/",
        OK,
        data=lambda w: {f"c{w['contest'].pk}": [w["slate"][0].pk], "cast": "1"},
        unchanged=ballots,
    ),
    Row(
        "unpublished results hidden from members",
        "member",
        "GET",
        f"/elections/{UNPUBLISHED}/results/",
        NOT_FOUND,
    ),
    Row(
        "unpublished results hidden from anonymous",
        None,
        "GET",
        f"/elections/{UNPUBLISHED}/results/",
        NOT_FOUND,
    ),
    Row(
        "committee reviews unpublished results",
        "executive",
        "GET",
        f"/elections/{UNPUBLISHED}/results/",
        OK,
    ),
    Row(
        "no audit bundle before publication",
        None,
        "GET",
        f"/elections/{UNPUBLISHED}/audit.json",
        NOT_FOUND,
    ),
    Row(
        "no ballots before publication",
        "executive",
        "GET",
        f"/elections/{UNPUBLISHED}/ballots/",
        NOT_FOUND,
    ),
    Row(
        "members cannot approve the slate in the admin",
        "member",
        "POST",
        "/admin/elections/candidacy/",
        LOGIN,
        data=lambda w: {"action": "approve", "_selected_action": [w["declined"].pk]},
        unchanged=lambda w: Candidacy.objects.filter(is_approved=True).count(),
    ),
    Row(
        "other committees cannot open the election admin",
        "webinar_committee",
        "GET",
        "/admin/elections/election/",
        FORBIDDEN,
    ),
]
