"""A member's writes to their abstracts: save, submit and withdraw, each with its
receipt; the call's deadline; references; the one-time form tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from gds_portal.history import set_change_reason, set_history_user
from gds_portal.mail import send_template_mail
from gds_portal.once import claim_token
from meetings import rules
from meetings.enums import REVIEWABLE_STATES, AbstractState, CallState, FormAction
from meetings.models import (
    Abstract,
    DeadlineExtension,
    FormToken,
    Meeting,
    ReferenceCounter,
    SortingCategory,
)
from meetings.services.authors import AuthorBlock, AuthorData, author_list, write_authors
from meetings.services.errors import CallClosed, Refused

if TYPE_CHECKING:
    from accounts.models import User

# The fields whose change makes an edit worth a mail (and a line in the timeline):
# what the author writes, compared by column, and the author's category choice after a
# committee move (_apply_category).
_COLUMNS = {field.name: field.attname for field in Abstract._meta.concrete_fields}
CONTENT_FIELDS = [*(_COLUMNS[name] for name in Abstract.AUTHOR_FIELDS), "original_category_id"]


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


def closes_at_for(
    *, meeting: Meeting, member: User, extensions: dict[int, datetime] | None = None
) -> datetime:
    """The member's closing time: the meeting's, or a later personal extension.

    `extensions`: the meeting's extensions by member id (extension_closing_times), when
    the caller already has them (the call page keeps them per content generation);
    otherwise the member's own is read."""
    if extensions is not None:
        extension = extensions.get(member.pk)
    else:
        extension = (
            DeadlineExtension.objects.filter(meeting=meeting, member=member)
            .values_list("closes_at", flat=True)
            .first()
        )
    return max(meeting.call_closes_at, extension) if extension else meeting.call_closes_at


def ensure_call_open(*, meeting: Meeting, member: User) -> None:
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


def _claim_token(*, token: uuid.UUID, by: User, action: str) -> FormToken | None:
    """Record `token` as used; return the earlier use instead if it was used before
    (gds_portal.once.claim_token: one INSERT … ON CONFLICT, safe under concurrency)."""
    return claim_token(FormToken, token=token, by=by, action=action)


def _replay(earlier: FormToken, by: User) -> Outcome:
    # Someone else's token reveals nothing about their abstract.
    return Outcome(abstract=earlier.abstract if earlier.user_id == by.pk else None, replayed=True)


def _bind_token(token: uuid.UUID, abstract: Abstract) -> None:
    FormToken.objects.filter(token=token).update(abstract=abstract)


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
    abstract.author_list = author_list(data.authors)


def save_with_history(abstract: Abstract, *, by: User, reason: str) -> None:
    set_history_user(abstract, by)
    set_change_reason(abstract, reason)
    abstract.save()


def _mail_receipt(abstract: Abstract, *, event: str, block: AuthorBlock | None = None) -> None:
    """Queue the receipt; `abstract` must carry its meeting, category and submitter.

    `block` is the author list just written, if any; otherwise it is read.
    """
    send_template_mail(
        "meetings/abstract-receipt",
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
    by: User,
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
    save_with_history(abstract, by=by, reason=reason)
    block = write_authors(abstract, data.authors, fresh=before is None)
    _bind_token(token, abstract)
    if reason == "Submitted":
        _mail_receipt(abstract, event="submitted", block=block)
    elif was_submitted and changed:
        _mail_receipt(abstract, event="updated", block=block)
    return Outcome(abstract=abstract)


@transaction.atomic
def abstract_submit(*, abstract: Abstract, by: User, token: uuid.UUID) -> Outcome:
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
        save_with_history(abstract, by=by, reason="Submitted")
        _mail_receipt(abstract, event="submitted")
    _bind_token(token, abstract)
    return Outcome(abstract=abstract)


@transaction.atomic
def abstract_withdraw(*, abstract: Abstract, by: User, token: uuid.UUID) -> Outcome:
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
        save_with_history(abstract, by=by, reason="Withdrawn")
        if was_submitted:
            _mail_receipt(abstract, event="withdrawn")
    _bind_token(token, abstract)
    return Outcome(abstract=abstract)
