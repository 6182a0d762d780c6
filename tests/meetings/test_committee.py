"""The Program committee's side: reviews, decisions and their mail, slots
(tests/meetings/test_committee_nominations.py has nominations).

Personas: program_committee reviews and decides (and, with no chair account on the
meeting, sends); a committee member who co-authored an abstract must not review it.
"""

import pytest
from django.urls import reverse

from accounts.enums import Role
from community.models import Unit
from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState, Decision, SessionOwnership
from meetings.models import DecisionNotification, InvitedSession, InvitedTalk, Review
from meetings.selectors.reviews import likely_duplicates
from meetings.services import duplicates
from meetings.services.decisions import abstracts_decide, decisions_send
from meetings.services.errors import Refused
from meetings.services.invited_sessions import invited_session_save
from meetings.services.reviews import review_save
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import (
    MeetingFactory,
    SortingCategoryFactory,
    author,
    make_abstract,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    return UserFactory(
        email="rita@example.org",
        full_name="Rita Reviewer",
        affiliation="Example State University",
        roles=[Role.PROGRAM_COMMITTEE],
    )


@pytest.fixture
def standard(meeting):
    return SortingCategoryFactory(meeting=meeting, code="23.03.00", title="Data Science in Physics")


def _abstract(submitter, category, title="Learning phase transitions", **kw):
    return make_abstract(submitter=submitter, category=category, title=title, **kw)


# --- Reviews -----------------------------------------------------------------------


def test_reviewer_scores_once_and_edits(personas, focus, reviewer, client_for):
    abstract = _abstract(personas.member, focus)
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    client = client_for(reviewer)
    assert client.post(url, {"score": "4", "comment": "Solid."}).status_code == 302
    assert client.post(url, {"score": "5", "comment": "Better."}).status_code == 302
    assert list(Review.objects.values_list("reviewer", "score", "comment")) == [
        (reviewer.pk, 5, "Better.")
    ]


def test_review_form_keeps_comment_and_says_what_is_missing(personas, focus, reviewer, client_for):
    abstract = _abstract(personas.member, focus)
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    response = client_for(reviewer).post(url, {"comment": "Half-written thought"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Half-written thought" in body
    assert Review.objects.count() == 0


@pytest.mark.parametrize("how", ["coauthor", "submitter"])
def test_author_cannot_review_own_abstract_by_url(personas, focus, reviewer, client_for, how):
    if how == "coauthor":
        abstract = _abstract(
            personas.member,
            focus,
            authors=[
                author("Mia Member", "member@example.org"),
                author("Rita Reviewer", "RITA@example.org", presenting=False),
            ],
        )
    else:
        abstract = _abstract(reviewer, focus)
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    client = client_for(reviewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"score": "5", "comment": "Mine is great"}).status_code == 403
    assert Review.objects.count() == 0
    listing = client.get(reverse("meetings:review_list", args=[focus.meeting.slug]))
    assert "you are an author" in listing.content.decode()
    assert url not in listing.content.decode()


@pytest.mark.parametrize(
    "affiliation",
    [
        "Example State University",
        "  example   STATE university ",
        "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "Example State University"),
        "Example State Uni\u200bversity",  # a zero-width space (category Cf)
    ],
)
def test_shared_affiliation_warns(personas, focus, reviewer, client_for, affiliation):
    abstract = _abstract(
        personas.member, focus, authors=[author("Mia Member", affiliations=[affiliation])]
    )
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    response = client_for(reviewer).get(url)
    assert 'data-testid="affiliation-warning"' in response.content.decode()


@pytest.mark.parametrize("mine", ["Example", "Example State University, Physics", "E"])
def test_affiliation_warning_is_no_substring_oracle(personas, focus, reviewer, client_for, mine):
    """The reviewer edits their own affiliation: were a prefix or a part enough, they
    could narrow an author's affiliation down guess by guess. Whole names only."""
    reviewer.affiliation = mine
    reviewer.save()
    abstract = _abstract(
        personas.member,
        focus,
        authors=[author("Mia Member", affiliations=["Example State University"])],
    )
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    response = client_for(reviewer).get(url)
    assert 'data-testid="affiliation-warning"' not in response.content.decode()


def test_an_author_with_the_reviewers_name_warns(personas, focus, reviewer, client_for):
    abstract = _abstract(
        personas.member,
        focus,
        authors=[author("Mia Member"), author("RITA  Reviewer", "other@example.org", False)],
    )
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    response = client_for(reviewer).get(url)
    assert 'data-testid="name-warning"' in response.content.decode()


def test_likely_duplicates_flagged_by_trigram_similarity(personas, focus, standard):
    first = _abstract(personas.member, focus, title="Anomaly detection in beamline logs")
    second = _abstract(personas.other_member, standard, title="Anomaly detection in beam line logs")
    third = _abstract(
        personas.other_member,
        focus,
        title="Koopman operators for turbulence",
        body="Entirely different text about fluids.",
    )
    duplicates.check_pending()
    found = likely_duplicates(meeting=focus.meeting, of=[first.pk, second.pk, third.pk])
    assert [pk for pk, _, _ in found[first.pk]] == [second.pk]
    assert [pk for pk, _, _ in found[second.pk]] == [first.pk]
    assert len(found) == 2
    # Only the abstracts asked about are read: a page of the list, not the meeting.
    assert list(likely_duplicates(meeting=focus.meeting, of=[first.pk])) == [first.pk]


def test_review_list_comes_in_pages(personas, focus, reviewer, client_for, monkeypatch):
    """The list is paged, so its work is bounded by the page, not by the meeting."""
    monkeypatch.setattr("meetings.selectors.reviews.REVIEW_PAGE_SIZE", 2)
    made = [
        _abstract(personas.member, focus, title=f"Distinct topic {word}")
        for word in ("alpha", "bravo", "charlie")
    ]
    url = reverse("meetings:review_list", args=[focus.meeting.slug])
    client = client_for(reviewer)
    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()
    assert first.count('data-testid="review-row"') == 2
    assert second.count('data-testid="review-row"') == 1
    assert "Page 1 of 2 (3 abstracts)" in first and 'href="?page=2"' in first
    assert made[2].title in second and made[2].title not in first
    # A page number out of range or not a number shows a page rather than an error.
    assert client.get(url + "?page=99").status_code == 200
    assert client.get(url + "?page=x").status_code == 200


def test_reviews_close_once_decision_is_sent(personas, focus, reviewer, commit):
    abstract = _abstract(personas.member, focus)
    review_save(abstract=abstract, by=reviewer, score=3, comment="")
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=reviewer)
    commit(decisions_send, meeting=focus.meeting, by=reviewer)
    with pytest.raises(Refused, match="reviews are closed"):
        review_save(abstract=abstract, by=reviewer, score=5, comment="")


def test_drafts_are_never_reviewed(personas, focus, reviewer, client_for):
    draft = _abstract(personas.member, focus, submit=False)
    url = reverse("meetings:review", args=[focus.meeting.slug, draft.pk])
    assert client_for(reviewer).get(url).status_code == 404


# --- Decisions and their mail --------------------------------------------------------


def test_decisions_record_who_and_move_keeps_original(personas, focus, standard, reviewer):
    one = _abstract(personas.member, focus, title="One")
    two = _abstract(personas.other_member, focus, title="Two")
    abstracts_decide(abstracts=[one, two], decision=Decision.ACCEPT_POSTER, by=reviewer)
    abstracts_decide(abstracts=[two], decision=Decision.MOVE, by=reviewer, category=standard)
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.state, one.decided_by, one.original_category) == (
        AbstractState.ACCEPTED_POSTER,
        reviewer,
        None,
    )
    assert (two.state, two.category, two.original_category) == (
        AbstractState.ACCEPTED_POSTER,
        standard,
        focus,
    )
    assert two.history.first().history_change_reason == "Moved to 23.03.00"
    assert two.history.first().history_user == reviewer


def test_decisions_refuse_drafts_and_write_nothing(personas, focus, reviewer):
    submitted = _abstract(personas.member, focus)
    draft = _abstract(personas.other_member, focus, submit=False)
    with pytest.raises(Refused):
        abstracts_decide(abstracts=[submitted, draft], decision=Decision.REJECT, by=reviewer)
    submitted.refresh_from_db()
    assert submitted.state == AbstractState.SUBMITTED


def test_decision_mail_goes_once_per_abstract(
    personas, focus, standard, reviewer, client_for, django_capture_on_commit_callbacks
):
    accepted = _abstract(personas.member, focus, title="Accepted one")
    moved = _abstract(personas.other_member, focus, title="Moved one")
    undecided = _abstract(personas.other_member, focus, title="Still open")
    abstracts_decide(abstracts=[accepted], decision=Decision.ACCEPT_ORAL, by=reviewer)
    abstracts_decide(abstracts=[moved], decision=Decision.MOVE, by=reviewer, category=standard)
    abstracts_decide(abstracts=[moved], decision=Decision.REJECT, by=reviewer)
    OutboundEmail.objects.all().delete()  # the receipts
    client = client_for(personas.program_committee)
    send = reverse("meetings:decisions_send", args=[focus.meeting.slug])

    preview = client.get(reverse("meetings:decisions_preview", args=[focus.meeting.slug]))
    # Per decision: the submitter and the one author with an address (the factory's Ada).
    assert preview.content.decode().count('data-testid="mail-preview"') == 4
    assert OutboundEmail.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)

    # The accepted abstract's presenter is also asked to confirm (tests/meetings/
    # test_confirmations.py); here, the decision mails alone.
    decisions = OutboundEmail.objects.filter(template="meetings/abstract-decision")
    mails = sorted((m.to[0], m.subject) for m in decisions)
    assert mails == [
        ("ada@example.org", f"[GDS] Decision on abstract {accepted.reference}: Accepted (oral)"),
        ("ada@example.org", f"[GDS] Decision on abstract {moved.reference}: not accepted"),
        ("member@example.org", f"[GDS] Decision on abstract {accepted.reference}: Accepted (oral)"),
        ("other@example.org", f"[GDS] Decision on abstract {moved.reference}: not accepted"),
    ]
    moved_mail = OutboundEmail.objects.get(to=["other@example.org"])
    assert "moved it from the sorting category" in moved_mail.body_text
    assert set(DecisionNotification.objects.values_list("abstract", flat=True)) == {
        accepted.pk,
        moved.pk,
    }
    assert undecided.state == AbstractState.SUBMITTED


def test_only_the_chair_sends_when_the_chair_has_an_account(personas, focus, client_for):
    chair_user = UserFactory(roles=[Role.PROGRAM_COMMITTEE])
    meeting = focus.meeting
    meeting.program_chair = PersonFactory(user=chair_user)
    meeting.save()
    abstract = _abstract(personas.member, focus)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=chair_user)
    send = reverse("meetings:decisions_send", args=[meeting.slug])
    assert client_for(personas.program_committee).post(send).status_code == 403
    assert DecisionNotification.objects.count() == 0
    assert client_for(chair_user).post(send).status_code == 302
    assert DecisionNotification.objects.count() == 1


def test_bulk_decision_form_needs_a_category_to_move(personas, focus, client_for):
    abstract = _abstract(personas.member, focus)
    url = reverse("meetings:decisions", args=[focus.meeting.slug])
    response = client_for(personas.program_committee).post(
        url, {"abstracts": [abstract.pk], "decision": Decision.MOVE}
    )
    assert "Choose the category to move the abstracts to." in response.content.decode()
    abstract.refresh_from_db()
    assert abstract.original_category is None


# --- Invited sessions and the slot rule ------------------------------------------------


def _session(meeting, ownership, title="Session"):
    return invited_session_save(
        session=InvitedSession(meeting=meeting, title=title, ownership=ownership)
    )


def test_two_wholly_owned_sessions_do_not_fit_one_slot(db):
    meeting = MeetingFactory(invited_session_slots=1)
    _session(meeting, SessionOwnership.WHOLLY_OWNED)
    with pytest.raises(Refused, match="one wholly-owned session or two co-sponsored"):
        _session(meeting, SessionOwnership.WHOLLY_OWNED)
    assert InvitedSession.objects.count() == 1


def test_two_cosponsored_fit_one_slot_and_a_third_does_not(db):
    meeting = MeetingFactory(invited_session_slots=1)
    _session(meeting, SessionOwnership.CO_SPONSORED, "A")
    _session(meeting, SessionOwnership.CO_SPONSORED, "B")
    with pytest.raises(Refused, match="does not fit"):
        _session(meeting, SessionOwnership.CO_SPONSORED, "C")
    with pytest.raises(Refused):
        _session(meeting, SessionOwnership.WHOLLY_OWNED, "D")
    assert sorted(InvitedSession.objects.values_list("title", flat=True)) == ["A", "B"]


def test_admin_refuses_a_session_beyond_the_slots(personas, client_for):
    meeting = MeetingFactory(invited_session_slots=1)
    _session(meeting, SessionOwnership.WHOLLY_OWNED)
    response = client_for(personas.program_committee).post(
        "/admin/meetings/invitedsession/add/",
        {
            "meeting": meeting.pk,
            "title": "One too many",
            "ownership": "owned",
            "talks-TOTAL_FORMS": "0",
            "talks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "does not fit" in response.content.decode()
    assert InvitedSession.objects.count() == 1


def test_meeting_page_shows_sessions_and_published_abstracts(personas, focus, client_for):
    meeting = focus.meeting
    meeting.invited_session_slots = 1
    meeting.save()
    fed, _ = Unit.objects.get_or_create(code="FEd", defaults={"name": "Forum on Education"})
    session = _session(meeting, SessionOwnership.CO_SPONSORED, "Data Science in Physics Education")
    session.cosponsors.set([fed])
    InvitedTalk.objects.create(
        session=session,
        position=1,
        title="Machine Learning in Particle Physics",
        speaker=PersonFactory(name="Sergei Gleyzer"),
    )
    accepted = _abstract(personas.member, focus, title="An accepted result")
    abstracts_decide(
        abstracts=[accepted], decision=Decision.ACCEPT_ORAL, by=personas.program_committee
    )
    page = client_for(None).get(meeting.get_absolute_url()).content.decode()
    assert "Machine Learning in Particle Physics" in page
    assert "Forum on Education" in page
    assert "An accepted result" not in page
    meeting.contributed_published = True
    meeting.save()
    # Published, but its author has not been told yet: the program does not tell them first.
    assert (
        "An accepted result"
        not in client_for(None).get(meeting.get_absolute_url()).content.decode()
    )
    decisions_send(meeting=meeting, by=personas.program_committee)
    assert "An accepted result" in client_for(None).get(meeting.get_absolute_url()).content.decode()


def test_admin_action_decides_through_the_service(personas, focus, client_for):
    abstract = _abstract(personas.member, focus)
    response = client_for(personas.program_committee).post(
        "/admin/meetings/abstract/",
        {"action": "accept_oral", "_selected_action": [abstract.pk]},
    )
    assert response.status_code == 302
    abstract.refresh_from_db()
    assert (abstract.state, abstract.decided_by) == (
        AbstractState.ACCEPTED_ORAL,
        personas.program_committee,
    )
    assert abstract.history.first().history_change_reason == "Decision: Accepted (oral)"


def test_preview_counts_abstracts_without_a_decision(personas, focus, standard, client_for):
    moved = _abstract(personas.member, focus)
    abstracts_decide(
        abstracts=[moved], decision=Decision.MOVE, by=personas.program_committee, category=standard
    )
    page = (
        client_for(personas.program_committee)
        .get(reverse("meetings:decisions_preview", args=[focus.meeting.slug]))
        .content.decode()
    )
    assert "1 submitted abstract has no decision yet" in page
