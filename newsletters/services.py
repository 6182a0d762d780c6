"""Every write to newsletter content that has a rule or a side effect."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from rules import has_perm as rule_allows  # type: ignore[attr-defined]  # untyped

from accounts.identity import has_verified_address, same_address
from accounts.models import User
from gds_portal.history import set_change_reason, set_history_user
from gds_portal.mail import send_template_mail
from newsletters.enums import ArticleState, IssueStatus, SubscriptionKind, SubscriptionStatus
from newsletters.full_issue import FullIssue, render_full_issue
from newsletters.models import Article, Issue, IssueAnnouncement, Subscriber
from newsletters.revisions import spec_for
from newsletters.rules import is_article_author
from newsletters.selectors import AUTHORSHIPS

CONFIRM_SALT = "newsletters.subscribe.confirm"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # a week to click the confirmation link


class PublishError(ValidationError):
    """An issue is not ready to be seen by readers; the message says why."""


def issue_check_publishable(*, issue: Issue) -> None:
    """Raise PublishError unless the issue has articles, every article an author and
    every article is approved (the message lists those that are not)."""
    articles = list(issue.articles.annotate(n_authors=Count("authorships")).order_by("order"))
    if not articles:
        raise PublishError(f"“{issue}” has no articles yet; add at least one before publishing.")
    orphans = [a.title for a in articles if a.n_authors == 0]
    if orphans:
        titles = ", ".join(f"“{title}”" for title in orphans)
        raise PublishError(
            f"“{issue}” cannot be published: every article needs an author. "
            f"Add an author to {titles}."
        )
    waiting = [a for a in articles if a.state != ArticleState.APPROVED]
    if waiting:
        titles = ", ".join(f"“{a.title}” ({a.get_state_display().lower()})" for a in waiting)
        raise PublishError(
            f"“{issue}” cannot be published or scheduled until every article is approved. "
            f"Not approved yet: {titles}."
        )


@transaction.atomic
def issue_publish(*, issue: Issue, by: User | None, at: datetime | None = None) -> Issue:
    """Publish an issue now, or schedule it when its publication time is in the future.

    `at` overrides the issue's publication time; with neither, it is now.
    Side effects: updates the issue's status and time (one history version, by `by`),
    and, when this makes the issue visible, queues one announcement per active subscriber
    (never twice: see `issue_announce`). Pressing publish on an issue readers already
    see — an imported back issue, say — mails nobody. Raises PublishError when the
    issue is not ready.
    """
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    issue_check_publishable(issue=issue)
    was_visible = issue.is_visible
    now = timezone.now()
    when = at or issue.published_at or now
    issue.published_at = when
    issue.status = IssueStatus.SCHEDULED if when > now else IssueStatus.PUBLISHED
    set_history_user(issue, by)
    issue.save(update_fields=["status", "published_at", "updated_at"])
    if issue.status == IssueStatus.PUBLISHED and not was_visible:
        issue_announce(issue=issue)
    return issue


@transaction.atomic
def issue_unpublish(*, issue: Issue, by: User | None) -> Issue:
    """Take an issue back to draft: readers no longer see it anywhere.

    Side effects: status set to draft (the publication time is kept for reference),
    one history version by `by`. Announcements already sent stay recorded, so
    publishing again does not announce twice.
    """
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    issue.status = IssueStatus.DRAFT
    set_history_user(issue, by)
    issue.save(update_fields=["status", "updated_at"])
    return issue


@transaction.atomic
def issue_announce(*, issue: Issue) -> int:
    """Queue the new-issue announcement to every active subscriber not yet told.

    Exactly once per subscriber: the issue row is locked, so concurrent calls (publish
    pressed twice, the scheduled run overlapping a manual publish) take turns and each
    sees the IssueAnnouncement rows the other committed; the unique (issue, subscriber)
    constraint backs this up. Side effects: IssueAnnouncement rows and one outbox
    message per new row: the whole issue for subscribers who chose it (rendered once
    for all of them), the announcement for the others and, should the issue be too big
    to mail (newsletters/full_issue.py), for everyone. Returns how many were queued;
    0 for an issue readers cannot see.
    """
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_visible:
        return 0
    subscribers = list(
        Subscriber.objects.filter(status=SubscriptionStatus.ACTIVE)
        .exclude(announcements__issue=issue)
        .order_by("pk")
    )
    IssueAnnouncement.objects.bulk_create(
        [IssueAnnouncement(issue=issue, subscriber=s) for s in subscribers]
    )
    articles = list(issue.articles.approved().order_by("order", "id").prefetch_related(AUTHORSHIPS))
    wants_full = any(s.kind == SubscriptionKind.FULL_ISSUE for s in subscribers)
    full = render_full_issue(issue=issue, articles=articles) if wants_full else None
    for subscriber in subscribers:
        if full is not None and subscriber.kind == SubscriptionKind.FULL_ISSUE:
            _send_full_issue(issue=issue, full=full, subscriber=subscriber)
        else:
            _send_announcement(issue=issue, articles=articles, subscriber=subscriber)
    return len(subscribers)


def announce_due_issues() -> int:
    """Announce scheduled issues whose time has come, then mark them published.

    Run by `manage.py announce_issues` from the scheduler (`--loop` under `make run` and
    `make worker`); readers see a scheduled
    issue at its time whether or not this has run, only the mail waits for it.
    Side effects: those of `issue_announce`, the issues' status set to published and
    one history version each (by no one: the scheduler).
    """
    total = 0
    # Due by the application's clock, the one issue_announce asks too (`is_visible`), so
    # the two agree on whether the time has come; in production it is the database's
    # clock within NTP's margin, and a fixed clock in the tests governs both.
    due = Issue.objects.filter(status=IssueStatus.SCHEDULED, published_at__lte=timezone.now())
    for issue in due.order_by("published_at", "pk"):
        with transaction.atomic():
            total += issue_announce(issue=issue)
            # issue_announce holds the row lock until this commits, so an overlapping run
            # waits here and then finds the issue published: one version, not two.
            issue = Issue.objects.select_for_update().get(pk=issue.pk)
            if issue.status == IssueStatus.SCHEDULED:
                issue.status = IssueStatus.PUBLISHED
                set_change_reason(issue, "Published at its scheduled time")
                issue.save(update_fields=["status"])
    return total


class ReviewError(ValidationError):
    """An article is not in the state this step starts from; the message says why."""


def _refusal(*, perm: str, by: User, article: Article) -> str:
    """Why `by` may not take this step, in words the editor can act on."""
    if perm == "newsletters.approve_article":
        if article.submitted_by_id == by.pk:
            return f"You submitted “{article}”; another editor must approve it."
        if is_article_author(by, article):
            return f"You are one of the authors of “{article}”; another editor must approve it."
    return f"You may not do this with “{article}”."


def _article_step(
    *, article: Article, by: User, perm: str, start: set[str], state: str, reason: str
) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    # The rule itself, not User.has_perm: that says yes to a superuser for everything,
    # and a superuser may not approve their own article either.
    if not rule_allows(perm, by, article):  # type: ignore[no-untyped-call]
        raise PermissionDenied(_refusal(perm=perm, by=by, article=article))
    if article.state not in start:
        raise ReviewError(f"“{article}” is {article.get_state_display().lower()}: {reason}")
    article.state = state
    set_history_user(article, by)
    set_change_reason(article, f"{ArticleState(state).label}")
    return article


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    """Draft → in review. Side effects: the article's state and submitter, one history
    version by `by` (noted "In review"). Raises PermissionDenied (newsletters.submit_article)
    or ReviewError when the article is not a draft."""
    article = _article_step(
        article=article,
        by=by,
        perm="newsletters.submit_article",
        start={ArticleState.DRAFT},
        state=ArticleState.IN_REVIEW,
        reason="only a draft can be submitted for review.",
    )
    article.submitted_by = by
    article.save(update_fields=["state", "submitted_by", "updated_at"])
    return article


@transaction.atomic
def article_approve(*, article: Article, by: User) -> Article:
    """In review → approved, by a newsletter editor who neither wrote nor submitted the
    article (newsletters.approve_article). Side effects: the state, one history version by
    `by` (noted "Approved"). Raises PermissionDenied or ReviewError."""
    article = _article_step(
        article=article,
        by=by,
        perm="newsletters.approve_article",
        start={ArticleState.IN_REVIEW},
        state=ArticleState.APPROVED,
        reason="only an article in review can be approved.",
    )
    article.save(update_fields=["state", "updated_at"])
    return article


@transaction.atomic
def article_return_to_draft(*, article: Article, by: User) -> Article:
    """In review or approved → draft (to be changed and submitted again). Refused while
    the article's issue is published or scheduled: unpublish it first. Side effects: the
    state, the submitter cleared, one history version by `by` (noted "Draft")."""
    article = _article_step(
        article=article,
        by=by,
        perm="newsletters.return_article",
        start={ArticleState.IN_REVIEW, ArticleState.APPROVED},
        state=ArticleState.DRAFT,
        reason="it is a draft already.",
    )
    if article.issue.status != IssueStatus.DRAFT:
        raise ReviewError(
            f"“{article.issue}” is {article.issue.get_status_display().lower()}: "
            "unpublish it before sending its articles back to draft."
        )
    article.submitted_by = None
    article.save(update_fields=["state", "submitted_by", "updated_at"])
    return article


class RestoreError(ValidationError):
    """A revision cannot be put back as it is; the message says why."""


@transaction.atomic
def restore_revision(*, obj: Article | Issue, revision: Any, by: User) -> Article | Issue:
    """Put an article's or issue's fields back as they were in `revision` (one of its own
    versions). Only the fields of its RevisionSpec (newsletters/revisions.py): an issue's
    status and publication time are never restored, so a restore never publishes,
    unpublishes or reschedules an issue.

    Nothing is rewritten: the restore is saved as a new revision, by `by`, noting which
    revision it restored, so it can itself be compared and undone. Side effects: the
    row and one history version. Raises PermissionDenied unless `by` may restore
    (newsletters/rules.py) or when `revision` is another object's, and RestoreError when
    an old unique value (an address, an issue's season) is now taken.
    """
    spec = spec_for(obj)
    if not by.has_perm(spec.restore_perm, obj):
        raise PermissionDenied("Only newsletter editors may restore revisions.")
    if spec_for(revision) is not spec or revision.id != obj.pk:
        raise PermissionDenied(f"That revision belongs to another {spec.noun}.")
    obj = spec.model._default_manager.select_for_update().get(pk=obj.pk)  # type: ignore[assignment]
    for field in spec.model._meta.concrete_fields:
        if field.name in spec.fields:  # by attname (issue_id): no query for the issue
            setattr(obj, field.attname, getattr(revision, field.attname))
    set_history_user(obj, by)
    when = timezone.localtime(revision.history_date).strftime("%Y-%m-%d %H:%M:%S")
    set_change_reason(obj, f"Restored the revision of {when}")
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise RestoreError(spec.conflict.format(obj=obj)) from error
    return obj


def article_restore_revision(*, article: Article, revision: Any, by: User) -> Article:
    """restore_revision for an article (see there)."""
    return restore_revision(obj=article, revision=revision, by=by)  # type: ignore[return-value]


def issue_restore_revision(*, issue: Issue, revision: Any, by: User) -> Issue:
    """restore_revision for an issue (see there): never touches status or published_at."""
    return restore_revision(obj=issue, revision=revision, by=by)  # type: ignore[return-value]


def unsubscribe_url(subscriber: Subscriber) -> str:
    # No timestamp: the link never expires, and the same subscriber always gets the same one.
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(_token_data(subscriber))
    return settings.SITE_URL + reverse("newsletters:unsubscribe", kwargs={"token": token})


class _TokenData(TypedDict):
    """What a confirmation or unsubscribe link signs: the subscriber and their address."""

    s: int
    e: str


def _token_data(subscriber: Subscriber) -> _TokenData:
    return {"s": subscriber.pk, "e": subscriber.email.lower()}


def confirm_url(subscriber: Subscriber) -> str:
    token = signing.dumps(_token_data(subscriber), salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("newsletters:confirm", kwargs={"token": token})


def _list_headers(subscriber: Subscriber) -> dict[str, str]:
    # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe button.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def manage_url(subscriber: Subscriber) -> str:
    """The subscription's own page (choose what to receive, or stop): the same signed,
    never-expiring token as the one-click unsubscribe link."""
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(_token_data(subscriber))
    return settings.SITE_URL + reverse("newsletters:manage", kwargs={"token": token})


def _links(subscriber: Subscriber) -> dict[str, str]:
    return {"unsubscribe_url": unsubscribe_url(subscriber), "manage_url": manage_url(subscriber)}


def _send_announcement(*, issue: Issue, articles: list[Article], subscriber: Subscriber) -> None:
    send_template_mail(
        "newsletters/issue-announcement",
        to=[subscriber.email],
        context={
            "issue": issue,
            "articles": articles,
            "issue_url": settings.SITE_URL + issue.get_absolute_url(),
            **_links(subscriber),
        },
        headers=_list_headers(subscriber),
    )


def _send_full_issue(*, issue: Issue, full: FullIssue, subscriber: Subscriber) -> None:
    send_template_mail(
        "newsletters/full-issue",
        to=[subscriber.email],
        context={
            "issue": issue,
            "articles_html": full.html,
            "articles_text": full.text,
            "issue_url": settings.SITE_URL + issue.get_absolute_url(),
            **_links(subscriber),
        },
        headers=_list_headers(subscriber),
    )


@transaction.atomic
def subscriber_subscribe(
    *,
    email: str,
    user: User | None = None,
    kind: SubscriptionKind = SubscriptionKind.ANNOUNCEMENT,
) -> Subscriber | None:
    """Subscribe `email` to receive `kind`: at once for a signed-in member with a
    verified address, otherwise pending until the reader clicks the confirmation link
    (double opt-in).

    Side effects: creates, reactivates or (for the member's own verified address)
    links a Subscriber; for pending ones, queues the confirmation message. An address
    that is already subscribed is left as it is (its kind too: only the subscription's
    own signed page, or the member's own address, changes it) and gets no mail: the caller answers
    every address alike, so the form cannot tell anyone who is subscribed. None only
    when a concurrent request's row for the same address (unique in lower case) cannot
    be found again by `email__iexact` (PostgreSQL's upper and lower case disagree).
    """
    email = email.strip()
    # iexact finds candidates; the canonical form decides (accounts/identity.py).
    candidates = Subscriber.objects.select_for_update().filter(email__iexact=email)
    subscriber = next((s for s in candidates if same_address(s.email, email)), None)
    verified = user is not None and has_verified_address(user, email)
    if subscriber and subscriber.status == SubscriptionStatus.ACTIVE:
        if verified:  # the member's own address: theirs to link and to choose for
            if subscriber.user_id is None:
                subscriber.user = user
            subscriber.kind = kind
            subscriber.save(update_fields=["user", "kind"])
        return subscriber
    if subscriber is None:
        subscriber = Subscriber(email=email)
    subscriber.user = user if verified else subscriber.user
    subscriber.kind = kind
    subscriber.unsubscribed_at = None
    if verified:
        subscriber.status = SubscriptionStatus.ACTIVE
        subscriber.confirmed_at = timezone.now()
    else:
        subscriber.status = SubscriptionStatus.PENDING
    try:
        with transaction.atomic():
            subscriber.save()
    except IntegrityError:
        # The same address sent twice at the same moment: the other request
        # created the row and sent its confirmation; this one adds nothing.
        # (iexact alone could match a look-alike row too: MultipleObjectsReturned.)
        rows = Subscriber.objects.filter(email__iexact=email).order_by("pk")
        return next((s for s in rows if same_address(s.email, email)), rows.first())
    if not verified:
        send_template_mail(
            "newsletters/confirm-subscription",
            to=[subscriber.email],
            context={"confirm_url": confirm_url(subscriber)},
        )
    return subscriber


def _subscriber_matching(data: _TokenData) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first()
    if subscriber is None or subscriber.email.lower() != data.get("e"):
        return None  # the address changed since the link was sent
    return subscriber


def subscriber_for_confirm_token(token: str) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return _subscriber_matching(data)


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    # No expiry: an unsubscribe link in a years-old message must still work.
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return _subscriber_matching(data)


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Activate a pending subscription (the reader clicked the link). Side effects: one row."""
    if subscriber.status != SubscriptionStatus.ACTIVE:
        subscriber.status = SubscriptionStatus.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscriber


@transaction.atomic
def subscriber_set_kind(*, subscriber: Subscriber, kind: SubscriptionKind) -> Subscriber:
    """Choose what an issue brings this subscriber. Side effects: one row updated."""
    subscriber.kind = kind
    subscriber.save(update_fields=["kind"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop all announcements to this subscriber. Side effects: one row updated."""
    if subscriber.status != SubscriptionStatus.UNSUBSCRIBED:
        subscriber.status = SubscriptionStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
