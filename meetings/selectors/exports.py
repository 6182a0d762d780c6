"""The committee's spreadsheet export of a meeting's abstracts: which abstracts, and the
row each one becomes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from meetings.enums import SpeakerAnswer
from meetings.models import Abstract, Meeting
from meetings.selectors.abstracts import authors_prefetch

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
    """One abstract as a row under EXPORT_HEADER (export_abstracts has prefetched it)."""
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


def export_rows(
    *, meeting: Meeting, viewer: User, category: str = "", state: str = ""
) -> list[list[str | bool]]:
    """The rows of the export: export_abstracts, each as export_row."""
    abstracts = export_abstracts(meeting=meeting, viewer=viewer, category=category, state=state)
    return [export_row(abstract) for abstract in abstracts]
