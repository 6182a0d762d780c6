"""Rule parity (issue 15): each rule a committee page enforces holds on every other way in.

For each rule of meetings/rules.py (conflict of interest, drafts private, chair-only
sending, decisions unsent) the attack is tried through the custom page, each admin page
and action, the export and the service, and each refuses: state after refresh_from_db,
rows and mail are asserted, not only status codes.

Personas:
- the author-reviewer: a Program-committee member who is a named author of `own`
  (three ways: named co-author, submitter, superuser named as co-author); they must
  read no review, score, average, state or decision of it and change nothing of it.
- program_committee: an ordinary committee member with no conflict, who reviews and
  decides; their review of `own` carries a comment that must never reach the author.
- member / other_member: authors whose drafts and unsent decisions must stay theirs.
"""

import csv
import io
import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings import rules
from meetings.enums import AbstractState, Decision
from meetings.models import Abstract, DecisionNotification, Review
from meetings.selectors.statistics import category_statistics
from meetings.services.abstracts import abstract_save, abstract_withdraw
from meetings.services.decisions import abstracts_decide, decisions_send
from meetings.services.errors import Refused
from meetings.services.reviews import review_save
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import (
    SortingCategoryFactory,
    abstract_data,
    author,
    make_abstract,
)

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Reviewer remark the author must never read"
OWN_TITLE = "Own result of the author-reviewer"
OTHER_TITLE = "A result by somebody else"
ADMIN_ABSTRACTS = "/admin/meetings/abstract/"
ADMIN_REVIEWS = "/admin/meetings/review/"


def _abstract_state(abstract) -> tuple:
    abstract.refresh_from_db()
    return (abstract.state, abstract.category_id, abstract.decided_by_id)


def _csv_titles(response) -> list[str]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return [row[5] for row in csv.reader(io.StringIO(text.decode("utf-8-sig")))][1:]


# --- Conflict of interest -------------------------------------------------------------


@pytest.fixture(params=["coauthor", "submitter", "superuser"])
def coi(request, personas, focus):
    """`own`: an abstract the author-reviewer is a named author of, reviewed by two others
    (scores 1 and 2: average 1.5); `other`: one they are not (score 5)."""
    decider = UserFactory(email="dora@example.org", roles=[Role.PROGRAM_COMMITTEE])
    if request.param == "submitter":
        who = UserFactory(email="rita@example.org", roles=[Role.PROGRAM_COMMITTEE])
        own = make_abstract(
            submitter=who,
            category=focus,
            title=OWN_TITLE,
            authors=[author("Rita Reviewer", "rita@example.org")],
        )
    else:
        if request.param == "coauthor":
            who = UserFactory(email="rita@example.org", roles=[Role.PROGRAM_COMMITTEE])
        else:
            who = UserFactory(email="rita@example.org", is_staff=True, is_superuser=True)
        # Named with their verified address in other letter case.
        own = make_abstract(
            submitter=personas.member,
            category=focus,
            title=OWN_TITLE,
            authors=[
                author("Mia Member", "member@example.org"),
                author("Rita Reviewer", "RITA@example.org", presenting=False),
            ],
        )
    other = make_abstract(submitter=personas.other_member, category=focus, title=OTHER_TITLE)
    Review.objects.create(
        abstract=own, reviewer=personas.program_committee, score=1, comment=SECRET_COMMENT
    )
    Review.objects.create(abstract=own, reviewer=decider, score=2, comment="Two.")
    Review.objects.create(abstract=other, reviewer=decider, score=5, comment="Five.")
    return SimpleNamespace(who=who, own=own, other=other, decider=decider, meeting=focus.meeting)


def test_predicate_and_queryset_are_one_rule(coi, personas):
    """rules.is_named_author (objects) and rules.named_author_q (querysets) agree."""
    for user in (coi.who, coi.decider, personas.member, personas.other_member):
        by_queryset = set(
            Abstract.objects.filter(rules.named_author_q(user)).values_list("pk", flat=True)
        )
        by_predicate = {a.pk for a in Abstract.objects.all() if rules.is_named_author(user, a)}
        assert by_queryset == by_predicate
    assert rules.is_named_author(coi.who, coi.own)
    assert not rules.is_named_author(coi.who, coi.other)


def test_an_author_address_in_another_spelling_is_the_reviewers_own(personas, focus):
    # The form accepts Unicode domains, and a full-width letter is the same address
    # (accounts.identity.canonical_email): the reviewer is named on it. The objects'
    # rule compares canonical forms; the querysets' rule compares lower case, which is
    # the same for every address a member can register (docs/security.md).
    rosa = UserFactory(email="rosa@example.org", roles=[Role.PROGRAM_COMMITTEE])
    own = make_abstract(
        submitter=personas.member,
        category=focus,
        authors=[author("Rosa Reviewer", "rosa@\uff45xample.org")],
    )
    assert rules.is_named_author(rosa, own)
    with pytest.raises(Refused, match="author"):
        review_save(abstract=own, by=rosa, score=5, comment="Mine is great")
    assert not Review.objects.filter(reviewer=rosa).exists()


def test_conflicted_reviewer_cannot_review_by_page_or_service(coi, client_for):
    url = reverse("meetings:review", args=[coi.meeting.slug, coi.own.pk])
    client = client_for(coi.who)
    page = client.get(url)
    assert page.status_code == 403
    assert SECRET_COMMENT not in page.content.decode()
    client.post(url, {"score": "5", "comment": "Mine is great"})
    with pytest.raises(Refused, match="author"):
        review_save(abstract=coi.own, by=coi.who, score=5, comment="Mine is great")
    assert not Review.objects.filter(reviewer=coi.who).exists()


def test_conflicted_reviewer_reads_no_scores_on_committee_pages(coi, client_for):
    # Blind until scored: the other abstract's scores are shown once `who` reviewed it.
    Review.objects.create(abstract=coi.other, reviewer=coi.who, score=5)
    client = client_for(coi.who)
    slug = coi.meeting.slug
    for name in ("meetings:review_list", "meetings:decisions"):
        body = client.get(reverse(name, args=[slug])).content.decode()
        assert "1.5" not in body, name  # the own abstract's average
        assert "5.00" in body, name  # the other one's is there
    dashboard = client.get(reverse("meetings:dashboard", args=[slug])).content.decode()
    # The category's average without the own abstract: 5.0, not (1 + 2 + 5) / 3 = 2.7.
    assert "2.7" not in dashboard
    assert "5.0" in dashboard


def test_conflicted_reviewer_reads_no_reviews_in_the_admin(coi, client_for):
    # Blind until scored: the other abstract's reviews are listed once `who` reviewed it.
    Review.objects.create(abstract=coi.other, reviewer=coi.who, score=5)
    client = client_for(coi.who)
    review = Review.objects.get(comment=SECRET_COMMENT)
    listing = client.get(ADMIN_REVIEWS)
    assert {r.abstract_id for r in listing.context["cl"].result_list} == {coi.other.pk}
    # The whole title as one quoted phrase: word by word, "own" matched generated reviewer
    # names ("Brown") and "result" the other title, so the search found the other review.
    search = client.get(ADMIN_REVIEWS, {"q": f'"{OWN_TITLE}"'})
    assert list(search.context["cl"].result_list) == []
    for url in (
        f"{ADMIN_REVIEWS}{review.pk}/change/",
        f"{ADMIN_REVIEWS}{review.pk}/history/",
        f"{ADMIN_ABSTRACTS}{coi.own.pk}/change/",
        f"{ADMIN_ABSTRACTS}{coi.own.pk}/history/",
    ):
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert SECRET_COMMENT not in body, url
        assert OWN_TITLE not in body, url
    version = coi.own.history.order_by("history_id").last()
    old = client.get(f"{ADMIN_ABSTRACTS}{coi.own.pk}/history/{version.history_id}/")
    assert old.status_code == 403
    abstracts = client.get(f"{ADMIN_ABSTRACTS}?meeting__id__exact=all")
    assert [a.pk for a in abstracts.context["cl"].result_list] == [coi.other.pk]


def test_conflicted_reviewer_cannot_decide_or_move_own_abstract(coi, client_for, focus):
    before = _abstract_state(coi.own)
    client = client_for(coi.who)
    moved_to = SortingCategoryFactory(meeting=coi.meeting, code="23.03.00")
    decisions = reverse("meetings:decisions", args=[coi.meeting.slug])
    client.post(decisions, {"abstracts": [coi.own.pk], "decision": Decision.ACCEPT_ORAL})
    client.post(
        decisions, {"abstracts": [coi.own.pk], "decision": Decision.MOVE, "category": moved_to.pk}
    )
    client.post(ADMIN_ABSTRACTS, {"action": "accept_oral", "_selected_action": [coi.own.pk]})
    for decision, category in ((Decision.ACCEPT_ORAL, None), (Decision.MOVE, moved_to)):
        with pytest.raises(Refused, match="author"):
            abstracts_decide(abstracts=[coi.own], decision=decision, by=coi.who, category=category)
    # All or nothing: a batch with the own abstract in it changes nothing either.
    with pytest.raises(Refused):
        abstracts_decide(abstracts=[coi.other, coi.own], decision=Decision.REJECT, by=coi.who)
    assert _abstract_state(coi.own) == before
    assert _abstract_state(coi.other)[0] == AbstractState.SUBMITTED


def test_conflicted_reviewer_reads_no_decision_in_preview_export_book_or_admin(coi, client_for):
    abstracts_decide(abstracts=[coi.own, coi.other], decision=Decision.REJECT, by=coi.decider)
    client = client_for(coi.who)
    slug = coi.meeting.slug
    preview = client.get(reverse("meetings:decisions_preview", args=[slug])).content.decode()
    assert OWN_TITLE not in preview
    assert OTHER_TITLE in preview
    assert 'data-testid="own-mails"' in preview
    export = client.get(reverse("meetings:export", args=[slug, "csv"]))
    assert _csv_titles(export) == [OTHER_TITLE]
    book = client.get(reverse("meetings:book", args=[slug]) + "?all=1").content.decode()
    assert OWN_TITLE not in book
    assert OTHER_TITLE in book
    # Sent: the notification of the own abstract is not listed for them either.
    decisions_send(meeting=coi.meeting, by=coi.decider)
    notes = client.get("/admin/meetings/decisionnotification/")
    assert [n.abstract_id for n in notes.context["cl"].result_list] == [coi.other.pk]


def test_unconflicted_member_still_sees_everything(coi, client_for):
    """The rule hides an abstract from its authors only."""
    client = client_for(coi.decider)
    listing = client.get(ADMIN_REVIEWS)
    assert len(listing.context["cl"].result_list) == 3
    body = client.get(reverse("meetings:decisions", args=[coi.meeting.slug])).content.decode()
    assert "1.5" in body


# --- Drafts are the author's alone ----------------------------------------------------


@pytest.fixture
def drafts(personas, focus):
    draft = make_abstract(
        submitter=personas.member, category=focus, submit=False, title="A half-written draft"
    )
    dropped = make_abstract(
        submitter=personas.member,
        category=focus,
        submit=False,
        title="A draft withdrawn unsubmitted",
    )
    abstract_withdraw(abstract=dropped, by=personas.member, token=uuid.uuid4())
    # Drafted twice, then submitted: its draft versions are the author's too.
    submitted = make_abstract(
        submitter=personas.other_member, category=focus, submit=False, title="Early draft wording"
    )
    abstract_save(
        meeting=focus.meeting,
        by=personas.other_member,
        abstract=submitted,
        data=abstract_data(focus, title="Final wording"),
        token=uuid.uuid4(),
        submit=True,
    )
    return SimpleNamespace(draft=draft, dropped=dropped, submitted=submitted)


@pytest.mark.parametrize("who", ["program_committee", "staff"])
def test_drafts_are_not_in_the_admin(personas, client_for, drafts, who):
    client = client_for(getattr(personas, who))
    listing = client.get(f"{ADMIN_ABSTRACTS}?meeting__id__exact=all&_facets=1")
    assert [a.pk for a in listing.context["cl"].result_list] == [drafts.submitted.pk]
    body = listing.content.decode()
    assert "A half-written draft" not in body
    assert "withdrawn unsubmitted" not in body
    for hidden in (drafts.draft, drafts.dropped):
        for url in (
            f"{ADMIN_ABSTRACTS}{hidden.pk}/change/",
            f"{ADMIN_ABSTRACTS}{hidden.pk}/history/",
        ):
            response = client.get(url, follow=True)
            assert hidden.title not in response.content.decode(), url
        version = hidden.history.order_by("history_id").first()
        old = client.get(f"{ADMIN_ABSTRACTS}{hidden.pk}/history/{version.history_id}/")
        assert old.status_code == 403
    # The submitted abstract's history starts at its submission: no draft wording.
    history = client.get(f"{ADMIN_ABSTRACTS}{drafts.submitted.pk}/history/")
    assert "Early draft wording" not in history.content.decode()
    assert "Final wording" in history.content.decode()
    early = drafts.submitted.history.order_by("history_id").first()
    old = client.get(f"{ADMIN_ABSTRACTS}{drafts.submitted.pk}/history/{early.history_id}/")
    assert old.status_code == 403


def test_drafts_are_not_counted_exported_reviewed_or_decided(personas, client_for, drafts, focus):
    client = client_for(personas.program_committee)
    slug = focus.meeting.slug
    [row] = category_statistics(meeting=focus.meeting, viewer=personas.program_committee)
    assert (row.submitted, row.withdrawn, row.numbered) == (1, 0, 1)
    dashboard = client.get(reverse("meetings:dashboard", args=[slug])).content.decode()
    assert ">Drafts<" not in dashboard
    for state in ("", AbstractState.WITHDRAWN, AbstractState.DRAFT):
        export = client.get(reverse("meetings:export", args=[slug, "csv"]) + f"?state={state}")
        assert "withdrawn unsubmitted" not in export.content.decode()
        assert "half-written" not in export.content.decode()
    reviews = client.get(reverse("meetings:review_list", args=[slug])).content.decode()
    assert "half-written" not in reviews
    assert client.get(reverse("meetings:review", args=[slug, drafts.draft.pk])).status_code == 404
    with pytest.raises(Refused):
        review_save(abstract=drafts.draft, by=personas.program_committee, score=3, comment="")
    client.post(
        ADMIN_ABSTRACTS + "?meeting__id__exact=all",
        {"action": "reject", "_selected_action": [drafts.draft.pk]},
    )
    with pytest.raises(Refused):
        abstracts_decide(
            abstracts=[drafts.draft], decision=Decision.REJECT, by=personas.program_committee
        )
    drafts.draft.refresh_from_db()
    assert drafts.draft.state == AbstractState.DRAFT
    assert Review.objects.count() == 0


# --- Only the chair sends -------------------------------------------------------------


@pytest.fixture
def chaired(personas, focus):
    chair = UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    focus.meeting.program_chair = PersonFactory(user=chair)
    focus.meeting.save()
    abstract = make_abstract(submitter=personas.member, category=focus)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=chair)
    OutboundEmail.objects.all().delete()  # the receipt
    return SimpleNamespace(chair=chair, abstract=abstract, meeting=focus.meeting)


def test_only_the_chair_sends_by_page_service_or_admin(personas, client_for, chaired):
    member = personas.program_committee
    client = client_for(member)
    send = reverse("meetings:decisions_send", args=[chaired.meeting.slug])
    assert client.post(send).status_code == 403
    with pytest.raises(Refused, match="chair"):
        decisions_send(meeting=chaired.meeting, by=member)
    assert client.get("/admin/meetings/decisionnotification/add/").status_code == 403
    assert DecisionNotification.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    # The chair sends; nobody, superuser included, deletes the record that makes it final.
    assert decisions_send(meeting=chaired.meeting, by=chaired.chair) == 1
    note = DecisionNotification.objects.get()
    for who in (member, personas.staff):
        response = client_for(who).post(
            f"/admin/meetings/decisionnotification/{note.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403
    assert DecisionNotification.objects.count() == 1


# --- Decisions stay unsent until the chair sends them ----------------------------------


def test_sent_decisions_are_final_on_every_way_in(personas, client_for, chaired):
    decisions_send(meeting=chaired.meeting, by=chaired.chair)
    before = _abstract_state(chaired.abstract)
    client = client_for(chaired.chair)
    client.post(
        reverse("meetings:decisions", args=[chaired.meeting.slug]),
        {"abstracts": [chaired.abstract.pk], "decision": Decision.ACCEPT_ORAL},
    )
    client.post(
        ADMIN_ABSTRACTS, {"action": "accept_oral", "_selected_action": [chaired.abstract.pk]}
    )
    with pytest.raises(Refused, match="sent already"):
        abstracts_decide(
            abstracts=[chaired.abstract], decision=Decision.ACCEPT_ORAL, by=chaired.chair
        )
    with pytest.raises(Refused, match="reviews are closed"):
        review_save(abstract=chaired.abstract, by=chaired.chair, score=5, comment="")
    assert _abstract_state(chaired.abstract) == before
