"""Nominations, the nominees' answers and the slate, up to the opening of voting."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from community.models import Person
from elections.enums import CandidacyStatus
from elections.models import (
    Candidacy,
    Contest,
    Election,
    FormToken,
    Nomination,
    has_visible_text,
    shown_name,
)
from elections.services.submitted import Submitted
from gds_portal.mail import SENSITIVE_HEADER, send_template_mail
from gds_portal.once import claim_token

ANSWER_SALT = "elections.candidacy-answer"
# A link in the nominee's mail works for three weeks; the nominations window still
# decides whether an answer is taken.
ANSWER_MAX_AGE = 21 * 24 * 3600


def answer_token(candidacy: Candidacy) -> str:
    return signing.dumps({"c": candidacy.pk, "u": candidacy.user_id}, salt=ANSWER_SALT)


def candidacy_for_token(token: str) -> Candidacy | None:
    """The candidacy a nominee's signed link names, or None if forged or expired."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    pk, user_id = data.get("c"), data.get("u")
    if pk is None or user_id is None:
        # Every token answer_token signs names both (a lookup by None would match nothing).
        return None
    candidacy = Candidacy.objects.select_related("contest__election", "contest__office", "user")
    return candidacy.filter(pk=pk, user_id=user_id).first()


def nominations_are_open(election: Election, now: datetime | None = None) -> bool:
    """Within the nomination window and before the slate is published: the slate is
    approved on the statements as they were, so a published slate closes nominations
    whatever the window says (outside probe 3, F3)."""
    now = now or timezone.now()
    return (
        election.is_announced
        and election.slate_approved_at is None
        and election.nominations_open_at <= now < election.nominations_close_at
    )


def member_with_address(address: str) -> User | None:
    """The active member whose verified address is `address` (canonical form), or None."""
    user = User.objects.with_email(address).filter(is_active=True).first()
    if user is None:
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    wanted = canonical_email(address)
    return user if any(canonical_email(e) == wanted for e in verified) else None


@transaction.atomic
def nomination_submit(
    *,
    contest: Contest,
    nominee: User | None,
    by: User,
    token: uuid.UUID,
    statement: str = "",
    name: str = "",
) -> Submitted:
    """Record `by`'s nomination of `nominee` for `contest`, once per form.

    Side effects: a FormToken row; the nominee's Candidacy if it is new (then a mail
    asking them to accept or decline, with a signed link); one Nomination row. A
    nominee who is not a member in good standing (None) gets nothing and the nominator
    learns nothing: the answer is the same whatever the address, so the form tells
    no one who is a member. A nominee who declined is not asked again. A member who
    nominates themself has accepted by doing so: their candidacy is accepted at once
    (even one they had declined), with the `statement` (and, for an account with no
    name, the `name`) they wrote in the form; the mail, sent as for a new candidacy,
    carries the link to change it.
    Raises ValidationError outside the nominations window.
    """
    if not nominations_are_open(contest.election):
        raise ValidationError("Nominations for this election are closed.")
    if earlier := claim_token(FormToken, token=token, by=by):
        return Submitted(
            made=earlier.nomination if earlier.user_id == by.pk else None, replayed=True
        )
    if nominee is None or not nominee.has_perm("elections.nominate"):
        return Submitted(made=None)
    candidacy, created = Candidacy.objects.get_or_create(contest=contest, user=nominee)
    nomination, _ = Nomination.objects.get_or_create(candidacy=candidacy, nominator=by)
    FormToken.objects.filter(token=token).update(nomination=nomination)
    self_nominated = nominee.pk == by.pk
    was_declined = candidacy.status == CandidacyStatus.DECLINED
    if self_nominated:
        _accept_own(candidacy, statement=statement, name=name)
    if created or (self_nominated and was_declined):
        _mail_nominee(candidacy, self_nominated=self_nominated)
    return Submitted(made=nomination)


def _accept_own(candidacy: Candidacy, *, statement: str, name: str) -> None:
    """Accept a self-nomination as candidacy_answer accepts, with the form's statement
    (an empty one keeps the statement the candidacy has) and name (only for an account
    that has none)."""
    named = name.strip()
    if named and User.objects.filter(pk=candidacy.user_id, full_name="").update(full_name=named):
        # The mail that follows greets them by it, not as "member" (probe 3, F8).
        candidacy.user.full_name = named
    if statement.strip():
        candidacy.statement = statement
    if candidacy.status != CandidacyStatus.ACCEPTED:
        candidacy.status = CandidacyStatus.ACCEPTED
        candidacy.answered_at = timezone.now()
        candidacy.person = Person.objects.filter(user_id=candidacy.user_id).first()
    candidacy.full_clean(exclude=["photo"])
    candidacy.save(update_fields=["status", "answered_at", "person", "statement"])


def _mail_nominee(candidacy: Candidacy, *, self_nominated: bool) -> None:
    election = candidacy.contest.election
    link = reverse(
        "elections:answer", kwargs={"slug": election.slug, "token": answer_token(candidacy)}
    )
    context = {
        "name": candidacy.user.full_name,
        "office": candidacy.contest.office.name,
        "election": election.title,
        "closes": election.nominations_close_at,
        "answer_url": link,
        "self_nominated": self_nominated,
    }
    # The link is a key to the nominee's candidacy: only superusers may read it stored.
    send_template_mail(
        "elections/nominee-ask",
        to=[candidacy.user.email],
        context=context,
        headers={SENSITIVE_HEADER: "1"},
    )


@transaction.atomic
def candidacy_answer(
    *,
    candidacy: Candidacy,
    accept: bool,
    statement: str = "",
    photo: "UploadedFile[bytes] | None" = None,  # generic only in django-stubs
    name: str = "",
) -> Candidacy:
    """The nominee accepts (with a statement, optionally a photo) or declines.

    Side effects: the candidacy's status, statement, photo, answer time and, when
    the member's account is linked to a public profile, that Person. An accepting
    nominee whose account has no name gives one (`name`): it becomes the account's
    name, never replacing one the account has. May be changed until nominations
    close; a decline empties the statement and photo and leaves the slate.
    """
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("contest__election")
        .get(pk=candidacy.pk)
    )
    if not nominations_are_open(candidacy.contest.election):
        raise ValidationError("Nominations have closed; the answer can no longer change.")
    candidacy.answered_at = timezone.now()
    if accept and name.strip():
        User.objects.filter(pk=candidacy.user_id, full_name="").update(full_name=name.strip())
    if accept:
        candidacy.status = CandidacyStatus.ACCEPTED
        candidacy.statement = statement
        candidacy.person = Person.objects.filter(user_id=candidacy.user_id).first()
        if photo is not None:
            candidacy.photo = photo
    else:
        candidacy.status = CandidacyStatus.DECLINED
        candidacy.statement = ""
        candidacy.photo = ""
        candidacy.is_approved = False
    candidacy.full_clean(exclude=["photo"])
    candidacy.save()
    return candidacy


def _before_voting(election: Election) -> None:
    if election.voting_open_at <= timezone.now():
        raise ValidationError("Voting has opened: the slate can no longer change.")


@transaction.atomic
def candidacy_set_approved(*, candidacies: Iterable[Candidacy], approved: bool, by: User) -> int:
    """Put accepted candidacies on the slate (or take them off); how many changed.

    Side effects: `is_approved` of the given accepted candidacies (others are left
    alone), and their `ballot_name`: fixed from `shown_name` when put on, cleared when
    taken off. Refused after voting opens, putting on while nominations are open (the
    statement could still change), and for anyone but the executive committee.
    """
    if not by.has_perm("elections.approve_slate"):
        raise PermissionDenied("Only the executive committee approves the slate.")
    ids = [c.pk for c in candidacies]
    for election in Election.objects.filter(contests__candidacies__pk__in=ids).distinct():
        _before_voting(election)
        if approved and timezone.now() < election.nominations_close_at:
            # While nominations are open a candidate may still rewrite the statement, and
            # the committee would approve a text that is not the one on the ballot.
            raise ValidationError(
                "%(election)s: nominations are still open, and candidates may still change "
                "their statements. Put candidates on the slate after nominations close "
                "(%(closes)s UTC), when the statements are final. Nothing was changed.",
                params={
                    "election": election,
                    "closes": timezone.localtime(election.nominations_close_at).strftime(
                        "%d %B %Y, %H:%M"
                    ),
                },
            )
    chosen = Candidacy.objects.filter(pk__in=ids, status=CandidacyStatus.ACCEPTED)
    if approved:
        # Voters read a name and a statement on the ballot: a self-nominee is accepted
        # at once and may not have written one yet, and an account may have no name.
        # Visible text, not just any: zero-width spaces alone show nothing (probe 3, F5).
        candidates = chosen.select_related("user", "person", "contest__office")
        unready = [
            c
            for c in candidates
            if not has_visible_text(c.statement) or not has_visible_text(c.user.full_name)
        ]
        if names := [str(c) for c in unready]:
            raise ValidationError(
                "Not put on the slate: %(names)s — a candidate needs a name and a statement "
                "first (they add them from their nomination page). Nothing was changed.",
                params={"names": "; ".join(names)},
            )
    if not approved:
        return chosen.exclude(is_approved=False).update(is_approved=False, ballot_name="")
    # The name on the ballot is fixed here, by the one display rule, and never read
    # live again (outside probe 3, F2).
    changed = list(chosen.exclude(is_approved=True).select_related("user", "person").order_by("pk"))
    for candidacy in changed:
        candidacy.ballot_name = shown_name(person=candidacy.person, user=candidacy.user)
        candidacy.is_approved = True
    Candidacy.objects.bulk_update(changed, ["ballot_name", "is_approved"])
    return len(changed)


@transaction.atomic
def slate_publish(*, election: Election, by: User) -> None:
    """Publish the slate: the approved candidates appear on the election page.

    Side effects: `slate_approved_at`. Refused after voting opens, before
    nominations close, with nobody on the slate (voting would open on an empty
    ballot), and for anyone but the executive committee.
    """
    if not by.has_perm("elections.approve_slate"):
        raise PermissionDenied("Only the executive committee approves the slate.")
    _before_voting(election)
    if timezone.now() < election.nominations_close_at:
        raise ValidationError("Nominations are still open.")
    if not Candidacy.objects.on_ballot().filter(contest__election=election).exists():
        raise ValidationError(
            f"{election}: no candidate is on the slate. Put the accepted candidates on it "
            "(Candidacies) before publishing it."
        )
    Election.objects.filter(pk=election.pk).update(slate_approved_at=timezone.now())
    election.slate_approved_at = timezone.now()
