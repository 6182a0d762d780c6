"""Reads of the meetings domain, each with a fixed number of queries."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower

from meetings.enums import AbstractState
from meetings.models import (
    Abstract,
    AbstractAuthor,
    CategoryCosponsor,
    Meeting,
    SortingCategory,
)


def meetings_upcoming() -> QuerySet[Meeting]:
    return Meeting.objects.upcoming().select_related("program_chair")


def meetings_past() -> QuerySet[Meeting]:
    return Meeting.objects.past().select_related("program_chair")


def _with_cosponsors(queryset: QuerySet[SortingCategory]) -> QuerySet[SortingCategory]:
    return queryset.prefetch_related(
        Prefetch("cosponsorships", queryset=CategoryCosponsor.objects.select_related("unit"))
    )


def call_sections(*, meeting: Meeting) -> list[SortingCategory]:
    """The meeting's top-level categories and headings, each heading with its `children`."""
    children = _with_cosponsors(SortingCategory.objects.order_by("code"))
    return list(
        _with_cosponsors(meeting.categories.filter(parent__isnull=True))
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("code")
    )


def open_categories(*, meeting: Meeting) -> list[SortingCategory]:
    """Categories that accept contributed abstracts, with their heading."""
    return list(
        meeting.categories.filter(accepts_contributed=True)
        .select_related("parent")
        .order_by("code")
    )


def verified_emails(user) -> list[str]:
    return [
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def abstracts_of(user) -> QuerySet[Abstract]:
    """The abstracts `user` submitted or drafted, newest first."""
    return (
        Abstract.objects.filter(submitter=user)
        .select_related("meeting", "category")
        .order_by("-created_at")
    )


def abstracts_coauthored(user) -> QuerySet[Abstract]:
    """Others' abstracts (past draft) naming one of `user`'s verified addresses as an author."""
    emails = verified_emails(user)
    author_ids = (
        AbstractAuthor.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values("abstract_id")
    )
    return (
        Abstract.objects.filter(pk__in=author_ids if emails else [])
        .exclude(submitter=user)
        .exclude(state=AbstractState.DRAFT)
        .select_related("meeting", "category", "submitter")
        .order_by("-created_at")
    )


def abstract_for_page(pk: int) -> Abstract | None:
    return (
        Abstract.objects.select_related("meeting", "category__parent", "submitter")
        .prefetch_related(
            Prefetch("authors", queryset=AbstractAuthor.objects.prefetch_related("affiliations")),
            "affiliations",
        )
        .filter(pk=pk)
        .first()
    )


# What the member wrote; state changes are the entries' own titles.
TIMELINE_FIELDS = ["category", "title", "body", "presentation", "student_presenter", "funding",
                   "keywords", "author_list"]  # fmt: skip


def _attname(name: str) -> str:
    return Abstract._meta.get_field(name).attname


def abstract_timeline(abstract: Abstract) -> list[dict]:
    """Each recorded change, newest first: when, who, what happened and which fields changed."""
    records = list(abstract.history.select_related("history_user").order_by("history_date"))
    labels = {f.name: f.verbose_name for f in Abstract._meta.fields}
    labels["author_list"] = "authors"
    entries = []
    previous = None
    for record in records:
        changed = []
        if previous is not None:
            changed = [
                str(labels[name])
                for name in TIMELINE_FIELDS
                if getattr(record, _attname(name)) != getattr(previous, _attname(name))
            ]
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": record.history_change_reason or record.get_history_type_display(),
                "state": record.get_state_display(),
                "changed": changed,
            }
        )
        previous = record
    return entries[::-1]
