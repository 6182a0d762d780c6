"""Offices' terms: the committee roles that come with them, and handover notes."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant, role_revoke
from community.models import Person
from elections.models import FormToken, HandoverNote, Office, RoleGrant, Term
from elections.services.submitted import Submitted
from gds_portal.offices import offices
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
    """Why a new term of `office` may not start on `starts_on`, or None.

    Only for an office whose terms are an access record (gds_portal.offices.guard: the
    ombudsman's): a new term starts after every earlier one started, so the record
    reads forward in time and cannot be rewritten by a term slipped in before.
    """
    if not offices.guarded(office.slug):
        return None
    latest = Term.objects.filter(office=office).order_by("-starts_on").first()
    if latest is not None and starts_on <= latest.starts_on:
        return (
            f"The latest term of {office.name} started on {latest.starts_on:%d %B %Y}; a new "
            "one must start after that (the term under way then ends the day before). "
            "Its terms are the record of who had access, so none is slipped in earlier."
        )
    return None


@transaction.atomic
def term_add(*, term: Term) -> Term:
    """Save a new term (the admin's add form).

    For an office whose terms are an access record (the ombudsman's), the new term
    must start after every earlier one (ValidationError otherwise), and a term still
    under way on its first day ends the day before: one holder at a time, as the
    Officers page then shows. Side effects: those terms' `ends_on`; the new Term row.
    Other offices' terms are saved as they are (several seats, overlaps allowed).
    """
    if offices.guarded(term.office.slug):
        Office.objects.select_for_update().filter(pk=term.office_id).first()
        if reason := guarded_term_start_refused(office=term.office, starts_on=term.starts_on):
            raise ValidationError(reason)
        terms_under_way_end(office=term.office, before=term.starts_on)
    term.save()
    return term


def terms_under_way_end(*, office: Office, before: date, keep: Term | None = None) -> int:
    """End, the day before `before`, every term of `office` that started earlier and
    would still run on that day (one holder at a time, for a guarded office: the
    admin's new term, or an election's winner). Side effects: those terms' `ends_on`.
    Returns how many were ended."""
    running = Term.objects.filter(office=office, starts_on__lt=before).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=before)
    )
    if keep is not None:
        running = running.exclude(pk=keep.pk)
    return running.update(ends_on=before - timedelta(days=1))


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
