"""Offices' terms: the committee roles that come with them, and handover notes."""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant, role_revoke
from community.models import Person
from elections.models import FormToken, HandoverNote, Office, RoleGrant, Term
from elections.services.submitted import Submitted
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
