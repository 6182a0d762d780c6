"""The Program committee's reads of abstracts: the review queue and page, the decision
list, likely duplicates, and what a member's own authorship hides from them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, cast

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from meetings.enums import REVIEWABLE_STATES
from meetings.models import Abstract, LikelyDuplicate, Meeting, Review
from meetings.selectors.abstracts import authors_prefetch
from meetings.selectors.scores import score_annotations

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User


class ReviewFigures(TypedDict):
    average_score: float | None  # the counting rule: meetings.selectors.scores
    score_min: float | None
    score_max: float | None
    review_count: int


def committee_abstracts(
    *, meeting: Meeting, with_authors: bool = True, with_affiliations: bool = True
) -> QuerySet[WithAnnotations[Abstract, ReviewFigures]]:
    """The meeting's numbered abstracts (submitted or decided), all categories; with their
    authors (and their affiliations) and the abstract's affiliations unless told not to:
    the lists show no author (two queries fewer, and no author rows to build, a third of
    the review list's time in the profile), the decision list no affiliation either."""
    abstracts = (
        Abstract.objects.filter(meeting=meeting, state__in=REVIEWABLE_STATES)
        .select_related(
            "category", "original_category", "submitter", "decided_by", "decision_notification"
        )
        .annotate(**score_annotations())
        .order_by("category__code", "reference")
    )
    if with_authors:
        abstracts = abstracts.prefetch_related(authors_prefetch())
    if with_affiliations:
        abstracts = abstracts.prefetch_related("affiliations")
    # The annotations come from a dict (score_annotations), which mypy cannot follow.
    return cast("QuerySet[WithAnnotations[Abstract, ReviewFigures]]", abstracts)


# (other abstract's pk, its reference, similarity)
Duplicate = tuple[int, str | None, float]


def likely_duplicates(*, meeting: Meeting, of: list[int]) -> dict[int, list[Duplicate]]:
    """For each abstract in `of`, the meeting's numbered others with a similar title or body.

    Read from the pairs the duplicate check stored (services/duplicates.py), never
    computed here, so the cost follows `of` (a page of the review list, or one abstract)
    whatever the size of the meeting. An other abstract withdrawn since is left out.
    Values are lists of (other abstract's pk, its reference, similarity), most similar
    first. One query.
    """
    if not of:
        return {}
    pairs = (
        LikelyDuplicate.objects.filter(
            abstract_id__in=of, other__meeting=meeting, other__state__in=REVIEWABLE_STATES
        )
        .order_by("-similarity", "other__reference")
        .values_list("abstract_id", "other_id", "other__reference", "similarity")
    )
    found: dict[int, list[Duplicate]] = {}
    for a_id, b_id, b_ref, score in pairs:
        found.setdefault(a_id, []).append((b_id, b_ref, round(score, 2)))
    return found


def conflicted_ids(*, meeting: Meeting, user: User) -> set[int]:
    """The meeting's abstracts `user` is a named author of (meetings.rules.named_author_q).
    One query."""
    from meetings.rules import named_author_q

    own = Abstract.objects.filter(named_author_q(user), meeting=meeting)
    return set(own.order_by().values_list("pk", flat=True))


class CommitteeView(TypedDict):
    """What the committee's lists show of each abstract (committee_abstracts, then
    redact_conflicts): None where the viewer is an author of it (`conflict`)."""

    average_score: float | None
    score_min: float | None
    score_max: float | None
    review_count: int | None
    conflict: bool
    blind: bool  # scores hidden until the viewer's own review (redact_blind)


def redact_conflicts(
    abstracts: Iterable[WithAnnotations[Abstract, CommitteeView]], *, conflicts: set[int]
) -> None:
    """Mark each abstract's `conflict` and, where `user` is its author, blank what the
    committee's side knows of it: its reviews' count and average, its state and decider
    (conflict of interest: the author reads none of it as a committee member)."""
    for abstract in abstracts:
        abstract.conflict = abstract.pk in conflicts
        if abstract.conflict:
            abstract.average_score = abstract.review_count = None
            abstract.score_min = abstract.score_max = None
            abstract.decided_by = abstract.decided_at = None


def normalised(value: str | None) -> str:
    """The one form in which affiliations and names are compared: Unicode NFKC (full-width
    letters become ASCII), format characters (category Cf: zero-width spaces, joiners,
    direction marks) removed, whitespace collapsed, case folded. Without it a conflict
    escapes by a character no one sees."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", " ".join(text.split()).casefold())


def _affiliation_of(user: User) -> str:
    return normalised(user.affiliation)


def _same_affiliation(mine: str, name: str) -> bool:
    """The one test of "the same affiliation": the whole names are equal once
    `normalised`. Never a substring: the reviewer edits their own affiliation freely,
    and a substring test let them narrow an author's affiliation down letter by letter
    (the warning, or dropping out of an assignment, answering each guess). The review
    pages' warning and the assignment's conflict both ask it."""
    return bool(mine) and mine == normalised(name)


def shares_name(abstract: Abstract, *, user: User) -> bool:
    """An author of `abstract` has the reviewer's full name (`normalised`): a committee
    member named as a co-author without an address is a conflict all the same.
    Prefetch the abstract's authors."""
    mine = normalised(user.full_name)
    return bool(mine) and any(normalised(a.name) == mine for a in abstract.authors.all())


def scores_visible_ids(*, meeting: Meeting, user: User) -> set[int]:
    """The meeting's abstracts whose scores `user` may read (meetings.rules.scores_visible_q:
    blind until scored; the chair reads all). One query."""
    from meetings.rules import scores_visible_q

    visible = Abstract.objects.filter(scores_visible_q(user, meeting=meeting), meeting=meeting)
    return set(visible.order_by().values_list("pk", flat=True))


def redact_blind(
    abstracts: Iterable[WithAnnotations[Abstract, CommitteeView]], *, visible: set[int]
) -> None:
    """Blank the average and spread of each abstract whose scores the viewer may not read
    yet (`scores_visible_ids`); the count of reviews stays (it is no score). `blind` says
    which were blanked, so the page can say why."""
    for abstract in abstracts:
        abstract.blind = abstract.pk not in visible and not abstract.conflict
        if abstract.blind:
            abstract.average_score = abstract.score_min = abstract.score_max = None


def shares_affiliation(abstract: Abstract, *, user: User) -> list[str]:
    """The abstract's affiliations that are the reviewer's own (`_same_affiliation`)."""
    mine = _affiliation_of(user)
    return [a.name for a in abstract.affiliations.all() if _same_affiliation(mine, a.name)]


def authors_sharing_affiliation(abstract: Abstract, *, user: User) -> list[str]:
    """Names of the abstract's authors with an affiliation matching the reviewer's
    (prefetch authors with their affiliations: `authors_prefetch`)."""
    mine = _affiliation_of(user)
    if not mine:
        return []
    return [
        author.name
        for author in abstract.authors.all()
        if any(_same_affiliation(mine, a.name) for a in author.affiliations.all())
    ]


REVIEW_PAGE_SIZE = 50


class ReviewerView(CommitteeView):
    my_review: Review | None
    shared_affiliations: list[str]
    duplicates: list[Duplicate]


def review_queue(
    *, meeting: Meeting, reviewer: User, page_number: str | None = None
) -> Page[WithAnnotations[Abstract, ReviewerView]]:
    """One page of the meeting's numbered abstracts with the reviewer's view of each.

    Each carries `my_review`, `conflict` (reviewer is an author: never reviewable),
    `shared_affiliations` and `duplicates` (stored pairs; `duplicates_checked_at` null
    means the check has not yet seen the abstract as it stands). Fixed queries, and work
    bounded by the page, whatever the numbers.
    """
    # The abstract's affiliations: "shares your affiliation" (no author is shown).
    page = _committee_page(
        meeting=meeting, viewer=reviewer, page_number=page_number, with_affiliations=True
    )
    abstracts = cast("list[WithAnnotations[Abstract, ReviewerView]]", page.object_list)
    reviews = Review.objects.filter(reviewer=reviewer, abstract__in=[a.pk for a in abstracts])
    mine = {review.abstract_id: review for review in reviews}
    duplicates = likely_duplicates(meeting=meeting, of=[a.pk for a in abstracts])
    for abstract in abstracts:
        abstract.my_review = mine.get(abstract.pk)
        abstract.shared_affiliations = shares_affiliation(abstract, user=reviewer)
        abstract.duplicates = duplicates.get(abstract.pk, [])
    return cast("Page[WithAnnotations[Abstract, ReviewerView]]", page)


def _committee_page(
    *, meeting: Meeting, viewer: User, page_number: str | None, with_affiliations: bool
) -> Page[WithAnnotations[Abstract, CommitteeView]]:
    """One page (REVIEW_PAGE_SIZE) of the meeting's numbered abstracts by category and
    reference, as `viewer` may see them: `redact_conflicts`, then `redact_blind`.

    The page is chosen on the order alone, then only its abstracts are read with their
    joins and review aggregates: read in one go, every numbered abstract of the meeting
    was aggregated and joined with all reviews and all members before the first 50 were
    kept, which grows with the site rather than with the page. Five queries (one more
    `with_affiliations`).
    """
    numbered = Abstract.objects.filter(meeting=meeting, state__in=REVIEWABLE_STATES)
    order = numbered.order_by("category__code", "reference").values_list("pk", flat=True)
    page = Paginator(order, REVIEW_PAGE_SIZE).get_page(page_number)
    chosen = committee_abstracts(
        meeting=meeting, with_authors=False, with_affiliations=with_affiliations
    ).filter(pk__in=list(page.object_list))
    abstracts = cast("list[WithAnnotations[Abstract, CommitteeView]]", list(chosen))
    redact_conflicts(abstracts, conflicts=conflicted_ids(meeting=meeting, user=viewer))
    redact_blind(abstracts, visible=scores_visible_ids(meeting=meeting, user=viewer))
    # The page of pks becomes the page of those abstracts (its numbering is the same).
    shown = cast("Page[WithAnnotations[Abstract, CommitteeView]]", page)
    shown.object_list = abstracts
    return shown


def decision_page(
    *, meeting: Meeting, viewer: User, page_number: str | None = None
) -> Page[WithAnnotations[Abstract, CommitteeView]]:
    """One page of the decision list: the meeting's numbered abstracts, the viewer's own
    marked and blanked (conflict of interest), scores blank until the viewer's own review
    (blind until scored). Paged like the review list: the whole list was ~600 rows of a
    meeting at once, half a second to render (bench scale 1 and 10 alike)."""
    return _committee_page(
        meeting=meeting, viewer=viewer, page_number=page_number, with_affiliations=False
    )


def abstract_for_review(*, meeting: Meeting, pk: int) -> Abstract | None:
    return (
        Abstract.objects.filter(meeting=meeting, pk=pk, state__in=REVIEWABLE_STATES)
        .select_related("category", "original_category", "submitter", "decision_notification")
        .prefetch_related(
            authors_prefetch(),
            "affiliations",
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer").prefetch_related(
                    "criterion_scores__criterion"
                ),
            ),
        )
        .first()
    )
