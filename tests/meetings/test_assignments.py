"""Reviewer assignment (issue 16, item 1): the chair names reviewers per category, the
portal spreads abstracts over them fairly and never to a conflicted one, the chair
reassigns or rebalances, reviewers work through their queue, and one reminder goes.

Personas: `chair` is the meeting's program chair (a Program-committee account);
`attacker` is another committee member who is not the chair; `r1`..`r3` are reviewers.
"""

import os
from collections import Counter

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings.enums import Decision
from meetings.models import CategoryReviewer, Review, ReviewAssignment, ReviewerReminder
from meetings.services.assignments import (
    assignment_reassign,
    category_reviewers_set,
    reviewer_reminders_send,
    reviewers_assign,
    spread,
)
from meetings.services.decisions import abstracts_decide, decisions_send
from meetings.services.errors import Refused
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import SortingCategoryFactory, author, make_abstract

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(db):
    return UserFactory(
        email="chair@example.org",
        full_name="Chris Chair",
        affiliation="Chair Institute",
        roles=[Role.PROGRAM_COMMITTEE],
    )


@pytest.fixture
def attacker(db):
    return UserFactory(
        email="attacker@example.org", affiliation="Elsewhere", roles=[Role.PROGRAM_COMMITTEE]
    )


@pytest.fixture
def chaired(meeting, chair):
    meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    meeting.save()
    return meeting


def _reviewer(name, affiliation):
    slug = name.lower().replace(" ", ".")
    return UserFactory(
        email=f"{slug}@example.org",
        full_name=name,
        affiliation=affiliation,
        roles=[Role.PROGRAM_COMMITTEE],
    )


@pytest.fixture
def reviewers(db):
    return [
        _reviewer("Rita One", "Institute One"),
        _reviewer("Rob Two", "Institute Two"),
        _reviewer("Ria Three", "Institute Three"),
    ]


@pytest.fixture
def two_categories(chaired):
    return [
        SortingCategoryFactory(meeting=chaired, code="23.01.01", title="Data"),
        SortingCategoryFactory(meeting=chaired, code="23.01.02", title="Learning"),
    ]


def _abstracts(category, count, **kwargs):
    return [
        make_abstract(
            submitter=UserFactory(),
            category=category,
            title=f"{category.code} abstract {i}",
            authors=kwargs.get("authors") or [author("Ada Author", "ada@example.org")],
        )
        for i in range(count)
    ]


def _name_all(chaired, chair, categories, reviewers, n=2):
    category_reviewers_set(
        meeting=chaired,
        reviewers=dict.fromkeys(categories, reviewers),
        reviews_per_abstract=n,
        by=chair,
    )


def _assigned(abstract) -> set:
    assigned = ReviewAssignment.objects.filter(abstract=abstract)
    return set(assigned.values_list("reviewer", flat=True))


def _loads(meeting) -> Counter:
    return Counter(
        ReviewAssignment.objects.filter(meeting=meeting).values_list("reviewer", flat=True)
    )


# --- The test: 3 reviewers, 2 categories, N=2 ------------------------------------


def test_three_reviewers_two_categories_two_reviews_each_balanced(
    chaired, chair, two_categories, reviewers
):
    abstracts = _abstracts(two_categories[0], 4) + _abstracts(two_categories[1], 3)
    _name_all(chaired, chair, two_categories, reviewers)
    added = reviewers_assign(meeting=chaired, by=chair)
    assert added == 14
    for abstract in abstracts:
        assert len(_assigned(abstract)) == 2
    loads = _loads(chaired)
    assert set(loads) == {r.pk for r in reviewers}
    assert max(loads.values()) - min(loads.values()) <= 1


def test_assignment_is_idempotent(chaired, chair, two_categories, reviewers):
    _abstracts(two_categories[0], 3)
    _name_all(chaired, chair, two_categories, reviewers)
    reviewers_assign(meeting=chaired, by=chair)
    before = sorted(ReviewAssignment.objects.values_list("abstract", "reviewer"))
    assert reviewers_assign(meeting=chaired, by=chair) == 0
    assert sorted(ReviewAssignment.objects.values_list("abstract", "reviewer")) == before


def test_an_author_is_never_assigned(chaired, chair, two_categories, reviewers):
    rita = reviewers[0]
    own = make_abstract(
        submitter=UserFactory(),
        category=two_categories[0],
        authors=[author("Ada Author", "ada@example.org"), author("Rita One", rita.email, False)],
    )
    _name_all(chaired, chair, two_categories, reviewers)
    reviewers_assign(meeting=chaired, by=chair)
    assert _assigned(own) == {reviewers[1].pk, reviewers[2].pk}


def test_same_affiliation_is_never_assigned_and_the_gap_is_shown(
    chaired, chair, two_categories, reviewers, client_for
):
    shared = make_abstract(
        submitter=UserFactory(),
        category=two_categories[0],
        title="Shared affiliation",
        authors=[
            author("Ada Author", "ada@example.org", affiliations=["Elsewhere"]),
            author("Bo Colleague", "bo@example.org", False, affiliations=["Institute Two"]),
        ],
    )
    # Only two reviewers in the category, one of them a colleague of an author: N=2
    # cannot be met without a conflict, so the abstract gets one and a gap.
    category_reviewers_set(
        meeting=chaired,
        reviewers={two_categories[0]: reviewers[:2]},
        reviews_per_abstract=2,
        by=chair,
    )
    reviewers_assign(meeting=chaired, by=chair)
    assert _assigned(shared) == {reviewers[0].pk}
    page = client_for(chair).get(reverse("meetings:assignments", args=[chaired.slug]))
    assert "Rob Two: same affiliation as Bo Colleague" in page.text
    assert "1 review short" in page.text
    dashboard = client_for(chair).get(reverse("meetings:dashboard", args=[chaired.slug]))
    assert "<td><strong>1</strong></td>" in dashboard.text


def test_rebalance_keeps_done_reviews_and_moves_open_ones(
    chaired, chair, two_categories, reviewers
):
    data = two_categories[0]
    abstracts = _abstracts(data, 4)
    category_reviewers_set(
        meeting=chaired, reviewers={data: reviewers[:2]}, reviews_per_abstract=1, by=chair
    )
    reviewers_assign(meeting=chaired, by=chair)
    done = ReviewAssignment.objects.filter(reviewer=reviewers[0]).first()
    Review.objects.create(abstract=done.abstract, reviewer=reviewers[0], score=4)
    # A third reviewer joins: rebalancing spreads the open ones over all three.
    category_reviewers_set(
        meeting=chaired, reviewers={data: reviewers}, reviews_per_abstract=1, by=chair
    )
    assert reviewers_assign(meeting=chaired, by=chair) == 0  # nothing is short
    reviewers_assign(meeting=chaired, by=chair, rebalance=data)
    assert ReviewAssignment.objects.filter(abstract=done.abstract, reviewer=reviewers[0]).exists()
    assert all(len(_assigned(a)) == 1 for a in abstracts)
    assert set(_loads(chaired).values()) <= {1, 2}
    assert reviewers[2].pk in _loads(chaired)


def test_a_review_already_done_counts(chaired, chair, two_categories, reviewers):
    (abstract,) = _abstracts(two_categories[0], 1)
    Review.objects.create(abstract=abstract, reviewer=reviewers[2], score=3)
    _name_all(chaired, chair, two_categories, reviewers)
    reviewers_assign(meeting=chaired, by=chair)
    assert reviewers[2].pk in _assigned(abstract)
    assert len(_assigned(abstract)) == 2


def test_decision_sent_abstracts_take_no_reviewers(chaired, chair, two_categories, reviewers):
    (abstract,) = _abstracts(two_categories[0], 1)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=chair)
    decisions_send(meeting=chaired, by=chair)
    _name_all(chaired, chair, two_categories, reviewers)
    assert reviewers_assign(meeting=chaired, by=chair) == 0


# --- Reassigning one abstract -------------------------------------------------------


def test_reassign_refuses_a_conflict_with_the_reason(chaired, chair, two_categories, reviewers):
    (abstract,) = _abstracts(
        two_categories[0],
        1,
        authors=[author("Ada Author", "ada@example.org", affiliations=["Institute Three"])],
    )
    _name_all(chaired, chair, two_categories, reviewers[:2])
    reviewers_assign(meeting=chaired, by=chair)
    with pytest.raises(Refused, match="same affiliation as Ada Author"):
        assignment_reassign(abstract=abstract, add=reviewers[2], remove=reviewers[0], by=chair)
    assert _assigned(abstract) == {reviewers[0].pk, reviewers[1].pk}


def test_reassign_moves_an_open_one_but_not_a_done_one(chaired, chair, two_categories, reviewers):
    (abstract,) = _abstracts(two_categories[0], 1)
    _name_all(chaired, chair, two_categories, reviewers[:2])
    reviewers_assign(meeting=chaired, by=chair)
    Review.objects.create(abstract=abstract, reviewer=reviewers[0], score=3)
    with pytest.raises(Refused, match="a done review stays"):
        assignment_reassign(abstract=abstract, add=reviewers[2], remove=reviewers[0], by=chair)
    assignment_reassign(abstract=abstract, add=reviewers[2], remove=reviewers[1], by=chair)
    assert _assigned(abstract) == {reviewers[0].pk, reviewers[2].pk}


def test_reassign_page_refuses_a_conflict_with_the_reason(
    chaired, chair, two_categories, reviewers, client_for
):
    (abstract,) = _abstracts(two_categories[0], 1, authors=[author("Rob Two", reviewers[1].email)])
    _name_all(chaired, chair, two_categories, [reviewers[0]])
    reviewers_assign(meeting=chaired, by=chair)
    url = reverse("meetings:assignment_abstract", args=[chaired.slug, abstract.pk])
    response = client_for(chair).post(url, {"remove": reviewers[0].pk, "add": reviewers[1].pk})
    assert response.status_code == 200
    assert "cannot review" in response.text and ": author." in response.text
    assert _assigned(abstract) == {reviewers[0].pk}


# --- Rule parity: non-chairs are refused by pages and services alike ------------------


def test_services_refuse_a_non_chair(chaired, attacker, two_categories, reviewers):
    (abstract,) = _abstracts(two_categories[0], 1)
    with pytest.raises(Refused):
        category_reviewers_set(
            meeting=chaired,
            reviewers={two_categories[0]: reviewers},
            reviews_per_abstract=2,
            by=attacker,
        )
    with pytest.raises(Refused):
        reviewers_assign(meeting=chaired, by=attacker)
    with pytest.raises(Refused):
        assignment_reassign(abstract=abstract, add=reviewers[0], remove=None, by=attacker)
    with pytest.raises(Refused):
        reviewer_reminders_send(meeting=chaired, by=attacker)
    assert not CategoryReviewer.objects.exists()
    assert not ReviewAssignment.objects.exists()
    assert not ReviewerReminder.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["meetings:assignments", "meetings:assignments_run", "meetings:reminders_send"],
)
def test_pages_refuse_a_non_chair(chaired, attacker, two_categories, reviewers, client_for, name):
    _abstracts(two_categories[0], 1)
    response = client_for(attacker).post(
        reverse(name, args=[chaired.slug]),
        {"reviews_per_abstract": "3", f"category_{two_categories[0].pk}": [reviewers[0].pk]},
    )
    assert response.status_code == 403
    chaired.refresh_from_db()
    assert chaired.reviews_per_abstract == 2
    assert not CategoryReviewer.objects.exists()
    assert not ReviewAssignment.objects.exists()
    assert not ReviewerReminder.objects.exists()


def test_perms_agree_with_the_services(chaired, chair, attacker):
    assert chair.has_perm("meetings.assign_reviewers", chaired)
    assert not attacker.has_perm("meetings.assign_reviewers", chaired)
    assert not attacker.has_perm("meetings.remind_reviewers", chaired)


def test_the_chair_names_reviewers_on_the_page(
    chaired, chair, two_categories, reviewers, client_for
):
    _abstracts(two_categories[0], 2)
    client = client_for(chair)
    url = reverse("meetings:assignments", args=[chaired.slug])
    response = client.post(
        url,
        {
            "reviews_per_abstract": "2",
            f"category_{two_categories[0].pk}": [r.pk for r in reviewers[:2]],
        },
    )
    assert response.status_code == 302
    assert client.post(reverse("meetings:assignments_run", args=[chaired.slug])).status_code == 302
    assert ReviewAssignment.objects.count() == 4
    response = client.post(
        reverse("meetings:assignments_run", args=[chaired.slug]), {"category": "23.01.01"}
    )
    assert response.status_code == 302
    assert ReviewAssignment.objects.count() == 4


# --- The queue and save and next ----------------------------------------------------


def test_queue_comes_first_and_save_and_next_walks_it(
    chaired, chair, two_categories, reviewers, client_for
):
    abstracts = _abstracts(two_categories[0], 2)
    category_reviewers_set(
        meeting=chaired,
        reviewers={two_categories[0]: [reviewers[0]]},
        reviews_per_abstract=1,
        by=chair,
    )
    reviewers_assign(meeting=chaired, by=chair)
    client = client_for(reviewers[0])
    listing = client.get(reverse("meetings:review_list", args=[chaired.slug])).text
    assert listing.index("My queue") < listing.index("All abstracts")
    first, second = sorted(abstracts, key=lambda a: a.reference)
    url = reverse("meetings:review", args=[chaired.slug, first.pk])
    response = client.post(url, {"score": "4", "comment": "", "then": "next"})
    assert response["Location"] == reverse("meetings:review", args=[chaired.slug, second.pk])
    url = reverse("meetings:review", args=[chaired.slug, second.pk])
    response = client.post(url, {"score": "3", "comment": "", "then": "next"}, follow=True)
    assert "Your queue is done" in response.text
    assert sorted(Review.objects.values_list("abstract", "score")) == sorted(
        [(first.pk, 4), (second.pk, 3)]
    )
    # Plain Save keeps going back to the list.
    response = client.post(url, {"score": "5", "comment": ""})
    assert response["Location"] == reverse("meetings:review_list", args=[chaired.slug])


# --- The one reminder ---------------------------------------------------------------


def test_reminder_is_previewed_then_sent_once_with_each_reviewers_own_count(
    chaired, chair, two_categories, reviewers, client_for, commit
):
    _abstracts(two_categories[0], 3)
    category_reviewers_set(
        meeting=chaired,
        reviewers={two_categories[0]: reviewers[:2]},
        reviews_per_abstract=1,
        by=chair,
    )
    reviewers_assign(meeting=chaired, by=chair)
    client = client_for(chair)
    preview = client.get(reverse("meetings:reminders", args=[chaired.slug])).text
    assert "rita.one@example.org" in preview and "rob.two@example.org" in preview
    assert "Ria Three" not in preview
    send = reverse("meetings:reminders_send", args=[chaired.slug])
    commit(client.post, send)
    rows = OutboundEmail.objects.filter(template="meetings/reviewer-reminder")
    assert sorted(r.to for r in rows) == [["rita.one@example.org"], ["rob.two@example.org"]]
    counts = {row.to[0]: row.subject.split()[1] for row in rows}
    assert counts == {"rita.one@example.org": "2", "rob.two@example.org": "1"}
    commit(client.post, send)
    assert rows.count() == 2
    reminder = ReviewerReminder.objects.get()
    assert (reminder.sent_by, reminder.recipients) == (chair, 2)
    again = client.get(reverse("meetings:reminders", args=[chaired.slug]))
    assert "It goes once only" in again.text


# --- The spreading, as a property ---------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI", "").lower() in {"1", "true", "yes"},
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def _cases(draw):
    abstracts = list(range(draw(st.integers(1, 12))))
    reviewers = list(range(100, 100 + draw(st.integers(1, 6))))
    n = draw(st.integers(1, 3))
    conflicts = draw(
        st.sets(st.tuples(st.sampled_from(abstracts), st.sampled_from(reviewers)), max_size=8)
    )
    return abstracts, reviewers, n, conflicts


@PROPERTY_SETTINGS
@given(case=_cases())
def test_spread_covers_each_abstract_without_conflicts(case):
    abstracts, reviewers, n, conflicts = case
    eligible = {a: [r for r in reviewers if (a, r) not in conflicts] for a in abstracts}
    added = spread(abstracts=abstracts, eligible=eligible, kept={}, load=Counter(), n=n)
    for a in abstracts:
        chosen = added.get(a, [])
        assert len(chosen) == len(set(chosen)) == min(n, len(eligible[a]))
        assert not any((a, r) in conflicts for r in chosen)


@PROPERTY_SETTINGS
@given(case=_cases())
def test_spread_balances_loads_when_nothing_conflicts(case):
    abstracts, reviewers, n, _ = case
    eligible = dict.fromkeys(abstracts, reviewers)
    load: Counter = Counter(dict.fromkeys(reviewers, 0))
    spread(abstracts=abstracts, eligible=eligible, kept={}, load=load, n=n)
    assert max(load.values()) - min(load.values()) <= 1
    # And a second run adds nothing: the assignment is idempotent.
    kept = {a: set(reviewers[: min(n, len(reviewers))]) for a in abstracts}
    assert spread(abstracts=abstracts, eligible=eligible, kept=kept, load=load, n=n) == {}


# --- Query budgets: the queue, the dashboard and the assignment page -----------------

PAGE_BUDGETS = {
    # + the rubric and the abstracts whose scores the viewer may read (blind until scored).
    # 15: without the authors and their affiliations, which the list never showed.
    "meetings:review_list": 14,
    "meetings:dashboard": 11,
    "meetings:reminders": 7,
}


@pytest.mark.parametrize("page", list(PAGE_BUDGETS))
def test_pages_have_fixed_query_counts_with_1_and_3_assignments(
    chaired, chair, two_categories, reviewers, client_for, page, django_assert_num_queries
):
    client = client_for(reviewers[0])
    url = reverse(page, args=[chaired.slug])
    category_reviewers_set(
        meeting=chaired, reviewers={two_categories[0]: reviewers}, reviews_per_abstract=3, by=chair
    )
    for count in (1, 2):  # 1, then 1 + 2 = 3 abstracts in each reviewer's queue
        done = _abstracts(two_categories[0], count)
        reviewers_assign(meeting=chaired, by=chair)
        Review.objects.create(abstract=done[0], reviewer=reviewers[1], score=3)
        client.get(url)  # warm the session and permission caches
        with django_assert_num_queries(PAGE_BUDGETS[page]):
            assert client.get(url).status_code == 200


def test_demo_assigns_reviewers_and_leaves_a_queue():
    import io

    from django.contrib.auth import get_user_model

    from meetings import demo
    from meetings.models import Meeting
    from meetings.selectors.assignments import my_queue

    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent: the second run assigns nothing more
    march = Meeting.objects.get(slug="march-2021")
    program = get_user_model().objects.with_email("program@demo.gds.example.org").get()
    assert [a.title for a in my_queue(meeting=march, reviewer=program)] == [
        "Graph networks for phonon spectra (demo)"
    ]
    assert CategoryReviewer.objects.filter(category__meeting=march).count() == 13
    assert reviewers_assign(meeting=march, by=program) == 0


# --- Outside probe findings: anonymity, conflicts, chair-only ------------------------


def _colleague_abstract(category, affiliation="Institute Two", name="Bo Colleague"):
    return make_abstract(
        submitter=UserFactory(),
        category=category,
        title="Shared affiliation",
        authors=[
            author("Ada Author", "ada@example.org", affiliations=["Elsewhere"]),
            author(name, "bo@example.org", False, affiliations=[affiliation]),
        ],
    )


def test_anonymised_assignment_page_names_no_author_to_a_non_chair(
    chaired, chair, two_categories, reviewers, client_for
):
    """A non-chair read "Rob Two: same affiliation as Bo Colleague" and "Rita One:
    author" under anonymised review: who wrote the abstract, in the skip column."""
    chaired.anonymised_review = True
    chaired.save()
    _colleague_abstract(two_categories[0])
    own = make_abstract(
        submitter=UserFactory(),
        category=two_categories[0],
        title="Rita's own",
        authors=[
            author("Ada Author", "ada@example.org"),
            author("Rita One", reviewers[0].email, False),
        ],
    )
    _name_all(chaired, chair, two_categories, reviewers)
    reviewers_assign(meeting=chaired, by=chair)
    assert reviewers[0].pk not in _assigned(own)
    url = reverse("meetings:assignments", args=[chaired.slug])
    page = client_for(reviewers[2]).get(url).text
    assert "Bo Colleague" not in page
    assert "Rob Two: conflict" in page
    assert "Rita One: conflict" in page
    assert "Rita One: author" not in page
    # The chair sees authors, and so the reasons.
    assert "Rob Two: same affiliation as Bo Colleague" in client_for(chair).get(url).text


@pytest.mark.parametrize(
    "affiliation",
    [
        "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "Institute Two"),
        "Insti\u200btute Two",
        "INSTITUTE  two",
    ],
)
def test_an_affiliation_spelt_otherwise_is_still_a_conflict(
    chaired, chair, two_categories, reviewers, affiliation
):
    shared = _colleague_abstract(two_categories[0], affiliation=affiliation)
    _name_all(chaired, chair, two_categories, reviewers[:2])
    reviewers_assign(meeting=chaired, by=chair)
    assert _assigned(shared) == {reviewers[0].pk}


def test_a_part_of_an_affiliation_is_no_conflict(chaired, chair, two_categories, reviewers):
    """Whole names only: "Institute" in "Institute Two" would be an oracle (the reviewer
    edits their own affiliation and watches whom they are assigned)."""
    reviewers[0].affiliation = "Institute"
    reviewers[0].save()
    shared = _colleague_abstract(two_categories[0])
    _name_all(chaired, chair, two_categories, [reviewers[0], reviewers[2]])
    reviewers_assign(meeting=chaired, by=chair)
    assert _assigned(shared) == {reviewers[0].pk, reviewers[2].pk}


def test_an_author_named_by_name_alone_is_never_assigned(
    chaired, chair, two_categories, reviewers, client_for
):
    """Rob Two named as a co-author without an address (or another one) is a conflict."""
    named = make_abstract(
        submitter=UserFactory(),
        category=two_categories[0],
        authors=[
            author("Ada Author", "ada@example.org", affiliations=["Elsewhere"]),
            author("rob  TWO", "", False, affiliations=["Elsewhere"]),
        ],
    )
    _name_all(chaired, chair, two_categories, reviewers)
    reviewers_assign(meeting=chaired, by=chair)
    assert reviewers[1].pk not in _assigned(named)
    page = client_for(chair).get(reverse("meetings:assignments", args=[chaired.slug])).text
    assert "Rob Two: same name as an author" in page
    with pytest.raises(Refused, match="same name as an author"):
        assignment_reassign(abstract=named, add=reviewers[1], remove=None, by=chair)


def test_a_superuser_is_not_the_chair(chaired, chair, two_categories, reviewers, client_for):
    """has_perm lets a superuser past every rule; the chair's acts ask the rule set."""
    boss = UserFactory(email="boss@example.org", is_superuser=True, is_staff=True)
    boss.groups.add(*chair.groups.all())
    (abstract,) = _abstracts(two_categories[0], 1)
    with pytest.raises(Refused, match="Only the program chair"):
        category_reviewers_set(
            meeting=chaired,
            reviewers={two_categories[0]: reviewers},
            reviews_per_abstract=2,
            by=boss,
        )
    with pytest.raises(Refused, match="Only the program chair"):
        reviewers_assign(meeting=chaired, by=boss)
    with pytest.raises(Refused, match="Only the program chair"):
        reviewer_reminders_send(meeting=chaired, by=boss)
    client = client_for(boss)
    run = client.post(reverse("meetings:assignments_run", args=[chaired.slug]))
    assert (run.status_code, "Only the program chair assigns reviewers" in run.text) == (
        403,
        True,
    )
    one = client.get(reverse("meetings:assignment_abstract", args=[chaired.slug, abstract.pk]))
    assert one.status_code == 403
    assert not ReviewAssignment.objects.exists()


def test_a_non_chair_is_told_why_they_are_refused(chaired, attacker, client_for):
    client = client_for(attacker)
    sent = client.post(reverse("meetings:reminders_send", args=[chaired.slug]))
    assert (sent.status_code, "Only the program chair reminds the reviewers" in sent.text) == (
        403,
        True,
    )
    assert not ReviewerReminder.objects.exists()


def test_a_superuser_is_not_the_chair_for_speakers_reminders_either(chaired, chair, client_for):
    """The presenters' and draft authors' reminders are the chair's acts too: asked of
    the rule set, so a superuser who is not the chair is refused in service and page."""
    from meetings.services.confirmations import presenters_remind
    from meetings.services.reminders import drafts_remind

    boss = UserFactory(email="boss@example.org", is_superuser=True, is_staff=True)
    boss.groups.add(*chair.groups.all())
    with pytest.raises(Refused):
        presenters_remind(meeting=chaired, by=boss)
    with pytest.raises(Refused):
        drafts_remind(meeting=chaired, by=boss)
    client = client_for(boss)
    for name in ("meetings:presenters_remind", "meetings:drafts_remind"):
        assert client.post(reverse(name, args=[chaired.slug])).status_code == 403
