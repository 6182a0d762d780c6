"""Every write of the meetings domain: abstracts, references, deadlines, imports, reminders."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from community.models import Unit
from gds_portal.mail import send_template_mail
from gds_portal.once import claim_token
from meetings import rules
from meetings.enums import REVIEWABLE_STATES, AbstractState, CallState, CategoryKind, FormAction
from meetings.models import (
    Abstract,
    AbstractAuthor,
    AbstractReminder,
    Affiliation,
    CategoryCosponsor,
    DeadlineExtension,
    FormToken,
    Meeting,
    ReferenceCounter,
    SortingCategory,
    validate_category_code,
)

REMINDER_LEAD = timedelta(hours=48)
# The fields whose change makes an edit worth a mail (and a line in the timeline).
CONTENT_FIELDS = [
    "category_id",
    "original_category_id",  # the author's choice after a committee move (_apply_category)
    "title",
    "body",
    "presentation",
    "student_presenter",
    "funding",
    "keywords",
    "author_list",
]


class Refused(Exception):
    """The change is not allowed; nothing was written. The message says why."""


class CallClosed(Refused):
    """The call is not open for this member."""


@dataclass
class AuthorData:
    name: str
    email: str = ""
    orcid: str = ""
    is_presenting: bool = False
    affiliations: list[str] = field(default_factory=list)


@dataclass
class AbstractData:
    category: SortingCategory
    title: str
    body: str
    presentation: str
    student_presenter: bool
    funding: str
    keywords: str
    authors: list[AuthorData]


@dataclass
class Outcome:
    """What a service did; `replayed` is true when the token had been used already."""

    abstract: Abstract | None
    replayed: bool = False


# --- Deadline -------------------------------------------------------------------


def closes_at_for(*, meeting: Meeting, member) -> datetime:
    """The member's closing time: the meeting's, or a later personal extension."""
    extension = (
        DeadlineExtension.objects.filter(meeting=meeting, member=member)
        .values_list("closes_at", flat=True)
        .first()
    )
    return max(meeting.call_closes_at, extension) if extension else meeting.call_closes_at


def ensure_call_open(*, meeting: Meeting, member) -> None:
    """Raise CallClosed unless `member` may write to the call right now."""
    state = meeting.call_state(closes_at=closes_at_for(meeting=meeting, member=member))
    if state == CallState.NOT_YET_OPEN:
        raise CallClosed(f"The call for {meeting} is not open yet.")
    if state == CallState.CLOSED:
        closed = timezone.localtime(meeting.call_closes_at, meeting.tz)
        raise CallClosed(
            f"The call for {meeting} closed on {closed:%d %B %Y at %H:%M} ({meeting.time_zone}). "
            "Nothing was saved or submitted; your text is still in the form below."
        )


# --- References and tokens ---------------------------------------------------------


def next_reference(*, meeting: Meeting) -> str:
    """The meeting's next reference, e.g. MAR21-000042; never given twice.

    Side effects: one ReferenceCounter row inserted or incremented in a single
    statement, so concurrent submissions queue on the row lock and each gets its own
    number. A rolled-back submission gives its number back to no one (gaps are fine;
    reuse is not).
    """
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (meeting_id, last_number) VALUES (%s, 1) "  # noqa: S608 -- table name is our own model constant; values are bound
            f"ON CONFLICT (meeting_id) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [meeting.pk],
        )
        number = cursor.fetchone()[0]
    return f"{meeting.reference_prefix}-{number:06d}"


def _claim_token(*, token: uuid.UUID, by, action: str) -> FormToken | None:
    """Record `token` as used; return the earlier use instead if it was used before
    (gds_portal.once.claim_token: one INSERT … ON CONFLICT, safe under concurrency)."""
    return claim_token(FormToken, token=token, by=by, action=action)


def _replay(earlier: FormToken, by) -> Outcome:
    # Someone else's token reveals nothing about their abstract.
    return Outcome(abstract=earlier.abstract if earlier.user_id == by.pk else None, replayed=True)


def _bind_token(token: uuid.UUID, abstract: Abstract) -> None:
    FormToken.objects.filter(token=token).update(abstract=abstract)


# --- Abstracts ---------------------------------------------------------------------


def _author_list(authors: list[AuthorData]) -> str:
    """One line per author with numbered shared affiliations, as the history records it."""
    numbers = _affiliation_numbers(authors)
    lines = []
    for author in authors:
        marks = ",".join(str(numbers[_affiliation_key(a)][0]) for a in author.affiliations)
        extra = " (presenting)" if author.is_presenting else ""
        lines.append(f"{author.name} [{marks}]{extra}")
    lines += [f"[{number}] {name}" for number, name in numbers.values()]
    return "\n".join(lines)


def _affiliation_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _affiliation_numbers(authors: list[AuthorData]) -> dict[str, tuple[int, str]]:
    """Affiliations in order of first mention; the same name (any case) is one affiliation."""
    numbers: dict[str, tuple[int, str]] = {}
    for author in authors:
        for name in author.affiliations:
            key = _affiliation_key(name)
            numbers.setdefault(key, (len(numbers) + 1, " ".join(name.split())))
    return numbers


def _marks(numbers) -> str:
    return ",".join(str(n) for n in sorted(numbers))


@dataclass(frozen=True)
class ReceiptAuthor:
    """An author as a receipt shows them: name, affiliation numbers, presenting or not."""

    name: str
    marks: str  # affiliation numbers as printed, e.g. "1,2"
    is_presenting: bool


@dataclass(frozen=True)
class AuthorBlock:
    """The author list of an abstract as mails print it."""

    authors: list[ReceiptAuthor]
    affiliations: list[tuple[int, str]]  # (number, name) in order

    @classmethod
    def of(cls, abstract: Abstract) -> AuthorBlock:
        """Read from the database: for an abstract not written in this request."""
        rows = abstract.authors.prefetch_related("affiliations")
        return cls(
            authors=[
                ReceiptAuthor(
                    a.name, _marks(f.position for f in a.affiliations.all()), a.is_presenting
                )
                for a in rows
            ],
            affiliations=list(abstract.affiliations.values_list("position", "name")),
        )


def _write_authors(
    abstract: Abstract, authors: list[AuthorData], *, fresh: bool = False
) -> AuthorBlock:
    """Replace the abstract's authors and affiliations: three inserts whatever the count.

    `fresh` says the abstract was just created, so there is nothing to delete. Returns
    what was written, so the receipt needs no second read.
    """
    if not fresh:
        abstract.authors.all().delete()
        abstract.affiliations.all().delete()
    numbers = _affiliation_numbers(authors)
    affiliations = Affiliation.objects.bulk_create(
        Affiliation(abstract=abstract, name=name, position=number)
        for number, name in numbers.values()
    )
    rows = dict(zip(numbers, affiliations, strict=True))
    created = AbstractAuthor.objects.bulk_create(
        AbstractAuthor(
            abstract=abstract,
            position=position,
            name=data.name,
            email=data.email,
            orcid=data.orcid,
            is_presenting=data.is_presenting,
        )
        for position, data in enumerate(authors, start=1)
    )
    # An author lists an affiliation once, however often it was typed.
    author_keys = [list(dict.fromkeys(map(_affiliation_key, a.affiliations))) for a in authors]
    link = AbstractAuthor.affiliations.through
    link.objects.bulk_create(
        link(abstractauthor_id=author.pk, affiliation_id=rows[key].pk)
        for author, keys in zip(created, author_keys, strict=True)
        for key in keys
    )
    return AuthorBlock(
        authors=[
            ReceiptAuthor(data.name, _marks(numbers[k][0] for k in keys), data.is_presenting)
            for data, keys in zip(authors, author_keys, strict=True)
        ],
        affiliations=list(numbers.values()),
    )


def _apply_category(abstract: Abstract, category: SortingCategory) -> None:
    """Record `category` as the author's choice.

    After a committee move, `category` is the committee's placement and
    original_category the author's choice, and the author's form shows and edits only
    their choice (Abstract.authors_category). So their pick replaces their choice and
    the committee's placement stands: saving the form as shown must neither undo the
    move nor, by undoing it, tell them of it. Both facts stay: the decision mail still
    says "moved from" the author's latest choice. Picking the category the committee
    chose leaves no move to record.
    """
    if abstract.original_category_id is None:
        abstract.category = category
    elif category.pk == abstract.category_id:
        abstract.original_category = None
    else:
        abstract.original_category = category


def _apply(abstract: Abstract, data: AbstractData) -> None:
    _apply_category(abstract, data.category)
    abstract.title = data.title
    abstract.body = data.body
    abstract.presentation = data.presentation
    abstract.student_presenter = data.student_presenter
    abstract.funding = data.funding
    abstract.keywords = data.keywords
    abstract.author_list = _author_list(data.authors)


def _save_with_history(abstract: Abstract, *, by, reason: str) -> None:
    abstract._history_user = by
    abstract._change_reason = reason
    abstract.save()


def _mail_receipt(abstract: Abstract, *, event: str, block: AuthorBlock | None = None) -> None:
    """Queue the receipt; `abstract` must carry its meeting, category and submitter.

    `block` is the author list just written, if any; otherwise it is read.
    """
    send_template_mail(
        "abstract-receipt",
        to=[abstract.submitter.email],
        context={
            "abstract": abstract,
            "event": event,
            "block": block or AuthorBlock.of(abstract),
            # The category the author chose, until a move is told in the decision mail.
            "category": rules.author_view(abstract).category,
        },
        headers={"X-GDS-Abstract": abstract.reference or ""},
    )


def _locked(abstract: Abstract) -> Abstract:
    """The abstract re-read under a row lock, with what its receipt prints."""
    return (
        Abstract.objects.select_for_update(of=("self",))
        .select_related("meeting", "category", "submitter")
        .get(pk=abstract.pk)
    )


def _assign_reference(abstract: Abstract) -> None:
    # A withdrawn abstract submitted again keeps its number: references are never reused.
    if not abstract.reference:
        abstract.reference = next_reference(meeting=abstract.meeting)


@transaction.atomic
def abstract_save(
    *,
    meeting: Meeting,
    by,
    data: AbstractData,
    token: uuid.UUID,
    abstract: Abstract | None = None,
    submit: bool = False,
) -> Outcome:
    """Create or update `by`'s abstract from `data`, and submit it if `submit`.

    Refuses (CallClosed, nothing written) when the call is not open for `by`.
    Side effects: FormToken row (a replayed token returns the earlier result and
    writes nothing else); Abstract row with a history record; authors and
    affiliations rewritten; at first submission a reference from next_reference;
    a receipt mail (submitted, or updated when a submitted abstract changed); a new
    title or body leaves the abstract due for the duplicate check (services/duplicates.py).
    """
    action = FormAction.CREATE if abstract is None else FormAction.SAVE
    # A replay first: a send that was saved before the close, whose answer was lost
    # (a dropped connection), is told so on its retry after the close, not "closed".
    if earlier := _claim_token(token=token, by=by, action=action):
        return _replay(earlier, by)
    ensure_call_open(meeting=meeting, member=by)  # raising rolls the token back too
    if abstract is None:
        abstract = Abstract(meeting=meeting, submitter=by)
        before = None
    else:
        abstract = _locked(abstract)
        # Decided but unsent counts as editable: to its author it is under review.
        if not rules.is_editable(by, abstract):
            raise Refused(
                f"This abstract is {abstract.get_state_display().lower()}; "
                "it can no longer be changed."
            )
        before = {name: getattr(abstract, name) for name in CONTENT_FIELDS}
    _apply(abstract, data)
    if before and (abstract.title, abstract.body) != (before["title"], before["body"]):
        abstract.duplicates_checked_at = None  # due for the duplicate check again, in this save
    changed = before is None or any(getattr(abstract, n) != v for n, v in before.items())
    # Numbered (submitted, or decided and unsent): an edit, never a draft saved; the
    # committee's decision and move are kept (_apply touches neither).
    was_submitted = abstract.state in REVIEWABLE_STATES
    if submit and abstract.state == AbstractState.DRAFT:
        abstract.state = AbstractState.SUBMITTED
        abstract.submitted_at = timezone.now()
        _assign_reference(abstract)
        reason = "Submitted"
    elif before is None:
        reason = "Draft created"
    else:
        reason = "Edited" if was_submitted else "Draft saved"
    _save_with_history(abstract, by=by, reason=reason)
    block = _write_authors(abstract, data.authors, fresh=before is None)
    _bind_token(token, abstract)
    if reason == "Submitted":
        _mail_receipt(abstract, event="submitted", block=block)
    elif was_submitted and changed:
        _mail_receipt(abstract, event="updated", block=block)
    return Outcome(abstract=abstract)


@transaction.atomic
def abstract_submit(*, abstract: Abstract, by, token: uuid.UUID) -> Outcome:
    """Submit a saved draft as it is.

    Side effects: FormToken row; the abstract becomes submitted with a reference
    and a history record; a receipt mail. Raises CallClosed after the deadline.
    """
    if earlier := _claim_token(token=token, by=by, action=FormAction.SUBMIT):
        return _replay(earlier, by)
    ensure_call_open(meeting=abstract.meeting, member=by)  # raising rolls the token back too
    abstract = _locked(abstract)
    if abstract.state == AbstractState.DRAFT:
        abstract.state = AbstractState.SUBMITTED
        abstract.submitted_at = timezone.now()
        _assign_reference(abstract)
        _save_with_history(abstract, by=by, reason="Submitted")
        _mail_receipt(abstract, event="submitted")
    _bind_token(token, abstract)
    return Outcome(abstract=abstract)


@transaction.atomic
def abstract_withdraw(*, abstract: Abstract, by, token: uuid.UUID) -> Outcome:
    """Withdraw a draft or a submitted abstract (allowed after the deadline too), or a
    decided one whose decision mail has not gone: to its author it is still under
    review (meetings.rules.is_withdrawable), and the unsent decision lapses.

    Side effects: FormToken row; state withdrawn with a history record; a mail
    with the full text and reference when the abstract had been submitted.
    """
    if earlier := _claim_token(token=token, by=by, action=FormAction.WITHDRAW):
        return _replay(earlier, by)
    abstract = _locked(abstract)
    if rules.is_withdrawable(by, abstract):
        was_submitted = abstract.state != AbstractState.DRAFT
        abstract.state = AbstractState.WITHDRAWN
        abstract.withdrawn_at = timezone.now()
        _save_with_history(abstract, by=by, reason="Withdrawn")
        if was_submitted:
            _mail_receipt(abstract, event="withdrawn")
    _bind_token(token, abstract)
    return Outcome(abstract=abstract)


# --- Reminders ---------------------------------------------------------------------


def abstract_send_reminders(*, now: datetime | None = None) -> int:
    """Remind the submitter of each draft whose call closes within 48 hours, once.

    Side effects: one AbstractReminder row and one queued mail per draft, each in its
    own transaction; a draft that already has a reminder row is skipped, so running
    the command twice (even at the same time) sends nothing twice.
    """
    now = now or timezone.now()
    drafts = (
        Abstract.objects.drafts()
        .filter(
            meeting__call_closes_at__gt=now,
            meeting__call_closes_at__lte=now + REMINDER_LEAD,
            meeting__call_opens_at__lte=now,
            reminder__isnull=True,
        )
        .select_related("meeting", "category", "submitter")
    )
    sent = 0
    for draft in drafts:
        with transaction.atomic():
            _, created = AbstractReminder.objects.get_or_create(abstract=draft)
            if created:
                send_template_mail(
                    "abstract-reminder", to=[draft.submitter.email], context={"abstract": draft}
                )
                sent += 1
    return sent


# --- Sorting category import ------------------------------------------------------------

KIND_NAMES = {
    "invited": CategoryKind.INVITED_SYMPOSIUM,
    "invited symposium": CategoryKind.INVITED_SYMPOSIUM,
    "focus": CategoryKind.FOCUS_SESSION,
    "focus session": CategoryKind.FOCUS_SESSION,
    "standard": CategoryKind.STANDARD,
    "standard category": CategoryKind.STANDARD,
    "heading": CategoryKind.HEADING,
}


class CategoryImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class _Row:
    line: int
    code: str
    title: str
    kind: str
    units: list[Unit]


def _split_units(text: str) -> list[str]:
    return [code.strip().upper() for code in text.replace(";", ",").split(",") if code.strip()]


def _parse_row(
    line: int, cells: list[str], units: dict[str, Unit], errors: list[str]
) -> _Row | None:
    if len(cells) < 3 or len(cells) > 4:
        errors.append(f"Line {line}: expected 3 or 4 columns (code,title,kind,co-sponsors).")
        return None
    code, title, kind = (cell.strip() for cell in cells[:3])
    problems = []
    try:
        validate_category_code(code)
    except ValidationError:
        problems.append(f"code {code!r} is not like 23.01.01")
    if not title:
        problems.append("the title is empty")
    if kind.casefold() not in KIND_NAMES:
        problems.append(f"kind {kind!r} is not one of {', '.join(sorted(KIND_NAMES))}")
    codes = _split_units(cells[3] if len(cells) == 4 else "")
    if unknown := [c for c in codes if c not in units]:
        problems.append(f"unknown co-sponsor unit {', '.join(unknown)}")
    if problems:
        errors.append(f"Line {line}: {'; '.join(problems)}.")
        return None
    return _Row(line, code, title, KIND_NAMES[kind.casefold()], [units[c] for c in codes])


def _parse_csv(text: str) -> list[_Row]:
    units = {unit.code.upper(): unit for unit in Unit.objects.all()}
    rows, errors, seen = [], [], {}
    for line, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if line == 1 and cells[0].strip().casefold() == "code":
            continue  # a header row
        row = _parse_row(line, cells, units, errors)
        if row is None:
            continue
        if row.code in seen:
            errors.append(f"Line {line}: code {row.code} already appears on line {seen[row.code]}.")
            continue
        seen[row.code] = line
        rows.append(row)
    if errors:
        raise CategoryImportError(errors)
    if not rows:
        raise CategoryImportError(["The file has no category rows."])
    return rows


@transaction.atomic
def categories_import(*, meeting: Meeting, text: str) -> tuple[int, int]:
    """Create or update `meeting`'s sorting categories from CSV text; (created, updated).

    Columns: code,title,kind,co-sponsors (units separated by commas or semicolons
    inside the quoted cell). Each row belongs to the nearest heading row above it.
    Validates every row first: on any error raises CategoryImportError listing each
    bad line and writes nothing. Side effects: SortingCategory and CategoryCosponsor
    rows of `meeting` (co-sponsors replaced in the listed order).
    """
    rows = _parse_csv(text)
    created = updated = 0
    heading = None
    for row in rows:
        category, was_created = SortingCategory.objects.update_or_create(
            meeting=meeting,
            code=row.code,
            defaults={
                "title": row.title,
                "kind": row.kind,
                "accepts_contributed": row.kind in CategoryKind.contributed(),
                "parent": None if row.kind == CategoryKind.HEADING else heading,
            },
        )
        created += was_created
        updated += not was_created
        if row.kind == CategoryKind.HEADING:
            heading = category
        category.cosponsorships.all().delete()
        CategoryCosponsor.objects.bulk_create(
            CategoryCosponsor(category=category, unit=unit, position=position)
            for position, unit in enumerate(row.units)
        )
    return created, updated


# The Program committee's side lives in its own module; re-exported so callers say
# `services.review_save(...)` for either side.
from meetings.services.committee import (  # noqa: E402
    NominationData,
    NominationOutcome,
    abstracts_decide,
    decision_mail_context,
    decisions_pending,
    decisions_send,
    invited_session_save,
    meeting_assign_chair,
    nomination_create,
    nomination_set_status,
    review_closed,
    review_save,
    slot_problem,
)

__all__ = [
    "NominationData",
    "NominationOutcome",
    "abstracts_decide",
    "decision_mail_context",
    "decisions_pending",
    "decisions_send",
    "invited_session_save",
    "meeting_assign_chair",
    "nomination_create",
    "nomination_set_status",
    "review_closed",
    "review_save",
    "slot_problem",
]
