"""The committee's spreadsheet export of a meeting's abstracts: which abstracts, and the
row each one becomes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from meetings.enums import DECIDED_STATES, SpeakerAnswer
from meetings.models import Abstract, Meeting, RubricCriterion
from meetings.selectors.abstracts import authors_prefetch
from meetings.selectors.scores import criterion_means, rubric_of, score_annotations, spread

if TYPE_CHECKING:
    from accounts.models import User

EXPORT_HEADER = [
    "Reference",
    "State",
    "Category",
    "Category title",
    "Original category",
    "Title",
    "Abstract",
    "Presentation preference",
    "Student presenter",
    "Authors",
    "Affiliations",
    "Presenting author",
    "Presenter confirmation",
    "Submitter email",
    "Submitted at",
    "Keywords",
    "Funding",
]
# The committee's numbers (meetings.selectors.scores); the rubric's per-criterion means
# come between the spread and the reviewer count (export_header).
SCORE_HEADER = ["Score (weighted)", "Spread (min to max)"]
COUNT_HEADER = ["Reviewers", "Decision"]
ANONYMISED = "(anonymised)"


def export_header(meeting: Meeting) -> list[str]:
    criteria = [f"Mean: {c.name}" for c in rubric_of(meeting.pk)]
    return [*EXPORT_HEADER, *SCORE_HEADER, *criteria, *COUNT_HEADER]


def export_abstracts(
    *, meeting: Meeting, viewer: User, category: str = "", state: str = ""
) -> QuerySet[Abstract]:
    """Submitted abstracts (or those in `state`) for the committee's exports: never a
    draft, nor a draft withdrawn unsubmitted, nor one `viewer` is an author of."""
    from meetings.rules import committee_abstracts_q

    queryset = (
        Abstract.objects.filter(committee_abstracts_q(viewer), meeting=meeting)
        .select_related("category", "original_category", "submitter", "speaker_confirmation")
        .prefetch_related(authors_prefetch())
        .annotate(**score_annotations())
        .order_by("category__code", "reference")
    )
    if category:
        queryset = queryset.filter(category__code=category)
    if state:
        queryset = queryset.filter(state=state)
    return queryset


# The presenter's own answer (SpeakerConfirmation), as the export spells it; "—" when no
# one was asked (not accepted, or its decision not sent).
CONFIRMATION_CELL = {
    SpeakerAnswer.CONFIRMED: "confirmed",
    SpeakerAnswer.DECLINED: "declined",
    SpeakerAnswer.ASKED: "not answered",
    SpeakerAnswer.NO_ADDRESS: "not answered (no email address)",
}


def confirmation_cell(abstract: Abstract) -> str:
    confirmation = getattr(abstract, "speaker_confirmation", None)
    return CONFIRMATION_CELL[SpeakerAnswer(confirmation.state)] if confirmation else "—"


def export_row(abstract: Abstract) -> list[str | bool]:
    """One abstract as its EXPORT_HEADER cells (export_abstracts has prefetched it)."""
    authors = list(abstract.authors.all())
    affiliations: list[str] = []
    for author in authors:
        for affiliation in author.affiliations.all():
            if affiliation.name not in affiliations:
                affiliations.append(affiliation.name)
    presenting = next((a.name for a in authors if a.is_presenting), "")
    original = abstract.original_category.code if abstract.original_category else ""
    return [
        abstract.reference or "",
        abstract.get_state_display(),
        abstract.category.code,
        abstract.category.title,
        original,
        abstract.title,
        abstract.body,
        abstract.get_presentation_display(),
        abstract.student_presenter,
        "; ".join(f"{a.name} ({', '.join(f.name for f in a.affiliations.all())})" for a in authors),
        "; ".join(affiliations),
        presenting,
        confirmation_cell(abstract),
        abstract.submitter.email,
        abstract.submitted_at.isoformat() if abstract.submitted_at else "",
        abstract.keywords,
        abstract.funding,
    ]


def score_cells(
    abstract: Any, *, rubric: list[RubricCriterion], means: dict[int, float], visible: bool
) -> list[str | float | int]:
    """The committee's numbers of one annotated abstract under SCORE_HEADER, the
    criteria and COUNT_HEADER; blank where the viewer may not read its scores yet."""
    decision = abstract.get_state_display() if abstract.state in DECIDED_STATES else ""
    if not visible or abstract.average_score is None:
        return ["", "", *([""] * len(rubric)), abstract.review_count, decision]
    return [
        round(abstract.average_score, 2),
        spread(abstract),
        *[round(means[c.pk], 2) if c.pk in means else "" for c in rubric],
        abstract.review_count,
        decision,
    ]


# The cells of EXPORT_HEADER that say who wrote the abstract (anonymised review).
AUTHOR_COLUMNS = [
    EXPORT_HEADER.index(h)
    for h in ("Authors", "Affiliations", "Presenting author", "Submitter email")
]


def export_rows(
    *, meeting: Meeting, viewer: User, category: str = "", state: str = ""
) -> list[list[str | bool | float | int]]:
    """The rows of the export under export_header: export_abstracts, each as export_row
    and its score_cells. Blind until scored and anonymised review hold here as on the
    pages (meetings.rules: see_scores, see_authors)."""
    from meetings.rules import rule_says, scores_visible_q

    abstracts = list(
        export_abstracts(meeting=meeting, viewer=viewer, category=category, state=state)
    )
    rubric = rubric_of(meeting.pk)
    means = criterion_means(a.pk for a in abstracts) if rubric else {}
    visible = set(
        Abstract.objects.filter(scores_visible_q(viewer), meeting=meeting).values_list(
            "pk", flat=True
        )
    )
    anonymised = not rule_says("meetings.see_authors", viewer, meeting)
    rows: list[list[str | bool | float | int]] = []
    for abstract in abstracts:
        row: list[str | bool | float | int] = list(export_row(abstract))
        if anonymised:
            for index in AUTHOR_COLUMNS:
                row[index] = ANONYMISED
        cells = score_cells(
            abstract,
            rubric=rubric,
            means=means.get(abstract.pk, {}),
            visible=abstract.pk in visible,
        )
        rows.append(row + cells)
    return rows
