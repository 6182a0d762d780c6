"""Access rows for meetings (see tests/security/access.py).

The Program committee's pages (dashboard, reviews, decisions, exports, the book of
abstracts, nominations) answer 403 to every other signed-in persona and send
anonymous readers to log in. A nomination's voluntary flags are seen by the
Program committee only: the nominator's own pages, My GDS and the public meeting
page never show them (the public page shows suppressed totals only).
"""

from datetime import timedelta

from django.utils import timezone

from accounts.enums import Role
from meetings.enums import AbstractState, Decision
from meetings.models import Abstract, DecisionNotification, Meeting, SpeakerNomination
from meetings.services.decisions import abstracts_decide
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract
from tests.security.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, REFUSED, Row

# What the admin answers a refused URL lookup (DisallowedModelAdminLookup).
BAD_LOOKUP = "status 400"

SECRET_TITLE = "Committee-only abstract about dark-matter sensors"
SECRET_COMMENT = "Reviewer remark: weak baseline"
SECRET_RATIONALE = "Nominee rationale known to the committee"
# Conflict of interest: program_committee is a named author of this one (issue 15, break 5).
OWN_TITLE = "Own abstract of the committee member"
OWN_COMMENT = "Another reviewer's verdict on it"
# Accepted, its decision sent, its presenter asked (issue 16, item 4).
PRESENTED_TITLE = "Accepted talk whose presenter is asked"
# Drafts are the author's alone (break 8).
DRAFT_TITLE = "Unsubmitted draft about quantum sensors"
# Decided, not sent (break 7): its author sees "Submitted — under review".
UNSENT_TITLE = "Decided but not yet told"
DECISION_LEAKS = ("Rejected", "Decision:", "Program Committee Member")
# Sessions (issue 16, item 5): an unpublished session, holding an abstract the
# program_committee persona co-wrote whose acceptance is not mailed yet: the editor
# must not show it to them (its being in a session would tell them it was accepted).
DRAFT_SESSION = "Unpublished session on sensor fusion"
OWN_ACCEPTED_TITLE = "Co-written, accepted, not yet told"
# The voluntary flags as the committee's pages spell them.
FLAG_TEXT = "under-represented minority;"


def world(personas) -> dict:
    from meetings.models import Review

    now = timezone.now()
    meeting = MeetingFactory(
        slug="access-2021",
        nominations_open_at=now - timedelta(days=1),
        nominations_close_at=now + timedelta(days=9),
    )
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01")
    abstract = make_abstract(
        submitter=personas.other_member,
        category=category,
        title=SECRET_TITLE,
        authors=[author("Otto Other", "other@example.org")],
    )
    Review.objects.create(
        abstract=abstract, reviewer=personas.program_committee, score=2, comment=SECRET_COMMENT
    )
    nomination = SpeakerNomination.objects.create(
        meeting=meeting,
        nominator=personas.member,
        nominee_name="Nadia Nominee",
        nominee_affiliation="Université Exemple",
        nominee_email="nadia@example.org",
        talk_title="Learning symmetries",
        rationale=SECRET_RATIONALE,
        nominee_is_woman=True,
        nominee_is_urm=True,
        nominee_outside_us=True,
    )
    own = make_abstract(
        submitter=personas.member,
        category=category,
        title=OWN_TITLE,
        authors=[
            author("Mia Member", "member@example.org"),
            author("Pat Committee", "Program@Example.org", presenting=False),
        ],
    )
    own_review = Review.objects.create(
        abstract=own,
        reviewer=UserFactory(roles=[Role.PROGRAM_COMMITTEE]),
        score=1,
        comment=OWN_COMMENT,
    )
    draft = make_abstract(
        submitter=personas.member, category=category, title=DRAFT_TITLE, submit=False
    )
    unsent = make_abstract(submitter=personas.member, category=category, title=UNSENT_TITLE)
    personas.program_committee.full_name = "Program Committee Member"
    personas.program_committee.save()
    abstracts_decide(abstracts=[unsent], decision=Decision.REJECT, by=personas.program_committee)
    # A meeting whose chair has an account: only that chair sends (break 6).
    chaired = MeetingFactory(slug="chaired-2019", year=2019)  # its own reference prefix
    chaired.program_chair = PersonFactory(
        name="Chris Chair",
        user=UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE]),
    )
    chaired.save()
    decided = make_abstract(
        submitter=personas.member,
        category=SortingCategoryFactory(meeting=chaired, code="23.01.02"),
        authors=[author("Mia Member", "member@example.org")],
    )
    Abstract.objects.filter(pk=decided.pk).update(state=AbstractState.REJECTED)
    # Its accepted abstracts published: the public book of abstracts exists.
    published = MeetingFactory(slug="published-2018", year=2018, contributed_published=True)
    presented, confirm_token = _presented(personas)
    session = _draft_session(meeting, category, personas)
    return {
        "presented": presented,
        "confirm_token": confirm_token,
        "meeting": meeting,
        "published": published,
        "abstract": abstract,
        "nomination": nomination,
        "own": own,
        "own_review": own_review,
        "draft": draft,
        "unsent": unsent,
        "chaired": chaired,
        "decided": decided,
        "session": session,
        "private": [
            DRAFT_SESSION,
            OWN_ACCEPTED_TITLE,
            SECRET_TITLE,
            SECRET_COMMENT,
            SECRET_RATIONALE,
            FLAG_TEXT,
            OWN_COMMENT,
            DRAFT_TITLE,
        ],
    }


def _presented(personas) -> tuple:
    """An accepted abstract whose decision is sent, and its presenter's signed link: on a
    meeting without a chair account, so the committee acts as its chair."""
    from meetings.links import confirmation_token
    from meetings.models import SpeakerConfirmation
    from meetings.services.decisions import decisions_send

    meeting = MeetingFactory(slug="presenting-2018", year=2018)
    presented = make_abstract(
        submitter=personas.other_member,
        category=SortingCategoryFactory(meeting=meeting, code="23.01.03"),
        title=PRESENTED_TITLE,
        authors=[author("Pia Presenter", "pia@example.org")],
    )
    abstracts_decide(
        abstracts=[presented], decision=Decision.ACCEPT_ORAL, by=personas.program_committee
    )
    decisions_send(meeting=meeting, by=personas.program_committee)
    token = confirmation_token(SpeakerConfirmation.objects.get(abstract=presented))
    return presented, token


def confirmation_state(world) -> tuple:
    from meetings.models import SpeakerConfirmation

    return SpeakerConfirmation.objects.values_list("state", "answered_at").get(
        abstract=world["presented"]
    )


def _draft_session(meeting, category, personas):
    from meetings.models import ContributedSession
    from meetings.services.sessions import talk_add

    colleague = UserFactory(email="colleague@example.org", roles=[Role.PROGRAM_COMMITTEE])
    own_accepted = make_abstract(
        submitter=personas.member,
        category=category,
        title=OWN_ACCEPTED_TITLE,
        authors=[
            author("Mia Member", "member@example.org"),
            author("Pat Committee", "program@example.org", presenting=False),
        ],
    )
    abstracts_decide(abstracts=[own_accepted], decision=Decision.ACCEPT_ORAL, by=colleague)
    session = ContributedSession.objects.create(meeting=meeting, title=DRAFT_SESSION)
    talk_add(session=session, abstract=own_accepted, by=colleague)
    return session


def session_state(world) -> tuple:
    from meetings.models import ContributedSession

    rows = ContributedSession.objects.order_by("pk")
    return (
        list(rows.values_list("title", "room", "published_at")),
        list(rows.values_list("talks__abstract", "talks__position")),
    )


SESSION_PAGES = [
    "/meetings/{meeting.slug}/committee/sessions/",
    "/meetings/{meeting.slug}/committee/sessions/new/",
    "/meetings/{meeting.slug}/committee/sessions/{session.pk}/",
]
SESSION_POSTS = [
    ("create per category", "/meetings/{meeting.slug}/committee/sessions/", {}),
    (
        "new session",
        "/meetings/{meeting.slug}/committee/sessions/new/",
        {"token": "7d0b7b4e-8a43-4d5e-9b0c-3f8f4c1c2a12", "title": "Hijacked"},
    ),
    ("edit session", "/meetings/{meeting.slug}/committee/sessions/{session.pk}/", {"title": "X"}),
    (
        "move a talk",
        "/meetings/{meeting.slug}/committee/sessions/{session.pk}/talks/",
        {"move": "remove-1"},
    ),
    (
        "publish",
        "/meetings/{meeting.slug}/committee/sessions/{session.pk}/publish/",
        {"publish": "1"},
    ),
    ("delete", "/meetings/{meeting.slug}/committee/sessions/{session.pk}/delete/", {"go": "1"}),
]


NOMINATION_PAGES = [
    ("edit", "/meetings/my/nominations/{nomination.pk}/edit/"),
    ("withdraw", "/meetings/my/nominations/{nomination.pk}/withdraw/"),
]
NOMINATION_EDIT = {
    "nominee_name": "Hijacked",
    "nominee_affiliation": "Elsewhere",
    "nominee_email": "x@example.org",
    "talk_title": "Hijacked",
    "rationale": "Hijacked",
}


def nomination_state(world) -> tuple:
    return SpeakerNomination.objects.values_list("nominee_name", "talk_title", "status").get(
        pk=world["nomination"].pk
    )


def decisions_sent(world) -> list:
    return list(DecisionNotification.objects.values_list("abstract", flat=True))


def chair_of(world) -> tuple:
    return Meeting.objects.values_list("program_chair", "program_chair__user").get(
        pk=world["chaired"].pk
    )


ASSIGNMENT_POSTS = [
    ("name reviewers", "/meetings/{meeting.slug}/committee/assignments/"),
    ("run the assignment", "/meetings/{meeting.slug}/committee/assignments/run/"),
    ("send the reviewers' reminder", "/meetings/{meeting.slug}/committee/reminders/send/"),
]


def assignment_state(world) -> tuple:
    from meetings.models import CategoryReviewer, ReviewAssignment, ReviewerReminder

    return (
        list(Meeting.objects.order_by("pk").values_list("reviews_per_abstract", flat=True)),
        CategoryReviewer.objects.count(),
        ReviewAssignment.objects.count(),
        ReviewerReminder.objects.count(),
    )


def abstract_state(world) -> tuple:
    return Abstract.objects.values_list("state", "category_id").get(pk=world["abstract"].pk)


COMMITTEE_PAGES = [
    "/meetings/{meeting.slug}/committee/",
    "/meetings/{meeting.slug}/committee/reviews/",
    "/meetings/{meeting.slug}/committee/reviews/{abstract.pk}/",
    "/meetings/{meeting.slug}/committee/decisions/",
    "/meetings/{meeting.slug}/committee/decisions/preview/",
    "/meetings/{meeting.slug}/committee/exports/",
    "/meetings/{meeting.slug}/committee/abstracts.csv",
    "/meetings/{meeting.slug}/committee/abstracts.xlsx",
    "/meetings/{meeting.slug}/committee/book/?all=1",
    # The book as a PDF (its content, conflicts left out: tests/meetings/test_book_pdf.py).
    "/meetings/{meeting.slug}/committee/book.pdf",
    "/meetings/{meeting.slug}/committee/nominations/",
    "/meetings/{meeting.slug}/committee/presenters/",
    "/meetings/{meeting.slug}/committee/presenters/remind/",
    "/meetings/{meeting.slug}/committee/reminders/drafts/",
    # Who reviews what (issue 16): read by the committee, written by the chair (here the
    # meeting has no chair account, so the committee).
    "/meetings/{meeting.slug}/committee/assignments/",
    "/meetings/{meeting.slug}/committee/assignments/{abstract.pk}/",
    "/meetings/{meeting.slug}/committee/reminders/",
]
PUBLIC_BOOK = "/meetings/{meeting.slug}/book.pdf"
PUBLISHED_BOOK = "/meetings/{published.slug}/book.pdf"
OUTSIDERS = (
    "member",
    "other_member",
    "unverified",
    "newsletter_editor",
    "webinar_committee",
    "crrg_coordinator",
    "executive",
)
FLAGS_HIDDEN = ("woman;", FLAG_TEXT, "outside the United States</dd>", "nominee_is_woman")

ROWS = [
    # The public book of abstracts (PDF): for everyone once the meeting's accepted
    # abstracts are published; before that it does not exist, for the committee and
    # superusers too (their copy is the committee's book).
    *[
        Row(f"{who} public book before publishing", who, "GET", PUBLIC_BOOK, NOT_FOUND)
        for who in (None, "member", "program_committee", "staff")
    ],
    *[
        Row(f"{who} public book once published", who, "GET", PUBLISHED_BOOK, OK)
        for who in (None, "member", "program_committee")
    ],
    # The session editor: the Program committee only; no one else changes a session.
    *[Row(f"anonymous {url}", None, "GET", url, LOGIN) for url in SESSION_PAGES],
    *[
        Row(f"{who} {url}", who, "GET", url, FORBIDDEN)
        for who in OUTSIDERS
        for url in SESSION_PAGES
    ],
    *[
        Row(f"{who} cannot {what}", who, "POST", url, FORBIDDEN, data=data, unchanged=session_state)
        for who in OUTSIDERS
        for what, url, data in SESSION_POSTS
    ],
    *[
        Row(
            f"anonymous cannot {what}", None, "POST", url, LOGIN, data=data, unchanged=session_state
        )
        for what, url, data in SESSION_POSTS
    ],
    # The committee member who co-wrote an accepted abstract does not see it in the
    # editor before its decision is mailed, and cannot publish the session it is in.
    *[
        Row(
            f"program committee {url}",
            "program_committee",
            "GET",
            url,
            OK,
            hidden=(OWN_ACCEPTED_TITLE,),
        )
        for url in SESSION_PAGES
    ],
    Row(
        "program committee cannot publish before decisions are sent",
        "program_committee",
        "POST",
        "/meetings/{meeting.slug}/committee/sessions/{session.pk}/publish/",
        REDIRECT,
        data={"publish": "1"},
        unchanged=session_state,
    ),
    # The committee's pages: the Program committee only.
    *[Row(f"anonymous {url}", None, "GET", url, LOGIN) for url in COMMITTEE_PAGES],
    *[
        Row(f"{who} {url}", who, "GET", url, FORBIDDEN, hidden=(SECRET_COMMENT,))
        for who in OUTSIDERS
        for url in COMMITTEE_PAGES
    ],
    *[
        Row(f"program committee {url}", "program_committee", "GET", url, OK)
        for url in COMMITTEE_PAGES
        if "abstracts." not in url
    ],
    # Decisions and sending: refused outside the committee, nothing changes.
    *[
        Row(
            f"{who} cannot decide",
            who,
            "POST",
            "/meetings/{meeting.slug}/committee/decisions/",
            FORBIDDEN,
            data=lambda w: {"abstracts": [w["abstract"].pk], "decision": AbstractState.REJECTED},
            unchanged=abstract_state,
        )
        for who in OUTSIDERS
    ],
    *[
        Row(
            f"{who} cannot send decisions",
            who,
            "POST",
            "/meetings/{meeting.slug}/committee/decisions/send/",
            FORBIDDEN,
            data={"go": "1"},
            unchanged=abstract_state,
        )
        for who in OUTSIDERS
    ],
    # Assignments and the reviewers' reminder: the chair's, refused to everyone else and
    # to a committee member of a meeting whose chair has an account.
    *[
        Row(
            f"{who} cannot {what}",
            who,
            "POST",
            url,
            FORBIDDEN,
            data={"reviews_per_abstract": "3", "category": "23.01.01"},
            unchanged=assignment_state,
        )
        for who in OUTSIDERS
        for what, url in ASSIGNMENT_POSTS
    ],
    *[
        Row(
            f"non-chair cannot {what}",
            "program_committee",
            "POST",
            url.replace("{meeting.slug}", "{chaired.slug}"),
            FORBIDDEN,
            data={"reviews_per_abstract": "3", "category": "23.01.02"},
            unchanged=assignment_state,
        )
        for what, url in ASSIGNMENT_POSTS
    ],
    Row(
        "non-chair cannot open a reassignment",
        "program_committee",
        "GET",
        "/meetings/{chaired.slug}/committee/assignments/{decided.pk}/",
        FORBIDDEN,
    ),
    Row(
        "author-reviewer cannot reassign their own",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/assignments/{own.pk}/",
        FORBIDDEN,
        hidden=(OWN_TITLE,),
    ),
    Row(
        "author-reviewer assignment page",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/assignments/",
        OK,
        hidden=(OWN_TITLE,),
    ),
    # Reviews in the admin: the committee only.
    Row("member review admin", "member", "GET", "/admin/meetings/review/", LOGIN),
    *[
        Row(f"{who} review admin", who, "GET", "/admin/meetings/review/", FORBIDDEN)
        for who in ("newsletter_editor", "webinar_committee", "crrg_coordinator", "executive")
    ],
    *[
        Row(f"{who} nomination admin", who, "GET", "/admin/meetings/speakernomination/", FORBIDDEN)
        for who in ("newsletter_editor", "webinar_committee", "executive")
    ],
    Row(
        "program committee review admin", "program_committee", "GET", "/admin/meetings/review/", OK
    ),
    # The nominator sees the nomination with a public-safe status, never the flags.
    Row(
        "nominator's own nominations",
        "member",
        "GET",
        "/meetings/my/nominations/",
        OK,
        hidden=FLAGS_HIDDEN,
    ),
    Row("nominator's My GDS", "member", "GET", "/my/", OK, hidden=FLAGS_HIDDEN),
    # The nominator changes their own nomination while open; for anyone else it does not
    # exist, and no one else changes it (issue 16, item 8).
    *[
        Row(f"nominator {page} page", "member", "GET", url, OK, hidden=FLAGS_HIDDEN)
        for page, url in NOMINATION_PAGES
    ],
    *[
        Row(f"anonymous nomination {page}", None, "GET", url, LOGIN)
        for page, url in NOMINATION_PAGES
    ],
    *[
        Row(
            f"{who} nomination {page} {method}",
            who,
            method,
            url,
            NOT_FOUND,
            data={**NOMINATION_EDIT, "token": "7d0b7b4e-8a43-4d5e-9b0c-3f8f4c1c2a11"},
            hidden=("Nadia Nominee", SECRET_RATIONALE),
            unchanged=nomination_state,
        )
        for who in ("other_member", "program_committee", "staff")
        for page, url in NOMINATION_PAGES
        for method in ("GET", "POST")
    ],
    Row(
        "other member's nominations page",
        "other_member",
        "GET",
        "/meetings/my/nominations/",
        OK,
        hidden=("Nadia Nominee", SECRET_RATIONALE),
    ),
    Row(
        "other member's My GDS",
        "other_member",
        "GET",
        "/my/",
        OK,
        hidden=("Nadia Nominee", SECRET_RATIONALE),
    ),
    # The public meeting page: only suppressed totals (1 flagged nomination: "fewer than 5").
    *[
        Row(
            f"{who} meeting page",
            who,
            "GET",
            "/meetings/{meeting.slug}/",
            OK,
            hidden=(
                "Nadia Nominee",
                SECRET_RATIONALE,
                "women: 1",
                FLAG_TEXT,
                DRAFT_SESSION,
                OWN_ACCEPTED_TITLE,
            ),
        )
        for who in (None, "member", "executive")
    ],
    Row(
        "program committee sees flags",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/nominations/",
        OK,
    ),
    # Conflict of interest: program_committee is a named author of `own`. Nothing of its
    # reviews, scores or state on any page; no review, no decision (break 5).
    Row(
        "author-reviewer cannot open the review form",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/reviews/{own.pk}/",
        FORBIDDEN,
        hidden=(OWN_COMMENT,),
    ),
    Row(
        "author-reviewer cannot review",
        "program_committee",
        "POST",
        "/meetings/{meeting.slug}/committee/reviews/{own.pk}/",
        FORBIDDEN,
        data={"score": "5", "comment": "Mine is great"},
        unchanged=lambda w: list(w["own"].reviews.values_list("score", "comment")),
    ),
    Row(
        "author-reviewer cannot decide",
        "program_committee",
        "POST",
        "/meetings/{meeting.slug}/committee/decisions/",
        OK,
        data=lambda w: {"abstracts": [w["own"].pk], "decision": AbstractState.ACCEPTED_ORAL},
        unchanged=lambda w: abstract_state({"abstract": w["own"]}),
    ),
    Row(
        "author-reviewer admin action decides nothing",
        "program_committee",
        "POST",
        "/admin/meetings/abstract/",
        REDIRECT,
        data=lambda w: {"action": "accept_oral", "_selected_action": [w["own"].pk]},
        unchanged=lambda w: abstract_state({"abstract": w["own"]}),
    ),
    Row(
        "author-reviewer review admin list",
        "program_committee",
        "GET",
        "/admin/meetings/review/",
        OK,
        hidden=(OWN_TITLE,),
    ),
    Row(
        "author-reviewer review admin page",
        "program_committee",
        "GET",
        "/admin/meetings/review/{own_review.pk}/change/",
        REDIRECT,
        hidden=(OWN_COMMENT,),
    ),
    Row(
        "author-reviewer review admin history",
        "program_committee",
        "GET",
        "/admin/meetings/review/{own_review.pk}/history/",
        REDIRECT,
        hidden=(OWN_TITLE,),
    ),
    Row(
        "author-reviewer abstract admin list",
        "program_committee",
        "GET",
        "/admin/meetings/abstract/?meeting__id__exact=all",
        OK,
        hidden=(OWN_TITLE,),
    ),
    Row(
        "author-reviewer abstract admin history",
        "program_committee",
        "GET",
        "/admin/meetings/abstract/{own.pk}/history/",
        FORBIDDEN,
        hidden=(OWN_TITLE,),
    ),
    Row(
        "author-reviewer export",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/abstracts.csv",
        OK,
        hidden=(OWN_TITLE,),
    ),
    Row(
        "author-reviewer book",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/book/?all=1",
        OK,
        hidden=(OWN_TITLE,),
    ),
    # Drafts are the author's alone, superusers included (break 8).
    *[
        Row(
            f"{who} abstract admin hides drafts",
            who,
            "GET",
            "/admin/meetings/abstract/?meeting__id__exact=all&_facets=1",
            OK,
            hidden=(DRAFT_TITLE,),
        )
        for who in ("program_committee", "staff")
    ],
    *[
        Row(
            f"{who} draft admin page",
            who,
            "GET",
            "/admin/meetings/abstract/{draft.pk}/change/",
            REDIRECT,
            hidden=(DRAFT_TITLE,),
        )
        for who in ("program_committee", "staff")
    ],
    *[
        Row(
            f"{who} draft admin history",
            who,
            "GET",
            "/admin/meetings/abstract/{draft.pk}/history/",
            REFUSED,
            hidden=(DRAFT_TITLE,),
        )
        for who in ("program_committee", "staff")
    ],
    Row(
        "program committee review list hides drafts",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/reviews/",
        OK,
        hidden=(DRAFT_TITLE,),
    ),
    Row(
        "program committee draft review form",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/reviews/{draft.pk}/",
        "not_found",
        hidden=(DRAFT_TITLE,),
    ),
    # An unsent decision: the author sees "Submitted — under review" (break 7).
    Row(
        "author's abstract page before the decision is sent",
        "member",
        "GET",
        "/meetings/my/abstracts/{unsent.pk}/",
        OK,
        hidden=DECISION_LEAKS,
    ),
    Row(
        "author's abstracts before the decision is sent",
        "member",
        "GET",
        "/meetings/my/abstracts/",
        OK,
        hidden=DECISION_LEAKS,
    ),
    Row(
        "author's My GDS before the decision is sent",
        "member",
        "GET",
        "/my/",
        OK,
        hidden=DECISION_LEAKS,
    ),
    # Editable as an undecided abstract is: a refusal would tell (outside probe).
    Row(
        "author's edit form before the decision is sent",
        "member",
        "GET",
        "/meetings/my/abstracts/{unsent.pk}/edit/",
        OK,
        hidden=(*DECISION_LEAKS, "can no longer be changed"),
    ),
    # Only the chair sends; no committee member makes themselves chair (break 6).
    Row(
        "program committee member who is not the chair cannot send",
        "program_committee",
        "POST",
        "/meetings/{chaired.slug}/committee/decisions/send/",
        FORBIDDEN,
        data={"go": "1"},
        unchanged=decisions_sent,
    ),
    Row(
        "program committee cannot relink the chair's person",
        "program_committee",
        "POST",
        "/admin/community/person/{chaired.program_chair.pk}/change/",
        REDIRECT,
        data=lambda w: {
            "name": "Chris Chair",
            "slug": w["chaired"].program_chair.slug,
            "user": w["personas"].program_committee.pk,
        },
        unchanged=chair_of,
    ),
    # The voluntary flags are never a filter, for a superuser outside the committee
    # or for the committee itself: the admin answers 400 (break 12).
    *[
        Row(
            f"{who} filters nominations by {lookup}",
            who,
            "GET",
            f"/admin/meetings/speakernomination/?{lookup}",
            BAD_LOOKUP,
            hidden=("Nadia Nominee",),
        )
        for who in ("staff", "program_committee")
        for lookup in (
            "nominee_is_woman__exact=1",
            "nominee_is_urm=True",
            "nominee_outside_us__in=1",
        )
    ],
    Row(
        "superuser outside the committee does not see the flags",
        "staff",
        "GET",
        "/admin/meetings/speakernomination/{nomination.pk}/change/",
        OK,
        hidden=("nominee_is_woman", "nominee_is_urm", "nominee_outside_us"),
    ),
    # Speakers' confirmations (issue 16, item 4). The signed link is the presenter's key:
    # whoever holds it sees the page; a made-up or cut link is a 400 page and changes nothing.
    *[
        Row(
            f"{who} with the presenter's link",
            who,
            "GET",
            "/meetings/presenting-2018/confirm/{confirm_token}/",
            OK,
        )
        for who in (None, "member", "program_committee")
    ],
    *[
        Row(
            f"{who} {kind} presenter link {method}",
            who,
            method,
            url,
            "status 400",
            data={"answer": "decline"},
            hidden=(PRESENTED_TITLE, "Pia Presenter"),
            unchanged=confirmation_state,
        )
        for who in (None, "member", "program_committee")
        for method in ("GET", "POST")
        for kind, url in (
            ("forged", "/meetings/presenting-2018/confirm/forged:token/"),
            # A true link, under another meeting's address.
            ("foreign", "/meetings/{meeting.slug}/confirm/{confirm_token}/"),
        )
    ],
    # In My GDS only the presenter answers: not the submitter (the presenter has an
    # address), not another member, not the committee.
    *[
        Row(
            f"{who} cannot answer for the presenter",
            who,
            "POST",
            "/meetings/my/abstracts/{presented.pk}/presenting/",
            # A superuser passes Django's has_perm; the service asks the rule itself.
            FORBIDDEN if who == "staff" else NOT_FOUND,
            data={"answer": "decline"},
            unchanged=confirmation_state,
        )
        for who in ("other_member", "member", "program_committee", "staff")
    ],
    Row(
        "anonymous cannot answer in My GDS",
        None,
        "POST",
        "/meetings/my/abstracts/{presented.pk}/presenting/",
        LOGIN,
        data={"answer": "decline"},
        unchanged=confirmation_state,
    ),
    # No answer before the decision is sent: the unsent one is not asked at all.
    Row(
        "no presenter answer before the decision is sent",
        "member",
        "POST",
        "/meetings/my/abstracts/{unsent.pk}/presenting/",
        NOT_FOUND,
        data={"answer": "confirm"},
    ),
    # The chair's acts: refused to a committee member of a meeting whose chair has an
    # account; nothing is sent or changed.
    *[
        Row(f"non-chair {method} {url}", "program_committee", method, url, FORBIDDEN)
        for method in ("GET", "POST")
        for url in (
            "/meetings/{chaired.slug}/committee/presenters/remind/",
            "/meetings/{chaired.slug}/committee/reminders/drafts/",
        )
    ],
    Row(
        "committee replaces nothing that was not declined",
        "program_committee",
        "POST",
        "/meetings/presenting-2018/committee/presenters/{presented.pk}/",
        OK,
        data={"action": "withdraw"},
        unchanged=lambda w: (
            Abstract.objects.get(pk=w["presented"].pk).state,
            confirmation_state(w),
        ),
    ),
    Row(
        "committee's drafts reminder shows no draft",
        "program_committee",
        "GET",
        "/meetings/{meeting.slug}/committee/reminders/drafts/",
        OK,
        hidden=(DRAFT_TITLE, "member@example.org"),
    ),
]
