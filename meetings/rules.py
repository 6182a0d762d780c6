"""Who may do what with meetings and abstracts, declared once for views and admin."""

from dataclasses import dataclass

import rules
from django.db.models import Q

from accounts.identity import has_verified_address, verified_addresses
from accounts.rules import has_verified_email, is_executive_committee, is_program_committee
from meetings.enums import (
    ACCEPTED_STATES,
    DECIDED_STATES,
    REVIEWABLE_STATES,
    AbstractState,
    NominationStatus,
)


@rules.predicate
def is_submitter(user, abstract) -> bool:
    return abstract is not None and abstract.submitter_id == user.pk


@rules.predicate
def is_coauthor(user, abstract) -> bool:
    """A named author whose verified address matches; drafts stay private to the submitter."""
    if abstract is None or abstract.state == AbstractState.DRAFT:
        return False
    return _named_with_a_verified_address(user, abstract)


def _named_with_a_verified_address(user, abstract) -> bool:
    """One of `abstract`'s authors has an address `user` verified."""
    return any(has_verified_address(user, author.email) for author in abstract.authors.all())


@rules.predicate
def is_editable(user, abstract) -> bool:
    """Its author may change it (while their call is open): a draft, a submitted
    abstract, or one decided whose decision mail has not gone.

    Until the mail goes, the author's abstract is "under review" in every respect: were
    a decided one locked, the missing Edit link (or the refusal) would tell its author
    that the committee had decided. The edit keeps the committee's decision and move
    (meetings.services.abstracts.abstract_save) and is in the history the committee reads.
    """
    if abstract is None:
        return False
    if abstract.state in (AbstractState.DRAFT, AbstractState.SUBMITTED):
        return True
    return abstract.state in DECIDED_STATES and not abstract.decision_sent


@rules.predicate
def is_withdrawable(user, abstract) -> bool:
    """Whatever its author may edit they may withdraw (after the deadline too); the
    unsent decision then lapses."""
    return is_editable(user, abstract)


@rules.predicate
def is_draft(user, abstract) -> bool:
    return abstract is not None and abstract.state == AbstractState.DRAFT


rules.add_perm("meetings.submit_abstracts", rules.is_authenticated & has_verified_email)
rules.add_perm("meetings.read_abstract", rules.is_authenticated & (is_submitter | is_coauthor))
rules.add_perm("meetings.edit_abstract", rules.is_authenticated & is_submitter & is_editable)
rules.add_perm(
    "meetings.withdraw_abstract", rules.is_authenticated & is_submitter & is_withdrawable
)


# --- The Program committee's side ---------------------------------------------------


@rules.predicate
def is_named_author(user, abstract) -> bool:
    """`user` submitted `abstract` or is named on it with one of their verified addresses.

    Conflict of interest: such a committee member does nothing to the abstract as a
    committee member (no review, no reading reviews or scores, no decision, no move),
    in any state, superusers included. `named_author_q` is the same rule for querysets.
    """
    if abstract is None or not user.is_authenticated:
        return False
    return abstract.submitter_id == user.pk or _named_with_a_verified_address(user, abstract)


def named_author_q(user, prefix: str = "") -> Q:
    """`is_named_author` as a filter on abstracts (`prefix` reaches them from another
    model, e.g. "abstract__" from reviews). Kept beside the predicate so the two are
    one rule; tests/meetings/test_rule_parity.py checks that they agree."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    from meetings.selectors.abstracts import authored_with

    submitted = Q(**{f"{prefix}submitter_id": user.pk})
    # The user's verified addresses are read once per request (accounts.identity); the
    # authors are matched in the query itself.
    if emails := verified_addresses(user):
        return submitted | Q(**{f"{prefix}pk__in": authored_with(emails)})
    return submitted


@rules.predicate
def is_unsubmitted(user, abstract) -> bool:
    """Never submitted: a draft, or a draft its author withdrew. Drafts are the author's
    alone: no committee member, no superuser, sees them or their history. A submitted
    abstract's earlier draft versions are the author's too (see `SUBMITTED_Q`)."""
    return abstract is not None and abstract.submitted_at is None


# `is_unsubmitted` negated, for querysets of abstracts and of their history records.
SUBMITTED_Q = Q(submitted_at__isnull=False)


def committee_abstracts_q(user, prefix: str = "") -> Q:
    """Abstracts `user` may see or touch as a committee member: submitted ones they are
    not an author of (`is_unsubmitted`, `is_named_author`)."""
    return Q(**{f"{prefix}submitted_at__isnull": False}) & ~named_author_q(user, prefix)


@rules.predicate
def committee_may_handle(user, abstract) -> bool:
    """The committee's side of an abstract (its reviews, scores, decision, move, admin
    page and history) is open to `user`: neither a conflict nor someone's draft. Part
    of the review and decide perms; since has_perm lets superusers past every rule, the
    admin and `committee_may` also ask it directly."""
    return not is_unsubmitted(user, abstract) and not is_named_author(user, abstract)


@rules.predicate
def is_decision_sent(user, abstract) -> bool:
    """The decision mail for `abstract` has gone out (a DecisionNotification exists).
    Until then its authors see "Submitted — under review", and the decision stands
    open; from then on it is final. See `author_view`."""
    return abstract is not None and abstract.decision_sent


@dataclass(frozen=True)
class AuthorView:
    """What an author is shown of an abstract's state: the committee's decision (and a
    move of category) only once the decision mail is sent; never who decided."""

    state: str
    label: str
    category: object


UNDER_REVIEW = "Submitted — under review"


def author_view(abstract) -> AuthorView:
    # Only decided abstracts are ever sent, and a sent one stays decided (no withdrawal,
    # no new decision): other states need no look-up (the receipts' query budget).
    sent = abstract.state in DECIDED_STATES and is_decision_sent(None, abstract)
    # A move is told in the decision mail: until then the author sees their own choice.
    category = abstract.category if sent else abstract.authors_category
    if abstract.state in REVIEWABLE_STATES and not sent:
        return AuthorView(AbstractState.SUBMITTED, UNDER_REVIEW, category)
    return AuthorView(abstract.state, abstract.get_state_display(), category)


@rules.predicate
def is_meeting_chair(user, meeting) -> bool:
    """The meeting's program chair: its `program_chair` Person is linked to `user`.

    Both halves are role assignments, never profile edits: only the executive
    committee or a superuser sets `Meeting.program_chair` (meetings.assign_chair) or
    links a Person to an account (community.link_person_account, recorded in the
    Person's history).
    """
    chair = getattr(meeting, "program_chair", None) if meeting is not None else None
    return chair is not None and chair.user_id == user.pk


@rules.predicate
def meeting_has_chair_account(user, meeting) -> bool:
    chair = getattr(meeting, "program_chair", None) if meeting is not None else None
    return chair is not None and chair.user_id is not None


program_committee = rules.is_authenticated & is_program_committee & has_verified_email

# Who is a meeting's chair is assigned, not edited: the executive committee or a superuser.
rules.add_perm(
    "meetings.assign_chair", rules.is_authenticated & (rules.is_superuser | is_executive_committee)
)
# The Program committee curates meetings: every field of one but the chair (above).
rules.add_perm("meetings.curate_meetings", rules.is_authenticated & is_program_committee)

# Reviews, the dashboard, exports, the book of abstracts and nominations' details.
rules.add_perm("meetings.review_abstracts", program_committee)
rules.add_perm("meetings.review_abstract", program_committee & committee_may_handle)
rules.add_perm("meetings.view_committee", program_committee)
rules.add_perm("meetings.decide_abstracts", program_committee)
rules.add_perm("meetings.decide_abstract", program_committee & committee_may_handle)
# The chair's acts (sending decisions among them): a meeting whose chair has no account
# lets the committee act.
chair_acts = program_committee & (is_meeting_chair | ~meeting_has_chair_account)
rules.add_perm("meetings.send_decisions", chair_acts)
# After a presenter declines, the chair names another author or withdraws the abstract
# (meetings.services.confirmations); the chair sends the once-per-meeting reminders to
# presenters who have not answered and to authors of drafts (CommitteeReminder).
rules.add_perm("meetings.replace_presenter", chair_acts)
rules.add_perm("meetings.send_reminders", chair_acts)


@rules.predicate
def is_contributed_published(user, meeting) -> bool:
    """The meeting's accepted abstracts are public (the committee publishes them)."""
    return meeting is not None and bool(meeting.contributed_published)


# The book of abstracts as a PDF, for everyone once the accepted abstracts are published:
# asked through the rule set (`rule_says`), so a superuser gets the same answer. It lists
# only abstracts whose decision mail has gone (selectors.book.public_book).
rules.add_perm("meetings.read_public_book", is_contributed_published)
rules.add_perm("meetings.nominate_speakers", rules.is_authenticated & has_verified_email)

# Who reviews what (issue 16): the chair names each category's reviewers, sets the
# reviews per abstract, runs and rebalances the assignment, reassigns one abstract and
# sends the one reminder to reviewers. As with sending decisions, a meeting whose chair
# has no account lets the committee do it. The pages, the services and the tests of
# parity all ask these perms; no admin edits assignments.
chairs_the_meeting = program_committee & (is_meeting_chair | ~meeting_has_chair_account)
rules.add_perm("meetings.assign_reviewers", chairs_the_meeting)
rules.add_perm("meetings.remind_reviewers", chairs_the_meeting)


def assignment_conflict(
    reviewer, abstract, *, authored: set[int] | None = None, named: bool = True
) -> str:
    """Why `reviewer` may not be assigned `abstract` ("" when they may).

    "author": they are a named author (`is_named_author`; `authored`, the pks from
    selectors.reviews.conflicted_ids, answers it without a query per abstract).
    "same name as an author": an author has their full name (named without an address).
    "same affiliation as <author>": their affiliation is one of an author's
    (selectors.reviews.authors_sharing_affiliation, the one matcher the review pages'
    warning uses too). Prefetch the abstract's authors with their affiliations.
    `named=False` (a viewer who may not see authors, `sees_authors`) says only
    "conflict": the reason would tell who wrote the abstract.
    """
    from meetings.selectors.reviews import authors_sharing_affiliation, shares_name

    if authored is None:
        authored = {abstract.pk} if is_named_author(reviewer, abstract) else set()
    reason = ""
    if abstract.pk in authored:
        reason = "author"
    elif shares_name(abstract, user=reviewer):
        reason = "same name as an author"
    elif names := authors_sharing_affiliation(abstract, user=reviewer):
        reason = f"same affiliation as {', '.join(names)}"
    return "conflict" if reason and not named else reason


# --- Contributed sessions (meetings.services.sessions) ----------------------------
# The Program committee groups accepted abstracts into sessions. Conflict of interest,
# as everywhere: a member never places, moves or removes an abstract they are an author
# of (`committee_may_handle`), and never sees it in the editor before its decision is
# mailed (`sees_in_sessions`) — its being in a session would tell them it was accepted.


@rules.predicate
def talks_all_told(user, session) -> bool:
    """Every talk of `session` is an accepted abstract whose decision mail has gone out,
    and there is at least one: publishing it then tells no author anything new."""
    talks = list(session.talks.all()) if session is not None else []
    return bool(talks) and all(
        talk.abstract.state in ACCEPTED_STATES and talk.abstract.decision_sent for talk in talks
    )


@rules.predicate
def sees_in_sessions(user, abstract) -> bool:
    """The session editor shows `abstract` to `user`: not an author of it, or its
    decision already mailed (then they know it, and its title is public once published)."""
    return is_decision_sent(user, abstract) or not is_named_author(user, abstract)


rules.add_perm("meetings.edit_sessions", program_committee)
# Asked through the rule set (`rule_says`) by the service, superusers included.
rules.add_perm("meetings.publish_session", talks_all_told)
rules.add_perm("meetings.place_in_session", committee_may_handle)


# --- A nominator's own nominations --------------------------------------------------


@rules.predicate
def is_nominator(user, nomination) -> bool:
    return nomination is not None and nomination.nominator_id == user.pk


@rules.predicate
def is_nomination_withdrawn(user, nomination) -> bool:
    return nomination is not None and nomination.status == NominationStatus.WITHDRAWN


@rules.predicate
def is_nomination_changeable(user, nomination) -> bool:
    """Its meeting still takes nominations and the committee has not settled it.

    The committee's intermediate states (shortlisted, invitation sent) look to the
    nominator like "under consideration"; they stay changeable so that a refusal never
    tells the nominator about a shortlist. Withdrawn, confirmed or not selected: final.
    """
    return (
        nomination is not None
        and nomination.meeting.nominations_open
        and nomination.status in NominationStatus.under_consideration()
    )


rules.add_perm("meetings.see_own_nomination", rules.is_authenticated & is_nominator)
# The nominator edits or withdraws their own nomination while nominations are open.
own_open_nomination = (
    rules.is_authenticated & has_verified_email & is_nominator & is_nomination_changeable
)
rules.add_perm("meetings.edit_nomination", own_open_nomination)
rules.add_perm("meetings.withdraw_nomination", own_open_nomination)
# Whoever may change nominations in the admin (its model permissions) sets their status,
# except that a withdrawal is the nominator's and stays as they left it: the admin's
# status field and actions and the service ask this through the rule set
# (`rules.has_perm`), so superusers too.
rules.add_perm("meetings.set_nomination_status", ~is_nomination_withdrawn)


# --- Fair scoring: the rubric, blind review and anonymised review -------------------
# Asked through the rule set (`rules.has_perm`) everywhere, so a superuser gets the same
# answer as anyone: being a superuser does not unblind a review.


@rules.predicate
def is_rubric_open(user, meeting) -> bool:
    """No review of the meeting exists yet. A rubric changed under given scores would
    change what they mean without anyone seeing it: from the first review on it is
    frozen (and scored criteria are PROTECTed in the database)."""
    from meetings.models import Review

    return meeting is not None and not Review.objects.filter(meeting=meeting).exists()


# The chair sets the rubric and anonymity, like sending decisions: a meeting whose chair
# has no account lets the committee do it.
review_rules_setter = program_committee & (is_meeting_chair | ~meeting_has_chair_account)
rules.add_perm("meetings.set_review_rules", review_rules_setter)
rules.add_perm("meetings.change_rubric", review_rules_setter & is_rubric_open)


@rules.predicate
def is_chair_of_its_meeting(user, abstract) -> bool:
    return abstract is not None and is_meeting_chair(user, abstract.meeting)


@rules.predicate
def has_own_review(user, abstract) -> bool:
    """`user` has saved their own review of `abstract` (reads the prefetched reviews
    where the page has them)."""
    if abstract is None or not user.is_authenticated:
        return False
    return any(review.reviewer_id == user.pk for review in abstract.reviews.all())


# Blind until scored: another reviewer's score or comment on an abstract, and the figures
# made of them (average, spread), are read only by someone who has saved their own review
# of it, or by the meeting's chair, who decides and so needs them all. Review counts are
# not scores and stay visible. `scores_visible_q` is the same rule for querysets.
rules.add_perm(
    "meetings.see_scores", committee_may_handle & (has_own_review | is_chair_of_its_meeting)
)


def scores_visible_q(user, prefix: str = "", meeting=None) -> Q:
    """`meetings.see_scores` as a filter on abstracts (tests/meetings/test_rule_parity.py
    checks that the two agree). Given the `meeting` the abstracts are filtered to, the
    user's own reviews are read for that meeting only (the same answer: a review is of its
    abstract's meeting), one range of the (meeting, reviewer) index instead of every
    review they ever wrote, which grows with the years."""
    from meetings.models import Review

    if not user.is_authenticated:
        return Q(pk__in=[])
    reviews = Review.objects.filter(reviewer=user)
    if meeting is not None:
        reviews = reviews.filter(meeting=meeting)
    own = Q(**{f"{prefix}pk__in": reviews.values("abstract_id")})
    chair = Q(**{f"{prefix}meeting__program_chair__user_id": user.pk})
    return committee_abstracts_q(user, prefix) & (own | chair)


@rules.predicate
def sees_authors(user, meeting) -> bool:
    """Anonymised review hides who wrote an abstract from the committee's side: author
    names, affiliations, the submitter. The chair is exempt (they decide, and see
    conflicts and presenters); so is a meeting without anonymised review.
    `authors_hidden_q` is the same rule for querysets."""
    return meeting is not None and (
        not meeting.anonymised_review or is_meeting_chair(user, meeting)
    )


rules.add_perm("meetings.see_authors", sees_authors)


def authors_hidden_q(user, prefix: str = "") -> Q:
    """Abstracts (reached by `prefix`) whose authors `user` may not see (`sees_authors`).
    The admin leaves them out altogether: its pages, search and history show authors."""
    hidden = Q(**{f"{prefix}meeting__anonymised_review": True})
    if user.is_authenticated:
        hidden &= ~Q(**{f"{prefix}meeting__program_chair__user_id": user.pk})
    return hidden


# The committee's side of one abstract, for everyone, superusers included: asked through
# the rule set (`rules.has_perm`), never `user.has_perm`, which lets a superuser past.
rules.add_perm("meetings.handle_abstract", committee_may_handle)


def rule_says(perm: str, user: object, obj: object = None) -> bool:
    """`perm` asked of the rule set itself (`rules.has_perm`), for services: Django's
    `user.has_perm` answers True to a superuser before any rule is asked."""
    return bool(rules.has_perm(perm, user, obj))


def committee_may(perm: str, user, abstract) -> bool:
    """`user.has_perm(perm, abstract)`, with `committee_may_handle` applied to superusers
    too: Django's has_perm answers True to a superuser before any rule is asked."""
    if not user.has_perm(perm, abstract):
        return False
    # For everyone else the perm itself includes the rule (asked once, not twice).
    return not user.is_superuser or committee_may_handle(user, abstract)


# --- Speaker nominations' voluntary flags ------------------------------------------

NOMINATION_FLAGS = ("nominee_is_woman", "nominee_is_urm", "nominee_outside_us")

# Read one nomination at a time by Program-committee members only (a superuser
# outside the committee does not see them), and counted only in suppressed totals.
sees_nomination_flags = rules.is_authenticated & is_program_committee


@rules.predicate
def may_filter_nominations_by(user, lookup: str) -> bool:
    """No one lists nominations by a voluntary flag (`?nominee_is_woman__exact=1`):
    that list would say who ticked which box."""
    return lookup.split("__")[0] not in NOMINATION_FLAGS


# Both asked through the rule set (`rules.has_perm`), so a superuser gets the same answer.
rules.add_perm("meetings.view_nomination_flags", sees_nomination_flags)
rules.add_perm("meetings.filter_nominations_by", may_filter_nominations_by)


# --- Speakers' own answers (meetings.models.SpeakerConfirmation) -------------------


@rules.predicate
def answers_for_presenter(user, confirmation) -> bool:
    """`user` may answer for an accepted abstract's presenter in My GDS: once its
    decision is sent, as the presenter (the address the confirmation was asked at is one
    they verified) or, for a presenter without an address, as the submitter who named
    them. A co-author, or anyone else, never answers for the presenter."""
    if confirmation is None or confirmation.abstract_id is None:
        return False
    abstract = confirmation.abstract
    if abstract.state not in ACCEPTED_STATES or not is_decision_sent(user, abstract):
        return False
    if confirmation.email:
        return has_verified_address(user, confirmation.email)
    return abstract.submitter_id == user.pk


rules.add_perm("meetings.answer_as_presenter", rules.is_authenticated & answers_for_presenter)
