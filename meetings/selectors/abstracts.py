"""Reads of abstracts as their members see them: their lists, the abstract page and its
timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import ForeignObjectRel, Prefetch, QuerySet
from django.db.models.functions import Lower

from accounts.identity import verified_addresses
from meetings.enums import AbstractState
from meetings.models import Abstract, AbstractAuthor

if TYPE_CHECKING:
    from accounts.models import User


def authored_with(emails: Iterable[str]) -> QuerySet[AbstractAuthor, int]:
    """Ids of the abstracts naming an author by one of `emails` (canonical forms, from
    accounts.identity.verified_addresses), as a subquery."""
    return (
        AbstractAuthor.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=sorted(emails))
        .values_list("abstract_id", flat=True)
    )


def authors_prefetch() -> Prefetch[str, QuerySet[AbstractAuthor], str]:
    return Prefetch("authors", queryset=AbstractAuthor.objects.prefetch_related("affiliations"))


def abstracts_of(user: User) -> QuerySet[Abstract]:
    """The abstracts `user` submitted or drafted, newest first (with what `for_author`
    needs to show the state: the decision mail and the original category)."""
    return (
        Abstract.objects.filter(submitter=user)
        .select_related("meeting", "category", "original_category", "decision_notification")
        .order_by("-created_at")
    )


def abstracts_coauthored(user: User) -> QuerySet[Abstract]:
    """Others' abstracts (past draft) naming one of `user`'s verified addresses as an author."""
    emails = verified_addresses(user)
    return (
        Abstract.objects.filter(pk__in=authored_with(emails) if emails else [])
        .exclude(submitter=user)
        .exclude(state=AbstractState.DRAFT)
        .select_related(
            "meeting", "category", "original_category", "submitter", "decision_notification"
        )
        .order_by("-created_at")
    )


def abstract_for_page(pk: int) -> Abstract | None:
    return (
        Abstract.objects.select_related(
            "meeting",
            "category__parent",
            "original_category__parent",
            "submitter",
            "decision_notification",
            "speaker_confirmation",
        )
        .prefetch_related(
            Prefetch("authors", queryset=AbstractAuthor.objects.prefetch_related("affiliations")),
            "affiliations",
        )
        .filter(pk=pk)
        .first()
    )


# What the member wrote; state changes are the entries' own titles.
TIMELINE_FIELDS = Abstract.AUTHOR_FIELDS


def _attname(name: str) -> str:
    field = Abstract._meta.get_field(name)
    if isinstance(field, ForeignObjectRel):  # a relation from another model: no column here
        raise TypeError(f"Abstract.{name} is not a field of the abstract's own row.")
    return field.attname


# A version of the abstract (django-simple-history): a model class built at run time, which
# simple-history gives no type hints for; its fields are the abstract's, plus history_*.
HistoricalAbstract = Any


class TimelineEntry(TypedDict):
    when: datetime
    who: User | None  # the author, for their own changes; None for the committee's news
    what: str
    changed: list[str]  # labels of the fields that changed


def _by_committee(record: HistoricalAbstract, previous: HistoricalAbstract | None) -> bool:
    # Every decision and move stamps decided_at (services/decisions.py); the member's own
    # saves never touch it.
    return previous is not None and record.decided_at != previous.decided_at


def abstract_timeline(abstract: Abstract) -> list[TimelineEntry]:
    """Each recorded change the author may see, newest first: when, what happened and
    which fields changed.

    The author's own entries only, and then, once the decision mail is sent
    (meetings.rules.is_decision_sent), the outcome that mail told: one decision entry
    (and a "Moved to" entry if it was moved), dated when it was sent. The committee's
    working — decisions it replaced before sending, moves it undid, when it decided and
    who — is never shown. The category compared is always the one the author chose
    (original_category after a move), which no committee move changes.
    """
    records = list(abstract.history.select_related("history_user").order_by("history_date"))
    labels = {f.name: f.verbose_name for f in Abstract._meta.fields}
    labels["author_list"] = "authors"

    def value(record: HistoricalAbstract, name: str) -> object:
        if name == "category":
            return record.original_category_id or record.category_id
        return getattr(record, _attname(name))

    entries: list[TimelineEntry] = []
    previous = shown = None
    for record in records:
        committee = _by_committee(record, previous)
        previous = record
        if committee:
            continue
        changed: list[str] = []
        if shown is not None:
            changed = [
                str(labels[name])
                for name in TIMELINE_FIELDS
                if value(record, name) != value(shown, name)
            ]
        own = record.history_user_id is not None and record.history_user_id == abstract.submitter_id
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user if own else None,
                "what": record.history_change_reason or record.get_history_type_display(),
                "changed": changed,
            }
        )
        shown = record
    entries += _sent_outcome(abstract)
    return entries[::-1]


def _sent_outcome(abstract: Abstract) -> list[TimelineEntry]:
    """The decision mail's news as timeline entries, oldest first ([] until it is sent).

    Read from the sent row, not the history: the decision sent is the last one made, and
    a sent abstract is neither decided nor moved again (services/decisions.py)."""
    from meetings.rules import is_decision_sent

    if not is_decision_sent(None, abstract):
        return []
    sent = abstract.decision_notification

    def entry(what: str) -> TimelineEntry:
        return {"when": sent.sent_at, "who": None, "what": what, "changed": []}

    moved = (
        []
        if abstract.original_category_id is None
        else [entry(f"Moved to {abstract.category.code}")]
    )
    return [*moved, entry(f"Decision: {AbstractState(sent.state).label}")]
