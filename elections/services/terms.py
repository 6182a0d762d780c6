"""Offices' terms: the committee roles that come with them, and handover notes."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant, role_revoke
from community.models import Person
from elections.guarded import term_refused
from elections.models import FormToken, HandoverNote, Office, RoleGrant, Term
from elections.services.submitted import Submitted
from gds_portal.offices import OfficeChange, offices
from gds_portal.once import claim_token

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    granted: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.granted or self.withdrawn)


def _in_group(user: User, role: str) -> bool:
    return user.groups.filter(name=role).exists()


def _wanted(grant: RoleGrant, today: date) -> bool:
    term = grant.term
    return (
        term is not None
        and term.is_current(today)
        and term.person.user_id == grant.user_id
        and grant.role in term.office.roles
    )


@transaction.atomic
def office_roles_sync(*, today: date | None = None) -> SyncReport:
    """Give current term holders their offices' committee roles; withdraw ended ones.

    Side effects: RoleGrant rows opened and closed; group membership through
    accounts.services.role_grant / role_revoke; one log line per change. A role the
    member already held by other means is recorded as `held_before` and never
    withdrawn by the sync. Idempotent: a second run on the same day changes nothing.
    A term whose person has no linked account grants nothing (logged).
    """
    today = today or timezone.localdate()
    report = SyncReport()
    open_grants = RoleGrant.objects.filter(withdrawn_on__isnull=True)
    for grant in open_grants.select_related("term__office", "term__person", "user"):
        if not _wanted(grant, today):
            _withdraw(grant, today, report)
    terms = Term.objects.current(today).select_related("office", "person__user")
    for term in terms.filter(person__user__is_active=True).exclude(office__roles=[]):
        for role in term.office.roles:
            if not RoleGrant.objects.filter(
                term=term, role=role, withdrawn_on__isnull=True
            ).exists():
                _grant(term, Role(role), today, report)
    for term in terms.filter(person__user__isnull=True).exclude(office__roles=[]):
        log.info("Term %s (%s): no linked account, so no roles granted.", term.pk, term)
    return report


def _grant(term: Term, role: Role, today: date, report: SyncReport) -> None:
    user = term.person.user
    if user is None:
        # A person without a linked account gets no roles (roles_sync only calls this for
        # terms whose person has an active account, and logs the others).
        return
    # By other means: in the group, and not because of any grant of ours.
    ours = RoleGrant.objects.filter(
        user=user, role=role, withdrawn_on__isnull=True, held_before=False
    ).exists()
    held_before = _in_group(user, role) and not ours
    RoleGrant.objects.create(
        term=term, user=user, role=role, held_before=held_before, granted_on=today
    )
    if not _in_group(user, role):
        role_grant(user=user, role=role)
    message = f"{role} granted to {user.email} for term {term.pk} ({term})"
    log.info(message)
    report.granted.append(message)


def _withdraw(grant: RoleGrant, today: date, report: SyncReport) -> None:
    grant.withdrawn_on = today
    grant.save(update_fields=["withdrawn_on"])
    others = RoleGrant.objects.filter(user=grant.user, role=grant.role, withdrawn_on__isnull=True)
    if not grant.held_before and not others.exists() and _in_group(grant.user, grant.role):
        role_revoke(user=grant.user, role=Role(grant.role))
    message = f"{grant.role} withdrawn from {grant.user.email} (term {grant.term_id} ended)"
    log.info(message)
    report.withdrawn.append(message)


def guarded_term_start_refused(*, office: Office, starts_on: date) -> str | None:
    """Why a new term of `office` may not start on `starts_on`, or None (the rules of
    elections.guarded: never before today, at most a year ahead, after every other)."""
    refusal = term_refused(Term(office=office, starts_on=starts_on))
    return " ".join(refusal.messages) if refusal else None


def _holders_today(office: Office) -> tuple[int, ...]:
    return tuple(offices.holders(office.slug))


def _who(term: Term) -> str:
    """The term's person with their linked account's address: two profiles may
    share a name, an account never (the mail and log must say which one it is)."""
    user = term.person.user if term.person_id else None
    account = f"<{user.email}>" if user is not None else "(no account linked)"
    return f"{term.person_name} {account}"


def _describe(term: Term) -> str:
    last = f" to {term.ends_on:%d %B %Y}" if term.ends_on else ", open-ended"
    return f"{_who(term)}, from {term.starts_on:%d %B %Y}{last}"


def _announce(
    *,
    office: Office,
    what: str,
    text: str,
    by: User | None,
    before: tuple[int, ...],
    terms: list[Term],
) -> None:
    """Tell the app guarding `office` (after the commit) what changed."""
    affected = {t.person.user_id for t in terms if t.person.user_id}
    offices.changed(
        OfficeChange(
            office=office.slug,
            what=what,
            text=text,
            by=by.pk if by is not None else None,
            holders_before=before,
            affected=tuple(sorted(affected)),
        )
    )


def _check(term: Term, *, deleting: bool = False) -> None:
    if refusal := term_refused(term, deleting=deleting):
        raise refusal


def _lock(office: Office) -> None:
    Office.objects.select_for_update().filter(pk=office.pk).first()


@transaction.atomic
def term_add(*, term: Term, by: User | None = None) -> Term:
    """Save a new term (the admin's add form).

    For an office whose terms are an access record (the ombudsman's), the rules of
    elections.guarded apply (ValidationError otherwise: never before today, at most a
    year ahead, after every other term), a term still under way on its first day ends
    the day before (one holder at a time, as the Officers page then shows; the ended
    term remembers which term ended it and its last day before), and the guarding app
    hears of it after the commit. Side effects: those terms' `ends_on`; the new Term
    row. Other offices' terms are saved as they are (several seats, overlaps allowed).
    """
    if not offices.guarded(term.office.slug):
        term.save()
        return term
    _lock(term.office)
    _check(term)
    before = _holders_today(term.office)
    term.save()
    ended = terms_under_way_end(office=term.office, before=term.starts_on, keep=term)
    text = f"Term added: {_describe(term)}."
    if ended:
        text += " It ends " + "; ".join(_describe(t) for t in ended) + "."
    _announce(
        office=term.office, what="added", text=text, by=by, before=before, terms=[term, *ended]
    )
    return term


def _restore_ended(term: Term) -> list[Term]:
    """Put back the last day of every term that `term`'s appointment ended."""
    restored = list(Term.objects.filter(ended_by=term).select_related("person"))
    for ended in restored:
        ended.ends_on, ended.ended_by, ended.ends_on_before_ended = (
            ended.ends_on_before_ended,
            None,
            None,
        )
        ended.save(update_fields=["ends_on", "ended_by", "ends_on_before_ended"])
    return restored


@transaction.atomic
def term_change(*, term: Term, by: User | None = None) -> Term:
    """Save a changed term (the admin's change form).

    For a guarded office, the rules of elections.guarded (ValidationError otherwise);
    a term not yet started whose first day moves gives back the last day of the terms
    it ended, then ends the one under way on its new first day; the guarding app
    hears of the change after the commit. Side effects: the Term row, and those.
    """
    if not offices.guarded(term.office.slug):
        _check(term)  # a term moved into a guarded office is refused
        term.save()
        return term
    _lock(term.office)
    _check(term)
    stored = Term.objects.select_related("person").get(pk=term.pk)
    before = _holders_today(term.office)
    touched: list[Term] = [stored]
    if stored.starts_on != term.starts_on:
        touched += _restore_ended(term)
    term.save()
    if stored.starts_on != term.starts_on:
        touched += terms_under_way_end(office=term.office, before=term.starts_on, keep=term)
    _announce(
        office=term.office,
        what="changed",
        text=f"Term changed: {_describe(stored)}; now {_describe(term)}.",
        by=by,
        before=before,
        terms=[term, *touched],
    )
    return term


@transaction.atomic
def term_delete(*, term: Term, by: User | None = None) -> None:
    """Delete a term (the admin's delete). For a guarded office only a term that has
    not started and that no later term follows (ValidationError otherwise); the
    terms its appointment ended get their last day back, and the guarding app hears
    of it after the commit. Side effects: the Term row deleted, those terms' `ends_on`.
    """
    if not offices.guarded(term.office.slug):
        term.delete()
        return
    _lock(term.office)
    _check(term, deleting=True)
    before = _holders_today(term.office)
    term = Term.objects.select_related("person").get(pk=term.pk)
    restored = _restore_ended(term)
    text = f"Term deleted before it started: {_describe(term)}."
    if restored:
        text += " Restored: " + "; ".join(_describe(t) for t in restored) + "."
    office = term.office
    term.delete()
    _announce(
        office=office, what="deleted", text=text, by=by, before=before, terms=[term, *restored]
    )


def terms_under_way_end(*, office: Office, before: date, keep: Term | None = None) -> list[Term]:
    """End, the day before `before`, every term of `office` that started earlier and
    would still run on that day (one holder at a time, for a guarded office: the
    admin's new term, or an election's winner); each remembers `keep` as the term
    that ended it and its last day before. Side effects: those terms' `ends_on`,
    `ended_by`, `ends_on_before_ended`. Returns them."""
    running = Term.objects.filter(office=office, starts_on__lt=before).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=before)
    )
    if keep is not None:
        running = running.exclude(pk=keep.pk)
    ended = list(running.select_related("person"))
    for term in ended:
        term.ends_on_before_ended, term.ended_by = term.ends_on, keep
        term.ends_on = before - timedelta(days=1)
        term.save(update_fields=["ends_on", "ended_by", "ends_on_before_ended"])
    return ended


@transaction.atomic
def handover_note_add(*, office: Office, text: str, by: User, token: uuid.UUID) -> Submitted:
    """Leave a handover note for the next holders of `office`, once per form.

    Side effects: a FormToken row and one HandoverNote. Only a current holder of the
    office may write one (PermissionDenied otherwise).
    """
    if not by.has_perm("elections.read_handover", office):
        raise PermissionDenied("Only the office's current holders leave handover notes.")
    if earlier := claim_token(FormToken, token=token, by=by):
        return Submitted(made=earlier.note if earlier.user_id == by.pk else None, replayed=True)
    author = Person.objects.filter(user=by).first()
    note = HandoverNote.objects.create(office=office, author=author, text=text)
    FormToken.objects.filter(token=token).update(note=note)
    return Submitted(made=note)
