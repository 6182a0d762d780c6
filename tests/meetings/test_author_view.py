"""What an author sees of the committee's work, and the decision-mail preview (issue 15,
breaks 4 and 7).

Personas: member submits; program_committee ("Demo Program Committee") reviews, moves
and decides. Until the decision mail for an abstract is sent, the member sees
"Submitted — under review" and the category they chose on every page and in every
mail, and no page shown to a member ever names the committee member who decided.
"""

import uuid

import pytest
from django.urls import reverse

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState, Decision
from meetings.selectors.decisions import decisions_pending
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.factories.accounts import UserFactory
from tests.factories.meetings import SortingCategoryFactory, make_abstract

pytestmark = pytest.mark.django_db

DECIDER = "Demo Program Committee"
LEAKS = ("Rejected", "Accepted", "Decision:", DECIDER, "Moved to", "Data Science in Physics")


@pytest.fixture
def decider(db):
    return UserFactory(email="pc@example.org", full_name=DECIDER, roles=[Role.PROGRAM_COMMITTEE])


@pytest.fixture
def standard(meeting):
    return SortingCategoryFactory(meeting=meeting, code="23.03.00", title="Data Science in Physics")


@pytest.fixture
def decided(personas, focus, standard, decider):
    """The member's abstract, moved to another category and rejected, not yet sent."""
    abstract = make_abstract(submitter=personas.member, category=focus, title="My result")
    abstracts_decide(abstracts=[abstract], decision=Decision.MOVE, by=decider, category=standard)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=decider)
    abstract.refresh_from_db()
    assert (abstract.state, abstract.category) == (AbstractState.REJECTED, standard)
    return abstract


def _member_pages(abstract) -> list[str]:
    return [
        abstract.get_absolute_url(),
        reverse("meetings:my_abstracts"),
        "/my/",
        reverse("meetings:abstract_withdraw", args=[abstract.pk]),
    ]


def test_author_sees_under_review_until_the_decision_is_sent(
    personas, client_for, decided, decider, focus
):
    client = client_for(personas.member)
    for url in _member_pages(decided)[:3]:
        body = client.get(url).content.decode()
        assert "Submitted — under review" in body, url
        for leak in LEAKS:
            assert leak not in body, (url, leak)
        if url != "/my/":
            assert "Big Data in Physics" in body, url  # the category they chose
    decisions_send(meeting=focus.meeting, by=decider)
    for url in _member_pages(decided)[:3]:
        body = client.get(url).content.decode()
        assert "Rejected" in body, url
        assert DECIDER not in body, url
    page = client.get(decided.get_absolute_url()).content.decode()
    assert "Decision: Rejected" in page  # the timeline, once sent
    assert "Moved to 23.03.00" in page
    assert "Data Science in Physics" in page


def test_coauthor_sees_under_review_too(personas, client_for, focus, decider):
    from tests.factories.meetings import author

    abstract = make_abstract(
        submitter=personas.other_member,
        category=focus,
        authors=[
            author("Otto Other", "other@example.org"),
            author("Mia", "member@example.org", presenting=False),
        ],
    )
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_POSTER, by=decider)
    client = client_for(personas.member)
    for url in (abstract.get_absolute_url(), reverse("meetings:my_abstracts"), "/my/"):
        body = client.get(url).content.decode()
        assert "Accepted" not in body, url
        if url != "/my/":  # My GDS lists co-authored abstracts without a state
            assert "Submitted — under review" in body, url


def test_timeline_never_names_a_committee_member(personas, decided, decider, focus):
    from meetings.selectors.abstracts import abstract_timeline

    before = abstract_timeline(decided)
    assert [e["what"] for e in before] == ["Submitted"]
    assert [e["who"] for e in before] == [personas.member]
    decisions_send(meeting=focus.meeting, by=decider)
    decided.refresh_from_db()
    after = abstract_timeline(decided)
    assert [e["what"] for e in after] == ["Decision: Rejected", "Moved to 23.03.00", "Submitted"]
    assert [e["who"] for e in after] == [None, None, personas.member]


def test_author_can_withdraw_while_the_decision_is_unsent(personas, client_for, decided, commit):
    """To its author it is under review: it withdraws like a submitted abstract, and the
    receipt names the category they chose, not the committee's move."""
    client = client_for(personas.member)
    url = reverse("meetings:abstract_withdraw", args=[decided.pk])
    page = client.get(url)
    assert page.status_code == 200
    OutboundEmail.objects.all().delete()
    commit(client.post, url, {"token": str(uuid.uuid4())})
    decided.refresh_from_db()
    assert decided.state == AbstractState.WITHDRAWN
    [mail] = OutboundEmail.objects.all()
    assert "Sorting category: 23.01.01 Big Data in Physics" in mail.body_text
    assert "23.03.00" not in mail.body_text
    assert decisions_pending(meeting=decided.meeting).count() == 0


def test_public_program_waits_for_the_decision_mail(personas, client_for, focus, decider):
    abstract = make_abstract(submitter=personas.member, category=focus, title="Good result")
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    focus.meeting.contributed_published = True
    focus.meeting.save()
    url = focus.meeting.get_absolute_url()
    assert "Good result" not in client_for(None).get(url).content.decode()
    decisions_send(meeting=focus.meeting, by=decider)
    assert "Good result" in client_for(None).get(url).content.decode()


# --- Break 4: the decision-mail preview prints the text body as text --------------------

REDIRECT = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'


def test_decision_preview_escapes_member_text(personas, client_for, meeting, decider):
    meeting.title_max_length = 300
    meeting.save()
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01")
    abstract = make_abstract(
        submitter=personas.member,
        category=category,
        title=f"Result {REDIRECT} <b>bold</b> {{{{ 7|add:7 }}}}",
    )
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    url = reverse("meetings:decisions_preview", args=[meeting.slug])
    body = client_for(decider).get(url).content.decode()
    assert REDIRECT not in body
    assert "<b>bold</b>" not in body
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in body
    assert "{{ 7|add:7 }}" in body  # data, never template source


# --- Outside testing: three leaks before the decision mail ----------------------------


def _edit(client, abstract, code, **fields):
    from tests.meetings.conftest import form_data

    url = reverse("meetings:abstract_edit", args=[abstract.pk])
    return client.post(url, form_data(code, action="submit", **fields))


@pytest.fixture
def moved(personas, focus, standard, decider):
    """The member's abstract in 23.01.01, moved by the committee to 23.03.00, undecided."""
    abstract = make_abstract(submitter=personas.member, category=focus, title="My result")
    abstracts_decide(abstracts=[abstract], decision=Decision.MOVE, by=decider, category=standard)
    abstract.refresh_from_db()
    assert (abstract.category, abstract.original_category) == (standard, focus)
    return abstract


def test_edit_form_shows_the_authors_category_not_the_move(personas, client_for, moved):
    page = client_for(personas.member).get(reverse("meetings:abstract_edit", args=[moved.pk]))
    assert page.context["form"]["category"].value() == "23.01.01"
    body = page.content.decode()
    assert '<option value="23.01.01" selected>' in body
    assert '<option value="23.03.00" selected>' not in body


def test_authors_save_keeps_the_committees_move(
    personas, client_for, moved, focus, standard, decider
):
    """Saving the form as shown (their own category) neither undoes nor reveals the move."""
    client = client_for(personas.member)
    _edit(client, moved, "23.01.01", title="My result, revised")
    moved.refresh_from_db()
    assert (moved.title, moved.state) == ("My result, revised", AbstractState.SUBMITTED)
    assert (moved.category, moved.original_category) == (standard, focus)
    page = client_for(decider).get(reverse("meetings:decisions", args=[moved.meeting.slug]))
    assert "moved from 23.01.01" in page.content.decode()
    assert "moved from 23.03.00" not in page.content.decode()


def test_authors_new_category_after_a_move_is_their_choice(
    personas, client_for, moved, meeting, standard, commit
):
    """A new pick after a move becomes the author's choice (original_category); the
    committee's placement stands, and the author sees only what they picked."""
    other = SortingCategoryFactory(meeting=meeting, code="23.01.02", title="Machine Learning")
    client = client_for(personas.member)
    OutboundEmail.objects.all().delete()
    commit(_edit, client, moved, "23.01.02")
    moved.refresh_from_db()
    assert (moved.category, moved.original_category) == (standard, other)
    [mail] = OutboundEmail.objects.all()
    assert "Sorting category: 23.01.02 Machine Learning" in mail.body_text
    assert "23.03.00" not in mail.body_text
    body = client.get(moved.get_absolute_url()).content.decode()
    assert "Machine Learning" in body
    assert "Data Science in Physics" not in body
    assert "changed: category" in body  # the timeline: their own choice changed
    # Picking the committee's category: then there is no move left to keep.
    _edit(client, moved, "23.03.00")
    moved.refresh_from_db()
    assert (moved.category, moved.original_category) == (standard, None)


def test_timeline_after_sending_shows_only_the_sent_decision(personas, focus, decider, client_for):
    from meetings.selectors.abstracts import abstract_timeline

    abstract = make_abstract(submitter=personas.member, category=focus)
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=decider)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=decider)
    decisions_send(meeting=focus.meeting, by=decider)
    abstract.refresh_from_db()
    entries = abstract_timeline(abstract)
    decisions = [e for e in entries if e["what"].startswith("Decision")]
    assert [e["what"] for e in decisions] == ["Decision: Rejected"]
    # Dated when the mail went, not when (or how often) the committee deliberated.
    assert decisions[0]["when"] == abstract.decision_notification.sent_at
    assert [e["who"] for e in entries] == [None, personas.member]
    body = client_for(personas.member).get(abstract.get_absolute_url()).content.decode()
    assert "Accepted (oral)" not in body


def _normalised(body: str, abstract) -> str:
    import re

    body = body.replace(abstract.reference, "REF").replace(f"/{abstract.pk}/", "/PK/")
    body = body.replace(f"abstract-{abstract.pk}", "abstract-PK")
    body = re.sub(r'datetime="[^"]*"|\d\d:\d\d', "T", body)  # saved a moment apart
    return re.sub(r'(name="(csrfmiddlewaretoken|token)" value=")[^"]*', r"\1X", body)


def test_decided_unsent_abstract_is_editable_like_an_undecided_one(
    personas, client_for, focus, standard, decider, commit
):
    """The author cannot tell a decided-but-unsent abstract from an undecided one: the
    same Edit link, the same form, the same answer to a save; the decision (and move)
    survives the edit, and the committee sees the edit in the abstract's history."""
    undecided = make_abstract(submitter=personas.member, category=focus, title="Same")
    decided = make_abstract(submitter=personas.member, category=focus, title="Same")
    abstracts_decide(abstracts=[decided], decision=Decision.MOVE, by=decider, category=standard)
    abstracts_decide(abstracts=[decided], decision=Decision.ACCEPT_POSTER, by=decider)
    history_url = reverse("admin:meetings_abstract_history", args=[decided.pk])
    assert "Edited" not in client_for(decider).get(history_url).content.decode()
    client = client_for(personas.member)
    pages, forms, answers = [], [], []
    for abstract in (undecided, decided):
        edit_url = reverse("meetings:abstract_edit", args=[abstract.pk])
        detail = client.get(abstract.get_absolute_url()).content.decode()
        assert f'href="{edit_url}">Edit</a>' in detail
        form = client.get(edit_url)
        assert form.status_code == 200
        forms.append(_normalised(form.content.decode(), abstract))
        pages.append(_normalised(detail, abstract))
    assert forms[0] == forms[1]
    assert pages[0] == pages[1]
    for abstract in (undecided, decided):
        OutboundEmail.objects.all().delete()
        answer = commit(_edit, client, abstract, "23.01.01", title="Same, revised")
        assert answer.status_code == 302
        after = client.get(answer["Location"]).content.decode()  # the message, the timeline
        subjects = [m.subject for m in OutboundEmail.objects.all()]
        answers.append(
            [_normalised(after, abstract), *[_normalised(s, abstract) for s in subjects]]
        )
    assert answers[0] == answers[1]
    assert answers[0][1] == "[GDS] Abstract REF updated: Same, revised"
    decided.refresh_from_db()
    assert decided.title == "Same, revised"
    assert (decided.state, decided.decided_by) == (AbstractState.ACCEPTED_POSTER, decider)
    assert (decided.category, decided.original_category) == (standard, focus)
    assert decisions_pending(meeting=focus.meeting).get() == decided
    # The committee sees the edit in the abstract's history.
    assert "Edited" in client_for(decider).get(history_url).content.decode()
    record = decided.history.order_by("history_date").last()
    assert (record.history_change_reason, record.history_user) == ("Edited", personas.member)
