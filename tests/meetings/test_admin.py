"""The Program committee's abstract list in the admin: its filters, its columns, its cost.

Personas: program_committee works in the list (filters, counts, decisions); the abstracts
come from member and other_member.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from meetings.models import Review
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract

pytestmark = pytest.mark.django_db

URL = "/admin/meetings/abstract/"


def _options(page: str, param: str) -> list[str]:
    """The labels of a changelist filter's choices, in order."""
    return re.findall(rf'href="\?[^"]*\b{param}=\d+[^"]*"[^>]*>([^<]+)</a>', page)


def _world(n, focus, personas):
    """n abstracts in `focus`, each reviewed by n committee members, and one abstract with a
    review in another meeting, so every filter has choices to list."""
    reviewers = [UserFactory(roles=[Role.PROGRAM_COMMITTEE]) for _ in range(n)]
    for i in range(n):
        abstract = make_abstract(submitter=personas.member, category=focus, title=f"Title {i}")
        for reviewer in reviewers:
            Review.objects.create(abstract=abstract, reviewer=reviewer, score=3)
    elsewhere = SortingCategoryFactory(meeting=MeetingFactory(year=2022), code="23.02.01")
    other = make_abstract(submitter=personas.other_member, category=elsewhere)
    Review.objects.create(abstract=other, reviewer=UserFactory(), score=4)


# Whatever the number of abstracts, reviews, meetings and categories (issue 9: <= 20).
BUDGET = 12


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("query", ["", "?meeting__id__exact={meeting}", "?o=5", "?_facets=1"])
def test_abstract_list_query_count_is_fixed(
    personas,
    focus,
    client_for,
    count,
    query,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    _world(count, focus, personas)
    client = client_for(personas.program_committee)
    url = URL + query.format(meeting=focus.meeting.pk)
    client.get(url)  # warm the session and the site configuration
    # "Show counts" (_facets) adds one aggregate per filter; it stays within the target too.
    budget = BUDGET + 5 if "_facets" in query else BUDGET
    with django_assert_num_queries(budget), django_assert_max_num_queries(20):
        response = client.get(url)
    # By default the list shows the current meeting: `_world`'s other meeting, newer
    # (same start, created later), with its one abstract.
    assert len(response.context["cl"].result_list) == (count if "meeting" in query else 1)


def test_category_filter_labels_each_meeting_and_narrows_to_the_chosen_one(
    personas, focus, client_for
):
    earlier = MeetingFactory(name="March Meeting 2020", slug="march-2020", year=2020)
    SortingCategoryFactory(meeting=earlier, code="23.01.01", title="Big Data in Physics")
    SortingCategoryFactory(meeting=earlier, code="23.01.02", title="Networks")
    client = client_for(personas.program_committee)
    everything = client.get(f"{URL}?meeting__id__exact=all").content.decode()
    assert _options(everything, "category__id__exact") == [
        "MAR21 23.01.00 GDS FOCUS SESSIONS",
        "MAR21 23.01.01 Big Data in Physics",
        "MAR20 23.01.01 Big Data in Physics",
        "MAR20 23.01.02 Networks",
    ]
    chosen = client.get(f"{URL}?meeting__id__exact={earlier.pk}").content.decode()
    assert _options(chosen, "category__id__exact") == [
        "23.01.01 Big Data in Physics",
        "23.01.02 Networks",
    ]


def test_reviewer_filter_lists_who_reviewed_the_chosen_meeting(personas, focus, client_for):
    rita = UserFactory(email="rita@example.org", full_name="Rita Reviewer")
    rob = UserFactory(email="rob@example.org", full_name="Rob Reviewer")
    otto = UserFactory(email="otto@example.org", full_name="Otto Elsewhere")
    here = make_abstract(submitter=personas.member, category=focus)
    for reviewer in (rita, rob):
        Review.objects.create(abstract=here, reviewer=reviewer, score=4)
    elsewhere = SortingCategoryFactory(meeting=MeetingFactory(year=2022), code="23.02.01")
    Review.objects.create(
        abstract=make_abstract(submitter=personas.member, category=elsewhere),
        reviewer=otto,
        score=2,
    )
    client = client_for(personas.program_committee)
    everyone = client.get(f"{URL}?meeting__id__exact=all").content.decode()
    assert _options(everyone, "reviews__reviewer__id__exact") == [
        "Otto Elsewhere &lt;otto@example.org&gt;",
        "Rita Reviewer &lt;rita@example.org&gt;",
        "Rob Reviewer &lt;rob@example.org&gt;",
    ]
    chosen = client.get(f"{URL}?meeting__id__exact={focus.meeting.pk}").content.decode()
    assert _options(chosen, "reviews__reviewer__id__exact") == [
        "Rita Reviewer &lt;rita@example.org&gt;",
        "Rob Reviewer &lt;rob@example.org&gt;",
    ]


def test_review_column_counts_and_sorts_each_abstracts_reviews(personas, focus, client_for):
    none = make_abstract(submitter=personas.member, category=focus, title="Unreviewed")
    two = make_abstract(submitter=personas.member, category=focus, title="Twice reviewed")
    for email in ("r1@example.org", "r2@example.org"):
        Review.objects.create(abstract=two, reviewer=UserFactory(email=email), score=3)
    client = client_for(personas.program_committee)
    # Column 5 is "reviews" (after the selection box, reference, title, state and category).
    for order, expected in (("5", [none, two]), ("-5", [two, none])):
        result = client.get(f"{URL}?o={order}").context["cl"].result_list
        assert [(a, a.review_count) for a in result] == [
            (a, 2 if a == two else 0) for a in expected
        ]


def test_abstract_list_shows_the_filtered_total_only(personas, focus, client_for):
    make_abstract(submitter=personas.member, category=focus)
    page = client_for(personas.program_committee).get(URL).content.decode()
    assert '1 result (<a href="?">Show all</a>)' in page


def test_abstract_list_shows_the_current_meeting_unless_told_otherwise(personas, focus, client_for):
    """The current meeting is the newest whose call has opened: not a later one whose call
    is still to come, not an older one. "All meetings" and any other stay one click away."""
    now = timezone.now()
    older = MeetingFactory(
        name="March Meeting 2020",
        slug="march-2020",
        year=2020,
        starts_on=focus.meeting.starts_on - timedelta(days=365),
    )
    later = MeetingFactory(
        name="March Meeting 2023",
        slug="march-2023",
        year=2023,
        starts_on=focus.meeting.starts_on + timedelta(days=365),
        call_opens_at=now + timedelta(days=30),
        call_closes_at=now + timedelta(days=60),
    )
    here = make_abstract(submitter=personas.member, category=focus, title="This year")
    old_category = SortingCategoryFactory(meeting=older, code="23.01.01")
    before = make_abstract(
        submitter=personas.member, category=old_category, title="Three years ago"
    )
    client = client_for(personas.program_committee)

    default = client.get(URL)
    assert list(default.context["cl"].result_list) == [here]
    page = default.content.decode()
    meetings = re.findall(r'href="\?meeting__id__exact=(\w+)"[^>]*>([^<]+)</a>', page)
    assert meetings == [
        ("all", "All meetings"),
        (str(focus.meeting.pk), focus.meeting.name),
        (str(later.pk), later.name),
        (str(older.pk), older.name),
    ]
    assert re.search(
        rf'class="selected">\s*<a href="\?meeting__id__exact={focus.meeting.pk}"', page
    )

    everything = client.get(f"{URL}?meeting__id__exact=all").context["cl"].result_list
    assert sorted(a.title for a in everything) == ["This year", "Three years ago"]
    chosen = client.get(f"{URL}?meeting__id__exact={older.pk}").context["cl"].result_list
    assert list(chosen) == [before]


def test_abstract_list_refuses_a_meeting_that_is_no_number(personas, focus, client_for):
    response = client_for(personas.program_committee).get(f"{URL}?meeting__id__exact=x")
    # The admin's answer to a bad filter value: back to the list with ?e=1.
    assert (response.status_code, response.url) == (302, f"{URL}?e=1")


def test_review_takes_its_abstracts_meeting(personas, focus):
    # The reviewer filter reads reviews by meeting (Review.meeting, copied on save).
    abstract = make_abstract(submitter=personas.member, category=focus)
    review = Review.objects.create(abstract=abstract, reviewer=UserFactory(), score=3)
    review.refresh_from_db()
    assert review.meeting == focus.meeting


@pytest.mark.parametrize("count", [1, 3])
def test_abstract_change_page_query_count_is_fixed(
    personas, focus, client_for, count, django_assert_num_queries
):
    """One abstract's page, with 1 or 3 authors (each with an affiliation) and reviews:
    the abstract with its meeting, category and submitter in one read, its authors read
    once for every conflict-of-interest check (13 when each asked again)."""
    from tests.factories.meetings import author

    authors = [
        author(f"Author {i}", f"a{i}@example.org", presenting=i == 0, affiliations=[f"U{i}"])
        for i in range(count)
    ]
    abstract = make_abstract(submitter=personas.member, category=focus, authors=authors)
    for _ in range(count):
        Review.objects.create(abstract=abstract, reviewer=UserFactory(), score=3)
    client = client_for(personas.program_committee)
    url = f"{URL}{abstract.pk}/change/"
    client.get(url)  # warm the session and the site configuration
    with django_assert_num_queries(8):
        response = client.get(url)
    assert [a.name for a in response.context["original"].authors.all()] == [
        f"Author {i}" for i in range(count)
    ]
