"""Access rows for surveys and the CRRG's coordinator pages (see tests/security/access.py).

A survey belongs to a committee: its members and the coordinators named on it read its
results and exports; every other committee, member and visitor is refused. A member's
own answers (a draft included) are theirs alone: the survey page shows each member
only their own, and a draft is counted and shown nowhere, not even to coordinators.
"""

from accounts.enums import Role
from crrg.enums import QuestionKind
from tests.factories.crrg import (
    AnswerFactory,
    InterestGroupFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.security.access import FORBIDDEN, LOGIN, OK, Row

OTTO = "Otto's submitted barrier answer"
MIA_DRAFT = "Mia's unsubmitted draft answer"
CRRG_ANSWER = "Otto's CRRG membership answer"


def world(personas) -> dict:
    barriers = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE
    )
    question = QuestionFactory(questionnaire=barriers, kind=QuestionKind.LONG_TEXT)
    submitted = ResponseFactory(questionnaire=barriers, user=personas.other_member)
    AnswerFactory(response=submitted, question=question, text=OTTO)
    draft = ResponseFactory(questionnaire=barriers, user=personas.member, submitted_at=None)
    AnswerFactory(response=draft, question=question, text=MIA_DRAFT)

    join = QuestionnaireFactory(title="Join the CRRG", slug="crrg-join", grants_membership=True)
    crrg_question = QuestionFactory(questionnaire=join, kind=QuestionKind.SHORT_TEXT)
    crrg_response = ResponseFactory(questionnaire=join, user=personas.other_member)
    AnswerFactory(response=crrg_response, question=crrg_question, text=CRRG_ANSWER)
    InterestGroupFactory(slug="modeling")
    return {"private": [OTTO, MIA_DRAFT, CRRG_ANSWER]}


_SUMMARY = "/crrg/coordinators/questionnaires/{slug}/"
_BARRIERS = _SUMMARY.format(slug="barriers")
_JOIN = _SUMMARY.format(slug="crrg-join")

ROWS = [
    # The survey page: each member sees only their own answers.
    Row("member sees own draft", "member", "GET", "/surveys/barriers/", OK, hidden=(OTTO,)),
    Row(
        "other member not the draft",
        "other_member",
        "GET",
        "/surveys/barriers/",
        OK,
        hidden=(MIA_DRAFT,),
    ),
    Row("visitor asked to log in", None, "GET", "/surveys/barriers/", LOGIN),
    # The executive committee's survey: its results are the committee's.
    Row("exec reads its summary", "executive", "GET", _BARRIERS, OK, hidden=(MIA_DRAFT,)),
    Row(
        "exec exports its survey",
        "executive",
        "GET",
        _BARRIERS + "export.csv",
        OK,
        hidden=(MIA_DRAFT,),
    ),
    Row("superuser reads it", "staff", "GET", _BARRIERS, OK, hidden=(MIA_DRAFT,)),
    Row("crrg refused exec summary", "crrg_coordinator", "GET", _BARRIERS, FORBIDDEN),
    Row(
        "crrg refused exec export", "crrg_coordinator", "GET", _BARRIERS + "export.xlsx", FORBIDDEN
    ),
    Row("program refused exec summary", "program_committee", "GET", _BARRIERS, FORBIDDEN),
    Row(
        "webinars refused exec export",
        "webinar_committee",
        "GET",
        _BARRIERS + "export.csv",
        FORBIDDEN,
    ),
    Row("editor refused exec summary", "newsletter_editor", "GET", _BARRIERS, FORBIDDEN),
    Row("member refused exec summary", "member", "GET", _BARRIERS, FORBIDDEN),
    Row("member refused exec export", "member", "GET", _BARRIERS + "export.csv", FORBIDDEN),
    Row("visitor refused exec summary", None, "GET", _BARRIERS, LOGIN),
    # The CRRG's own survey and groups: the executive committee is refused.
    Row("crrg reads its summary", "crrg_coordinator", "GET", _JOIN, OK),
    Row("exec refused crrg summary", "executive", "GET", _JOIN, FORBIDDEN),
    Row("exec refused crrg export", "executive", "GET", _JOIN + "export.csv", FORBIDDEN),
    Row(
        "exec refused crrg roster",
        "executive",
        "GET",
        "/crrg/coordinators/groups/modeling/",
        FORBIDDEN,
    ),
    # The overview lists each coordinator's own surveys only.
    Row("exec overview", "executive", "GET", "/crrg/coordinators/", OK, hidden=("Join the CRRG",)),
    Row(
        "crrg overview",
        "crrg_coordinator",
        "GET",
        "/crrg/coordinators/",
        OK,
        hidden=("Barriers survey",),
    ),
    Row("member refused overview", "member", "GET", "/crrg/coordinators/", FORBIDDEN),
    # The admin: each committee's surveys and responses only.
    Row(
        "exec admin responses",
        "executive",
        "GET",
        "/admin/crrg/response/",
        OK,
        hidden=("Join the CRRG", MIA_DRAFT),
    ),
    Row(
        "crrg admin responses",
        "crrg_coordinator",
        "GET",
        "/admin/crrg/response/",
        OK,
        hidden=("Barriers survey", MIA_DRAFT),
    ),
    Row(
        "program refused survey admin",
        "program_committee",
        "GET",
        "/admin/crrg/questionnaire/",
        FORBIDDEN,
    ),
]
