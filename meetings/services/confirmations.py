"""Speakers confirm or decline: an accepted abstract's presenting author and an invited
nominee answer through a signed link (meetings.links) or, for a presenter, in My GDS.

When the link goes (a choice, docs/meetings.md): a presenter is asked when the decision
on their abstract is sent (decisions_send calls `presenter_ask` in the same
transaction), never before, so the ask cannot tell anyone of a decision still unsent;
a nominee is asked when the committee sets the nomination to "Invitation sent"
(nomination_set_status calls `nominee_ask`). Every mail goes through the outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from gds_portal.mail import send_template_mail
from meetings import rules
from meetings.enums import (
    ACCEPTED_STATES,
    ANSWERABLE_NOMINATIONS,
    AbstractState,
    SpeakerAnswer,
)
from meetings.links import CONFIRM_MAX_AGE, confirmation_url, sample_confirmation_url
from meetings.models import (
    Abstract,
    AbstractAuthor,
    Meeting,
    SpeakerConfirmation,
    SpeakerNomination,
)
from meetings.selectors.confirmations import reminder_recipients
from meetings.services.abstracts import save_with_history
from meetings.services.errors import Refused

if TYPE_CHECKING:
    from accounts.models import User

PRESENTING = " (presenting)"


def confirmation_mail_context(
    confirmation: SpeakerConfirmation,
    *,
    meeting: Meeting,
    reminder: bool = False,
    preview: bool = False,
) -> dict[str, object]:
    """What the confirmation mail (and its one reminder) says to `confirmation`'s speaker.
    With `preview`, the link is a dead sample: a preview is read by someone other than
    the speaker, and a working link in it would let them answer for the speaker."""
    url = (
        sample_confirmation_url(slug=meeting.slug)
        if preview
        else confirmation_url(confirmation, slug=meeting.slug)
    )
    abstract, nomination = confirmation.abstract, confirmation.nomination
    return {
        "name": confirmation.speaker_name,
        "meeting": meeting,
        "abstract": abstract,
        "nomination": nomination,
        "talk_title": abstract.title if abstract else nomination.talk_title if nomination else "",
        "confirm_url": url,
        "is_poster": bool(abstract and abstract.state == AbstractState.ACCEPTED_POSTER),
        "max_days": CONFIRM_MAX_AGE.days,
        "reminder": reminder,
    }


def _ask(confirmation: SpeakerConfirmation, *, name: str, email: str, meeting: Meeting) -> None:
    """(Re)write `confirmation` for the speaker `name` at `email` and mail them the link;
    without an address, record that nobody could be asked."""
    confirmation.speaker_name = name
    confirmation.email = email
    confirmation.state = SpeakerAnswer.ASKED if email else SpeakerAnswer.NO_ADDRESS
    confirmation.asked_at = timezone.now() if email else None
    confirmation.answered_at = None
    confirmation.answered_by = None
    confirmation.reminded_at = None  # a new ask earns its own reminder
    confirmation.save()
    if email:
        send_template_mail(
            "meetings/speaker-confirmation",
            to=[email],
            context=confirmation_mail_context(confirmation, meeting=meeting),
        )


def presenter_ask(*, abstract: Abstract) -> SpeakerConfirmation | None:
    """Ask `abstract`'s presenting author to confirm, once; for decisions_send, inside the
    transaction that records the decision as sent (so both happen or neither).

    Side effects: one SpeakerConfirmation row and, if the presenter has an address, one
    queued "meetings/speaker-confirmation" mail. Nothing for a rejected abstract, or one
    already asked. Reads abstract.authors (decisions_pending prefetches them).
    """
    if abstract.state not in ACCEPTED_STATES:
        return None
    if SpeakerConfirmation.objects.filter(abstract=abstract).exists():
        return None
    presenter = next((a for a in abstract.authors.all() if a.is_presenting), None)
    confirmation = SpeakerConfirmation(abstract=abstract, author=presenter)
    _ask(
        confirmation,
        name=presenter.name if presenter else "",
        email=presenter.email if presenter else "",
        meeting=abstract.meeting,
    )
    return confirmation


def nominee_ask(
    *, nomination: SpeakerNomination, again: bool = False
) -> SpeakerConfirmation | None:
    """Ask an invited nominee to confirm, once (nomination_set_status, on "Invitation
    sent"). Side effects: one SpeakerConfirmation row and one queued mail. The
    nominator's `tentatively_agreed` box is left as the nominator's own word.

    With `again` (invited anew after the invitation was closed), a nominee who had not
    answered is asked afresh: a new link, the one from before stays dead."""
    existing = SpeakerConfirmation.objects.filter(nomination=nomination).first()
    if existing is not None and (not again or existing.answered):
        return None
    confirmation = existing or SpeakerConfirmation(nomination=nomination)
    _ask(
        confirmation,
        name=nomination.nominee_name,
        email=nomination.nominee_email,
        meeting=nomination.meeting,
    )
    return confirmation


def is_answerable(confirmation: SpeakerConfirmation) -> bool:
    """Whether `confirmation`'s speaker may still answer: its abstract accepted and its
    decision sent, or its nomination still invited (or confirmed)."""
    try:
        _answerable(confirmation)
    except Refused:
        return False
    return True


def _answerable(confirmation: SpeakerConfirmation) -> None:
    """Refuse an answer about an abstract that is no longer accepted and sent (a
    withdrawal), or a nomination no longer invited (not selected, say), whoever gives
    it: a link is never a way round the committee's decision."""
    abstract, nomination = confirmation.abstract, confirmation.nomination
    if nomination is not None and nomination.status not in ANSWERABLE_NOMINATIONS:
        raise Refused("This invitation is no longer open, so there is nothing to confirm.")
    if abstract is None:
        return
    if abstract.state not in ACCEPTED_STATES or not rules.is_decision_sent(None, abstract):
        raise Refused("This abstract is not accepted, so there is nothing to confirm.")


@transaction.atomic
def confirmation_answer(
    *, confirmation: SpeakerConfirmation, confirm: bool, by: User | None = None
) -> bool:
    """Record the speaker's answer; True if this call recorded it.

    `by` is None for an answer through the signed link (the link is the speaker's key);
    a signed-in member must pass `meetings.answer_as_presenter`. The first answer stands:
    a second one (a double click, the link opened again) changes nothing and returns
    False. Side effects: the row's state, answered_at and answered_by. Raises Refused
    for an abstract no longer accepted and sent, or for a member who is not the presenter.
    """
    locked = (
        SpeakerConfirmation.objects.select_for_update(of=("self",))
        .select_related("abstract__decision_notification", "nomination")
        .get(pk=confirmation.pk)
    )
    if by is not None and not rules.rule_says("meetings.answer_as_presenter", by, locked):
        raise Refused("Only the presenting author answers for this abstract.")
    _answerable(locked)
    if locked.answered:
        confirmation.state = locked.state
        return False
    if by is None and locked.state != SpeakerAnswer.ASKED:
        raise Refused("This speaker was not asked by mail.")
    locked.state = SpeakerAnswer.CONFIRMED if confirm else SpeakerAnswer.DECLINED
    locked.answered_at = timezone.now()
    locked.answered_by = by
    locked.save(update_fields=["state", "answered_at", "answered_by"])
    confirmation.state, confirmation.answered_at = locked.state, locked.answered_at
    return True


def _chair_may(by: User, abstract: Abstract) -> None:
    """The chair's acts on one abstract: `meetings.replace_presenter` on its meeting, and
    never on an abstract the chair is an author of (asked of superusers too)."""
    if not rules.rule_says("meetings.replace_presenter", by, abstract.meeting):
        raise Refused("Only the program chair replaces a presenter or withdraws an abstract.")
    if not rules.rule_says("meetings.handle_abstract", by, abstract):
        raise Refused("You are an author of this abstract: another member must handle it.")


def _declined(abstract: Abstract) -> SpeakerConfirmation:
    confirmation = SpeakerConfirmation.objects.select_for_update().filter(abstract=abstract).first()
    if confirmation is None or confirmation.state != SpeakerAnswer.DECLINED:
        raise Refused("Only after the presenter declines can the chair act on it.")
    if abstract.state not in ACCEPTED_STATES:
        raise Refused(f"{abstract.reference} is {abstract.get_state_display()}.")
    return confirmation


def _locked_abstract(abstract: Abstract) -> Abstract:
    return (
        Abstract.objects.select_for_update(of=("self",))
        .select_related("meeting__program_chair", "decision_notification")
        .get(pk=abstract.pk)
    )


def _mark_presenter(author_list: str, authors: list[AbstractAuthor], chosen: AbstractAuthor) -> str:
    """The history's author list with "(presenting)" moved to `chosen` (a line per author,
    in order, then the affiliations: meetings.services.authors.author_list)."""
    lines = author_list.split("\n")
    for index, author in enumerate(authors[: len(lines)]):
        line = lines[index].removesuffix(PRESENTING)
        lines[index] = line + PRESENTING if author.pk == chosen.pk else line
    return "\n".join(lines)


@transaction.atomic
def presenter_replace(*, abstract: Abstract, author: AbstractAuthor, by: User) -> None:
    """After the presenter declined, make another author of the abstract its presenter
    and ask them to confirm.

    Side effects: the authors' presenting flags, the abstract's author list with a history
    record, the SpeakerConfirmation rewritten for the new presenter (the old link stops
    working) and, if they have an address, the confirmation mail. Raises Refused unless
    `by` is the chair (`meetings.replace_presenter`, not an author of it), the presenter
    declined, and `author` is another author of this abstract.
    """
    locked = _locked_abstract(abstract)
    _chair_may(by, locked)
    confirmation = _declined(locked)
    authors = list(locked.authors.order_by("position"))
    chosen = next((a for a in authors if a.pk == author.pk), None)
    if chosen is None or chosen.is_presenting:
        raise Refused("Choose another author of this abstract.")
    AbstractAuthor.objects.filter(abstract=locked, is_presenting=True).update(is_presenting=False)
    AbstractAuthor.objects.filter(pk=chosen.pk).update(is_presenting=True)
    locked.author_list = _mark_presenter(locked.author_list, authors, chosen)
    save_with_history(
        locked,
        by=by,
        reason=f"Presenter: {chosen.name} (after {confirmation.speaker_name} declined)",
    )
    confirmation.author = chosen
    _ask(confirmation, name=chosen.name, email=chosen.email, meeting=locked.meeting)


@transaction.atomic
def declined_abstract_withdraw(*, abstract: Abstract, by: User) -> None:
    """After the presenter declined, the chair withdraws the abstract from the program.

    Side effects: state withdrawn, withdrawn_at, a history record. Raises Refused as
    presenter_replace does.
    """
    locked = _locked_abstract(abstract)
    _chair_may(by, locked)
    _declined(locked)
    locked.state = AbstractState.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    save_with_history(locked, by=by, reason="Withdrawn by the chair: the presenter declined")


def presenters_remind(*, meeting: Meeting, by: User) -> int:
    """The chair's reminder to every speaker of `meeting` asked, not answered and not
    reminded since they were asked; returns how many were mailed (0: no one waits).

    Once per speaker, not per meeting: speakers asked later (a later batch of
    decisions, a replacement presenter) can be reminded once too. Side effects: per
    speaker, `reminded_at` and one queued mail, in one transaction; each row is claimed
    by a conditional update, so a second send (even a concurrent one) mails no one
    twice. Raises Refused unless `by` may send reminders (the chair).
    """
    if not rules.rule_says("meetings.send_reminders", by, meeting):
        raise Refused("Only the program chair sends reminders.")
    sent = 0
    with transaction.atomic():
        for confirmation in reminder_recipients(meeting=meeting):
            claimed = SpeakerConfirmation.objects.filter(
                pk=confirmation.pk,
                state=SpeakerAnswer.ASKED,
                asked_at=confirmation.asked_at,
                reminded_at__isnull=True,
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue  # reminded (or asked again) by a concurrent send
            send_template_mail(
                "meetings/speaker-confirmation",
                to=[confirmation.email],
                context=confirmation_mail_context(confirmation, meeting=meeting, reminder=True),
            )
            sent += 1
    return sent


@transaction.atomic
def nominee_address_changed(*, nomination: SpeakerNomination) -> str | None:
    """After the nominee's address changed (the committee's admin, the nominator's
    edit): end the link mailed to the old address and, while the nominee has not
    answered and the nomination is invited, ask the new address.

    Returns what happened, for the committee's message (None: nobody had been asked).
    Side effects: the SpeakerConfirmation rewritten (a new ask: the old link dies) and
    one queued mail; or, once answered, only its address (the old link dies, the
    answer stands).
    """
    confirmation = (
        SpeakerConfirmation.objects.select_for_update().filter(nomination=nomination).first()
    )
    if confirmation is None or confirmation.email == nomination.nominee_email:
        return None
    if confirmation.answered or nomination.status not in ANSWERABLE_NOMINATIONS:
        SpeakerConfirmation.objects.filter(pk=confirmation.pk).update(
            email=nomination.nominee_email
        )
        return (
            f"The link mailed to {nomination.nominee_name}'s old address no longer works; "
            "the new address was not asked (the nominee answered, or is not invited)."
        )
    _ask(
        confirmation,
        name=nomination.nominee_name,
        email=nomination.nominee_email,
        meeting=nomination.meeting,
    )
    if not nomination.nominee_email:
        return f"The old link no longer works; {nomination.nominee_name} has no address now."
    return (
        f"The link mailed to the old address no longer works; "
        f"{nomination.nominee_email} is asked to confirm."
    )
