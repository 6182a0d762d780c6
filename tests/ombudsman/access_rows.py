"""Access rows for the ombudsman (see tests/security/access.py).

A concern and its replies are the ombudsman's to read and the named reporter's;
everyone else — another member, every committee, the executive committee that
appoints the ombudsman, and a superuser — gets the same 404 as for a case that
does not exist, and the case list, log and retention pages are refused. Who holds
the office is a term of the "Ombudsman" office, in the executive committee's term
admin (elections; its permissions are the committee's row in accounts/roles.py).
"""

import uuid

from elections.models import Office
from ombudsman.models import Concern, OfficeSettings
from ombudsman.services import concern_raise, concern_reply, new_passphrase
from tests.factories.ombudsman import appoint
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

CONCERN = "Access-matrix concern about the session chair"
REPLY = "Access-matrix reply from the ombudsman"
CODE = "MTRX-2345"


def world(personas) -> dict:
    appoint(personas.ombudsman)
    concern_raise(
        text=CONCERN,
        token=uuid.uuid4(),
        case_code=CODE,
        passphrase=new_passphrase(),
        member=personas.member,
    )
    concern = Concern.objects.get(case_code=CODE)
    concern_reply(concern=concern, text=REPLY, by=personas.ombudsman, token=uuid.uuid4())
    office = Office.objects.get(slug="ombudsman")
    return {"concern": concern, "office": office, "private": [CONCERN, REPLY]}


def status(world) -> str:
    return Concern.objects.values_list("status", flat=True).get(pk=world["concern"].pk)


def retention(world) -> int:
    return OfficeSettings.get_solo().retention_days


def reply_count(world) -> int:
    return world["concern"].replies.count()


CASE = "/ombudsman/cases/{concern.case_code}/"
OWN = "/ombudsman/my/{concern.case_code}/"
NOT_OMBUDSMAN = (
    "member",
    "other_member",
    "unverified",
    "newsletter_editor",
    "program_committee",
    "webinar_committee",
    "crrg_coordinator",
    "executive",
    "staff",
)
NOT_REPORTER = (*(who for who in NOT_OMBUDSMAN if who != "member"), "ombudsman")
TERMS = "/admin/elections/term/?office__id__exact={office.pk}"

ROWS = [
    # Public: what the office is, the form, the case-code check.
    *[
        Row(f"{who or 'anonymous'} reads the ombudsman page", who, "GET", "/ombudsman/", OK)
        for who in (None, "member")
    ],
    Row("anonymous opens the concern form", None, "GET", "/ombudsman/concern/", OK),
    Row("anonymous opens the case check", None, "GET", "/ombudsman/case/", OK),
    Row("anonymous asks for an address link", None, "GET", "/ombudsman/concern/address/", OK),
    # The ombudsman reads, answers, closes, sees the log and sets the retention.
    Row("ombudsman reads the case", "ombudsman", "GET", CASE, OK),
    Row(
        "ombudsman lists the cases", "ombudsman", "GET", "/ombudsman/cases/", OK, hidden=(CONCERN,)
    ),
    Row("ombudsman reads the log", "ombudsman", "GET", "/ombudsman/cases/log/", OK),
    Row("ombudsman sees the retention", "ombudsman", "GET", "/ombudsman/cases/retention/", OK),
    # Everyone else: the case does not exist for them, the office's pages are refused.
    *[Row(f"{who} cannot read the case", who, "GET", CASE, NOT_FOUND) for who in NOT_OMBUDSMAN],
    *[
        Row(
            f"{who} cannot reply",
            who,
            "POST",
            CASE,
            NOT_FOUND,
            data={"text": "x"},
            unchanged=reply_count,
        )
        for who in NOT_OMBUDSMAN
    ],
    *[
        Row(
            f"{who} cannot close the case",
            who,
            "POST",
            CASE + "status/",
            NOT_FOUND,
            data={"status": "closed"},
            unchanged=status,
        )
        for who in NOT_OMBUDSMAN
    ],
    *[
        Row(f"{who} cannot list cases", who, "GET", "/ombudsman/cases/", FORBIDDEN)
        for who in NOT_OMBUDSMAN
    ],
    *[
        Row(f"{who} cannot read the log", who, "GET", "/ombudsman/cases/log/", FORBIDDEN)
        for who in NOT_OMBUDSMAN
    ],
    *[
        Row(
            f"{who} cannot set the retention",
            who,
            "POST",
            "/ombudsman/cases/retention/",
            FORBIDDEN,
            data={"retention_days": 40},
            unchanged=retention,
        )
        for who in NOT_OMBUDSMAN
    ],
    Row(
        "ombudsman closes the case",
        "ombudsman",
        "POST",
        CASE + "status/",
        REDIRECT,
        data={"status": "closed"},
    ),
    Row("anonymous case list", None, "GET", "/ombudsman/cases/", LOGIN),
    Row("anonymous case", None, "GET", CASE, LOGIN),
    # The named reporter reads their own case; nobody else, the ombudsman included
    # (the ombudsman has their own page, which logs the read as theirs).
    Row("reporter reads own case", "member", "GET", OWN, OK),
    Row("reporter lists own cases", "member", "GET", "/ombudsman/my/", OK),
    *[
        Row(f"{who} cannot read the reporter's page", who, "GET", OWN, NOT_FOUND)
        for who in NOT_REPORTER
    ],
    Row("other member's list", "other_member", "GET", "/ombudsman/my/", OK, hidden=(CODE,)),
    Row("executive's My GDS", "executive", "GET", "/my/", OK, hidden=(CODE,)),
    # The office's terms: the executive committee appoints (elections' term admin).
    Row("executive lists the office's terms", "executive", "GET", TERMS, OK, hidden=(CONCERN,)),
    Row("executive adds a term", "executive", "GET", "/admin/elections/term/add/", OK),
    Row("member has no term admin", "member", "GET", TERMS, LOGIN),
    Row("webinar committee has no term admin", "webinar_committee", "GET", TERMS, FORBIDDEN),
    Row("superuser has no concern admin", "staff", "GET", "/admin/ombudsman/concern/", NOT_FOUND),
]
