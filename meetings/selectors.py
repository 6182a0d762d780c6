"""Reads of the meetings domain, each with a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower, TruncDate
from django.utils import timezone

from accounts.identity import verified_addresses
from meetings.enums import ACCEPTED_STATES, REVIEWABLE_STATES, AbstractState, CategoryKind
from meetings.models import (
    Abstract,
    AbstractAuthor,
    CategoryCosponsor,
    InvitedSession,
    InvitedTalk,
    LikelyDuplicate,
    Meeting,
    Review,
    SortingCategory,
    SpeakerNomination,
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


def authored_with(emails) -> QuerySet:
    """Ids of the abstracts naming an author by one of `emails` (canonical forms, from
    accounts.identity.verified_addresses), as a subquery."""
    return (
        AbstractAuthor.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=sorted(emails))
        .values("abstract_id")
    )


def abstracts_of(user) -> QuerySet[Abstract]:
    """The abstracts `user` submitted or drafted, newest first (with what `for_author`
    needs to show the state: the decision mail and the original category)."""
    return (
        Abstract.objects.filter(submitter=user)
        .select_related("meeting", "category", "original_category", "decision_notification")
        .order_by("-created_at")
    )


def abstracts_coauthored(user) -> QuerySet[Abstract]:
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
        )
        .prefetch_related(
            Prefetch("authors", queryset=AbstractAuthor.objects.prefetch_related("affiliations")),
            "affiliations",
        )
        .filter(pk=pk)
        .first()
    )


# What the member wrote; state changes are the entries' own titles.
TIMELINE_FIELDS = [
    "category",
    "title",
    "body",
    "presentation",
    "student_presenter",
    "funding",
    "keywords",
    "author_list",
]


def _attname(name: str) -> str:
    return Abstract._meta.get_field(name).attname


def _by_committee(record, previous) -> bool:
    # Every decision and move stamps decided_at (services.committee); the member's own
    # saves never touch it.
    return previous is not None and record.decided_at != previous.decided_at


def abstract_timeline(abstract: Abstract) -> list[dict]:
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

    def value(record, name):
        if name == "category":
            return record.original_category_id or record.category_id
        return getattr(record, _attname(name))

    entries = []
    previous = shown = None
    for record in records:
        committee = _by_committee(record, previous)
        previous = record
        if committee:
            continue
        changed = []
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


def _sent_outcome(abstract: Abstract) -> list[dict]:
    """The decision mail's news as timeline entries, oldest first ([] until it is sent).

    Read from the sent row, not the history: the decision sent is the last one made, and
    a sent abstract is neither decided nor moved again (services.committee)."""
    from meetings.rules import is_decision_sent

    if not is_decision_sent(None, abstract):
        return []
    sent = abstract.decision_notification
    entry = {"when": sent.sent_at, "who": None, "changed": []}
    moved = (
        []
        if abstract.original_category_id is None
        else [{**entry, "what": f"Moved to {abstract.category.code}"}]
    )
    return [*moved, {**entry, "what": f"Decision: {AbstractState(sent.state).label}"}]


# --- The Program committee's side (Meetings II) ------------------------------------

# Aggregates of the nominations' voluntary flags below this are shown as "fewer than 5".
SMALL_COUNT = 5


def _authors_prefetch() -> Prefetch:
    return Prefetch("authors", queryset=AbstractAuthor.objects.prefetch_related("affiliations"))


def committee_abstracts(*, meeting: Meeting) -> QuerySet[Abstract]:
    """The meeting's numbered abstracts (submitted or decided), all categories."""
    return (
        Abstract.objects.filter(meeting=meeting, state__in=REVIEWABLE_STATES)
        .select_related(
            "category", "original_category", "submitter", "decided_by", "decision_notification"
        )
        .prefetch_related(_authors_prefetch(), "affiliations")
        .annotate(average_score=Avg("reviews__score"), review_count=Count("reviews"))
        .order_by("category__code", "reference")
    )


def likely_duplicates(
    *, meeting: Meeting, of: list[int]
) -> dict[int, list[tuple[int, str, float]]]:
    """For each abstract in `of`, the meeting's numbered others with a similar title or body.

    Read from the pairs the duplicate check stored (services/duplicates.py), never
    computed here, so the cost follows `of` (a page of the review list, or one abstract)
    whatever the size of the meeting. An other abstract withdrawn since is left out.
    Values are lists of (other abstract's pk, its reference, similarity), most similar
    first. One query.
    """
    if not of:
        return {}
    pairs = (
        LikelyDuplicate.objects.filter(
            abstract_id__in=of, other__meeting=meeting, other__state__in=REVIEWABLE_STATES
        )
        .order_by("-similarity", "other__reference")
        .values_list("abstract_id", "other_id", "other__reference", "similarity")
    )
    found: dict[int, list[tuple[int, str, float]]] = {}
    for a_id, b_id, b_ref, score in pairs:
        found.setdefault(a_id, []).append((b_id, b_ref, round(score, 2)))
    return found


def conflicted_ids(*, meeting: Meeting, user) -> set[int]:
    """The meeting's abstracts `user` is a named author of (meetings.rules.named_author_q).
    One query."""
    from meetings.rules import named_author_q

    return set(
        Abstract.objects.filter(named_author_q(user), meeting=meeting).values_list("pk", flat=True)
    )


def redact_conflicts(abstracts, *, conflicts: set[int]) -> None:
    """Mark each abstract's `conflict` and, where `user` is its author, blank what the
    committee's side knows of it: its reviews' count and average, its state and decider
    (conflict of interest: the author reads none of it as a committee member)."""
    for abstract in abstracts:
        abstract.conflict = abstract.pk in conflicts
        if abstract.conflict:
            abstract.average_score = abstract.review_count = None
            abstract.decided_by = abstract.decided_at = None


def shares_affiliation(abstract: Abstract, *, user) -> list[str]:
    """The abstract's affiliations that match the reviewer's own (case and spacing ignored)."""
    mine = " ".join((user.affiliation or "").split()).casefold()
    if not mine:
        return []
    return [
        a.name
        for a in abstract.affiliations.all()
        if mine in a.name.casefold() or a.name.casefold() in mine
    ]


REVIEW_PAGE_SIZE = 50


def review_queue(*, meeting: Meeting, reviewer, page_number=None) -> Page:
    """One page of the meeting's numbered abstracts with the reviewer's view of each.

    Each carries `my_review`, `conflict` (reviewer is an author: never reviewable),
    `shared_affiliations` and `duplicates` (stored pairs; `duplicates_checked_at` null
    means the check has not yet seen the abstract as it stands). Fixed queries, and work
    bounded by the page, whatever the numbers.
    """
    # The page is chosen on the order alone, then only its abstracts are read with their
    # joins and review aggregates: read in one go, every numbered abstract of the meeting
    # was aggregated and joined with all reviews and all members before the first 50 were
    # kept, which grows with the site rather than with the page.
    order = Abstract.objects.filter(meeting=meeting, state__in=REVIEWABLE_STATES)
    order = order.order_by("category__code", "reference").values_list("pk", flat=True)
    page = Paginator(order, REVIEW_PAGE_SIZE).get_page(page_number)
    abstracts = list(committee_abstracts(meeting=meeting).filter(pk__in=list(page.object_list)))
    redact_conflicts(abstracts, conflicts=conflicted_ids(meeting=meeting, user=reviewer))
    reviews = Review.objects.filter(reviewer=reviewer, abstract__in=[a.pk for a in abstracts])
    mine = {review.abstract_id: review for review in reviews}
    duplicates = likely_duplicates(meeting=meeting, of=[a.pk for a in abstracts])
    for abstract in abstracts:
        abstract.my_review = mine.get(abstract.pk)
        abstract.shared_affiliations = shares_affiliation(abstract, user=reviewer)
        abstract.duplicates = duplicates.get(abstract.pk, [])
    page.object_list = abstracts
    return page


def abstract_for_review(*, meeting: Meeting, pk: int) -> Abstract | None:
    return (
        Abstract.objects.filter(meeting=meeting, pk=pk, state__in=REVIEWABLE_STATES)
        .select_related("category", "original_category", "submitter", "decision_notification")
        .prefetch_related(
            _authors_prefetch(),
            "affiliations",
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        )
        .first()
    )


def category_statistics(*, meeting: Meeting, viewer) -> list[SortingCategory]:
    """Per contributed category: counts by state, average score and review coverage.

    Drafts are their authors' alone: they are not counted, nor are drafts withdrawn
    before submission. Every figure leaves out the abstracts `viewer` is an author of
    (conflict of interest: in a category of one, the average is its score and the
    counts its decision); `conflicts` on each row says how many were left out.
    """
    from meetings.rules import named_author_q

    mine = named_author_q(viewer, prefix="abstracts__")
    submitted = Q(abstracts__submitted_at__isnull=False) & ~mine
    scored = Q(abstracts__state__in=REVIEWABLE_STATES) & ~mine

    def in_state(*states):
        return Count("abstracts", filter=submitted & Q(abstracts__state__in=states), distinct=True)

    rows = list(
        meeting.categories.filter(accepts_contributed=True)
        .annotate(
            submitted=in_state(AbstractState.SUBMITTED),
            withdrawn=in_state(AbstractState.WITHDRAWN),
            accepted=in_state(*ACCEPTED_STATES),
            rejected=in_state(AbstractState.REJECTED),
            # How many there are tells nothing of a decision: the author's own count here.
            numbered=Count(
                "abstracts",
                filter=Q(
                    abstracts__submitted_at__isnull=False,
                    abstracts__state__in=REVIEWABLE_STATES,
                ),
                distinct=True,
            ),
            scorable=Count("abstracts", filter=scored, distinct=True),
            conflicts=Count(
                "abstracts", filter=mine & Q(abstracts__submitted_at__isnull=False), distinct=True
            ),
            reviewed=Count(
                "abstracts", filter=scored & Q(abstracts__reviews__isnull=False), distinct=True
            ),
            average_score=Avg("abstracts__reviews__score", filter=scored),
        )
        .order_by("code")
    )
    for row in rows:
        row.coverage = round(100 * row.reviewed / row.scorable) if row.scorable else None
        row.is_focus = row.kind == CategoryKind.FOCUS_SESSION
        row.enough = row.numbered >= meeting.focus_topic_threshold
        row.missing = max(meeting.focus_topic_threshold - row.numbered, 0)
    return rows


def submissions_by_day(*, meeting: Meeting) -> list[tuple[date, int | None]]:
    """Cumulative submissions per day from the call's opening to its deadline, in the
    meeting's time zone (withdrawn ones count: they were submitted); days still to come
    are None. One query."""
    tz = meeting.tz
    per_day = dict(
        Abstract.objects.filter(meeting=meeting, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    first = timezone.localtime(meeting.call_opens_at, tz).date()
    last = max([timezone.localtime(meeting.call_closes_at, tz).date(), *per_day])
    today = timezone.localdate(timezone=tz)
    series, total, day = [], 0, first
    while day <= last:
        total += per_day.get(day, 0)
        series.append((day, total if day <= today or day in per_day else None))
        day += timedelta(days=1)
    return series


def suppressed(count: int) -> str:
    """An aggregate safe to show outside the committee: small counts are not shown."""
    return f"fewer than {SMALL_COUNT}" if count < SMALL_COUNT else str(count)


def nomination_aggregates(*, meeting: Meeting) -> dict[str, str]:
    """Counts of the voluntary flags, small counts suppressed, for pages outside the
    committee. The total is shown as it is; it says nothing about anyone's flags."""
    counts = SpeakerNomination.objects.filter(meeting=meeting).aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(nominee_is_woman=True)),
        urm=Count("id", filter=Q(nominee_is_urm=True)),
        outside_us=Count("id", filter=Q(nominee_outside_us=True)),
    )
    return {"total": str(counts["total"])} | {
        key: suppressed(value) for key, value in counts.items() if key != "total"
    }


def nominations_for_committee(*, meeting: Meeting) -> list[SpeakerNomination]:
    """The meeting's nominations, each with `previous_talks`: invited talks the nominee gave
    at the previous year's meeting of the same kind (matched by name or email)."""
    nominations = list(
        SpeakerNomination.objects.filter(meeting=meeting)
        .select_related("nominator")
        .order_by("created_at")
    )
    names = {n.nominee_name.casefold() for n in nominations}
    emails = {n.nominee_email.casefold() for n in nominations if n.nominee_email}
    talks = (
        list(
            InvitedTalk.objects.filter(
                session__meeting__kind=meeting.kind, session__meeting__year=meeting.year - 1
            )
            .annotate(name_key=Lower("speaker__name"), email_key=Lower("speaker__email"))
            .filter(Q(name_key__in=names) | Q(email_key__in=emails))
            .select_related("speaker", "session__meeting")
        )
        if nominations
        else []
    )
    for nomination in nominations:
        nomination.previous_talks = [
            talk
            for talk in talks
            if talk.name_key == nomination.nominee_name.casefold()
            or (talk.email_key and talk.email_key == nomination.nominee_email.casefold())
        ]
    return nominations


def nominations_of(user) -> QuerySet[SpeakerNomination]:
    return (
        SpeakerNomination.objects.filter(nominator=user)
        .select_related("meeting")
        .order_by("-created_at")
    )


def invited_program(*, meeting: Meeting) -> list[InvitedSession]:
    return list(
        meeting.invited_sessions.select_related("chair")
        .prefetch_related(
            "cosponsors",
            Prefetch("talks", queryset=InvitedTalk.objects.select_related("speaker")),
        )
        .order_by("code", "title")
    )


def accepted_by_category(
    *, meeting: Meeting, states=None, sent_only: bool = False, viewer=None
) -> list[tuple[SortingCategory, list]]:
    """Abstracts in `states` (default: accepted) grouped by category, in code order.

    `sent_only` keeps only abstracts whose decision mail has gone out (pages outside
    the committee: no author learns a decision from the program first); with `viewer`,
    abstracts the viewer is an author of are left out (the committee's book).
    """
    abstracts = Abstract.objects.filter(meeting=meeting, state__in=states or ACCEPTED_STATES)
    if sent_only:
        abstracts = abstracts.filter(decision_notification__isnull=False)
    if viewer is not None:
        from meetings.rules import named_author_q

        abstracts = abstracts.exclude(named_author_q(viewer))
    abstracts = (
        abstracts.select_related("category")
        .prefetch_related(_authors_prefetch(), "affiliations")
        .order_by("category__code", "reference")
    )
    groups: dict[int, tuple[SortingCategory, list]] = {}
    for abstract in abstracts:
        groups.setdefault(abstract.category_id, (abstract.category, []))[1].append(abstract)
    return list(groups.values())


def export_abstracts(*, meeting: Meeting, viewer, category: str = "", state: str = ""):
    """Submitted abstracts (or those in `state`) for the committee's exports: never a
    draft, nor a draft withdrawn unsubmitted, nor one `viewer` is an author of."""
    from meetings.rules import committee_abstracts_q

    queryset = (
        Abstract.objects.filter(committee_abstracts_q(viewer), meeting=meeting)
        .select_related("category", "original_category", "submitter")
        .prefetch_related(_authors_prefetch())
        .order_by("category__code", "reference")
    )
    if category:
        queryset = queryset.filter(category__code=category)
    if state:
        queryset = queryset.filter(state=state)
    return queryset


def names_people_publicly() -> Q:
    """Meeting pages are public and name the program chair, invited sessions' chairs and
    invited speakers (community.visibility)."""
    chairs = Meeting.objects.filter(program_chair=OuterRef("pk"))
    session_chairs = InvitedSession.objects.filter(chair=OuterRef("pk"))
    speakers = InvitedTalk.objects.filter(speaker=OuterRef("pk"))
    return Q(Exists(chairs)) | Q(Exists(session_chairs)) | Q(Exists(speakers))
