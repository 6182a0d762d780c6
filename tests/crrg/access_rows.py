"""Access rows for surveys and the CRRG's coordinator pages (see tests/security/access.py).

A survey belongs to a committee: its members and the coordinators named on it read its
results and exports; every other committee, member and visitor is refused. A member's
own answers (a draft included) are theirs alone: the survey page shows each member
only their own, and a draft is counted and shown nowhere, not even to coordinators.
"""

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import PublishedSummary, SurveyMailing
from crrg.services import answering as answering_services
from crrg.services import results as results_services
from tests.factories.accounts import UserFactory
from tests.factories.crrg import (
    AnswerFactory,
    InterestGroupFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

OTTO = "Otto's submitted barrier answer"
MIA_DRAFT = "Mia's unsubmitted draft answer"
CRRG_ANSWER = "Otto's CRRG membership answer"
ANONYMOUS_TEXT = "An anonymous barrier answer"


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
    _anonymous_survey()
    return {"private": [OTTO, MIA_DRAFT, CRRG_ANSWER]}


def _anonymous_survey() -> None:
    """The executive committee's anonymous survey: five answers (its results show, k=5),
    a summary released to members."""
    survey = QuestionnaireFactory(
        title="Anonymous climate survey",
        slug="climate",
        owner=Role.EXECUTIVE_COMMITTEE,
        anonymous=True,
    )
    text = QuestionFactory(questionnaire=survey, kind=QuestionKind.LONG_TEXT)
    yes_no = QuestionFactory(questionnaire=survey, kind=QuestionKind.YES_NO)
    scale = QuestionFactory(questionnaire=survey, kind=QuestionKind.SCALE)
    for n in range(5):
        answering_services.response_submit(
            questionnaire=survey,
            user=UserFactory(),
            answers={text: ANONYMOUS_TEXT, yes_no: n < 3, scale: 1 + n % 2},
            consent_contact=False,
            consent_listed=False,
        )
    results_services.summary_release(questionnaire=survey, note="", by=UserFactory())


def _published(world) -> list:
    return list(PublishedSummary.objects.values_list("questionnaire__slug", "released_at"))


_SUMMARY = "/crrg/coordinators/questionnaires/{slug}/"
_BARRIERS = _SUMMARY.format(slug="barriers")
_JOIN = _SUMMARY.format(slug="crrg-join")
_INVITE = _BARRIERS + "invitations/"
_REMIND = _INVITE + "reminders/"
_SEND = {"token": "9b0c5c1e-6d1a-4c2e-8d62-1f0e2a7b3c4d", "segment": "all", "action": "send"}
_REMIND_SEND = {"token": "2f1e5d7a-3b8c-4a9e-b1d2-6c7f8e9a0b1c", "action": "send"}


def _mailings(world) -> int:
    return SurveyMailing.objects.count()


# Every role: only those who coordinate the barriers survey (its owning committee, and
# a superuser) invite and remind; the rest are refused and nothing is sent.
_INVITERS = {"executive", "staff"}
_PERSONAS = [
    "member",
    "other_member",
    "unverified",
    "newsletter_editor",
    "program_committee",
    "webinar_committee",
    "crrg_coordinator",
    "executive",
    "staff",
    "ombudsman",
]
_INVITE_ROWS = (
    [
        Row(f"{p} invitations page", p, "GET", _INVITE, OK if p in _INVITERS else FORBIDDEN)
        for p in _PERSONAS
    ]
    + [
        Row(f"{p} refused invite send", p, "POST", _INVITE, FORBIDDEN, _SEND, unchanged=_mailings)
        for p in _PERSONAS
        if p not in _INVITERS
    ]
    + [
        Row(
            f"{p} refused reminder send",
            p,
            "POST",
            _REMIND,
            FORBIDDEN,
            _REMIND_SEND,
            unchanged=_mailings,
        )
        for p in _PERSONAS
        if p not in _INVITERS
    ]
    + [
        Row("visitor refused invitations", None, "GET", _INVITE, LOGIN),
        Row(
            "visitor refused invite send", None, "POST", _INVITE, LOGIN, _SEND, unchanged=_mailings
        ),
        Row("visitor refused reminders", None, "POST", _REMIND, LOGIN, _REMIND_SEND),
        Row("exec refused crrg invitations", "executive", "GET", _JOIN + "invitations/", FORBIDDEN),
        Row("crrg invites to its own", "crrg_coordinator", "GET", _JOIN + "invitations/", OK),
        # The page names no answer, draft or not.
        Row(
            "exec invitations hide answers",
            "executive",
            "GET",
            _INVITE,
            OK,
            hidden=(MIA_DRAFT, OTTO),
        ),
    ]
)

_CLIMATE = _SUMMARY.format(slug="climate")
_RELEASE = _CLIMATE + "release/"
_CROSSTAB = _CLIMATE + "crosstab/"
_RESULTS = "/surveys/climate/results/"
_ANONYMOUS_ROWS = [
    # Cross-tabulations are results: the owning committee's.
    Row("exec crosstab", "executive", "GET", _CROSSTAB, OK),
    Row("superuser crosstab", "staff", "GET", _CROSSTAB, OK),
    Row("crrg refused exec crosstab", "crrg_coordinator", "GET", _CROSSTAB, FORBIDDEN),
    Row("program refused exec crosstab", "program_committee", "GET", _CROSSTAB, FORBIDDEN),
    Row("member refused crosstab", "member", "GET", _CROSSTAB, FORBIDDEN),
    Row("visitor refused crosstab", None, "GET", _CROSSTAB, LOGIN),
    # Releasing (or withdrawing) a summary: the owning committee only; nothing changes
    # for anyone else.
    Row(
        "exec releases", "executive", "POST", _RELEASE, REDIRECT, {"note": "", "action": "release"}
    ),
    *[
        Row(
            f"{p} refused release",
            p,
            "POST",
            _RELEASE,
            FORBIDDEN,
            {"note": "", "action": "withdraw"},
            unchanged=_published,
        )
        for p in _PERSONAS
        if p not in _INVITERS
    ],
    Row(
        "visitor refused release",
        None,
        "POST",
        _RELEASE,
        LOGIN,
        {"action": "withdraw"},
        unchanged=_published,
    ),
    # The released summary: every signed-in member; never a written answer.
    Row("member reads results", "member", "GET", _RESULTS, OK, hidden=(ANONYMOUS_TEXT,)),
    Row("unverified reads results", "unverified", "GET", _RESULTS, OK, hidden=(ANONYMOUS_TEXT,)),
    Row("visitor asked to log in for results", None, "GET", _RESULTS, LOGIN),
    Row(
        "unreleased results are not found", "member", "GET", "/surveys/barriers/results/", NOT_FOUND
    ),
    # An anonymous response is never shown on its own, even to the owning committee.
    Row(
        "exec admin has no anonymous response",
        "executive",
        "GET",
        "/admin/crrg/response/",
        OK,
        hidden=(ANONYMOUS_TEXT, "Anonymous climate survey"),
    ),
    Row(
        "superuser admin has no anonymous response",
        "staff",
        "GET",
        "/admin/crrg/response/",
        OK,
        hidden=(ANONYMOUS_TEXT, "Anonymous climate survey"),
    ),
]


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
    *_INVITE_ROWS,
    *_ANONYMOUS_ROWS,
]
