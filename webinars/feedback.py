"""Feedback from attendees: a rating (1 to 5) and an optional comment, one per registration.

Who: a registration the committee marked as attended (`Registration.attended_at`),
from the end of the webinar until FEEDBACK_WINDOW later (the cut-off; until then
the feedback can be changed). Members use the webinar page or My GDS; guests the
signed link in the "thank you, tell us what you thought" mail, which the polling
worker sends once per attended registration (`feedback_send_requests`).

What the speakers see: the ratings only in aggregate and only from MIN_RATINGS
ratings on (fewer would let a speaker single out one attendee's rating), and only
the comments the Webinar committee approved — and nothing at all when the committee
switched `Webinar.share_feedback_with_speakers` off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from gds_portal.mail import send_template_mail
from webinars.enums import CommentStatus
from webinars.links import registration_for_signed, signed_url
from webinars.models import Feedback, Registration, Webinar, WebinarSpeaker
from webinars.selectors import _own_registrations

# Feedback can be given and changed until two weeks after the end.
FEEDBACK_WINDOW = timedelta(days=14)
# Fewer ratings than this are not shown to speakers, not even their count.
MIN_RATINGS = 3
FEEDBACK_SALT = "webinars.feedback"
# The link works as long as the window is open (and a little longer, to say so).
FEEDBACK_LINK_MAX_AGE = FEEDBACK_WINDOW + timedelta(days=30)
RATINGS = range(1, 6)


class FeedbackClosed(Exception):
    """This registration may not give (or change) feedback now."""


def feedback_closes_at(webinar: Webinar) -> datetime | None:
    """None for an undated draft: it has not been held, so feedback has not opened."""
    end = webinar.end_at
    return None if end is None else end + FEEDBACK_WINDOW


def feedback_open(registration: Registration, now: datetime | None = None) -> bool:
    """Attended, the webinar held (not cancelled, over) and the cut-off not passed."""
    now = now or timezone.now()
    webinar = registration.webinar
    end, closes = webinar.end_at, feedback_closes_at(webinar)
    return (
        registration.attended_at is not None
        and not webinar.is_cancelled
        and end is not None
        and closes is not None
        and end <= now < closes
    )


def feedback_url(registration: Registration) -> str:
    """A guest's (or anyone's) signed link to their feedback form."""
    return signed_url("webinars:feedback_link", registration, FEEDBACK_SALT)


def registration_for_feedback_token(token: str, *, slug: str) -> Registration | None:
    return registration_for_signed(
        token, slug=slug, salt=FEEDBACK_SALT, max_age=FEEDBACK_LINK_MAX_AGE
    )


def feedback_of(registration: Registration) -> Feedback | None:
    return Feedback.objects.filter(registration=registration).first()


@transaction.atomic
def feedback_save(*, registration: Registration, rating: int, comment: str) -> Feedback:
    """Record or change a registration's feedback.

    Side effects: creates or updates the registration's one Feedback row. A new or
    changed comment goes (back) to "awaiting moderation", so a speaker never sees
    words the committee did not approve. Raises FeedbackClosed outside the window
    or for a registration that did not attend.
    """
    registration = (
        Registration.objects.select_for_update().select_related("webinar").get(pk=registration.pk)
    )
    if not feedback_open(registration):
        raise FeedbackClosed(str(registration.webinar))
    now = timezone.now()
    comment = comment.strip()
    feedback = feedback_of(registration) or Feedback(registration=registration, created_at=now)
    if feedback.pk is None or feedback.comment != comment:
        feedback.comment_status = CommentStatus.PENDING
        feedback.moderated_by = None
        feedback.moderated_at = None
    feedback.rating = rating
    feedback.comment = comment
    feedback.updated_at = now
    feedback.full_clean(exclude=["registration"])
    feedback.save()
    return feedback


def feedback_moderate(*, feedback: Feedback, status: str, by: User) -> None:
    """Approve or reject a comment; only approved comments reach the speakers.

    Side effects: the comment's status, who moderated it and when. Raises
    PermissionError unless `by` may moderate (webinars.moderate_feedback).
    """
    if not by.has_perm("webinars.moderate_feedback"):
        raise PermissionError("Only the Webinar committee moderates feedback.")
    Feedback.objects.filter(pk=feedback.pk).update(
        comment_status=CommentStatus(status), moderated_by=by, moderated_at=timezone.now()
    )


# --- The "tell us what you thought" mail ------------------------------------------


def _due_requests(now: datetime) -> QuerySet[Registration]:
    has_feedback = Feedback.objects.filter(registration=OuterRef("pk"))
    return (
        Registration.objects.filter(
            attended_at__isnull=False,
            feedback_request_at__isnull=True,
            webinar__is_published=True,
            webinar__is_cancelled=False,
            webinar__start_at__gt=now - FEEDBACK_WINDOW - timedelta(hours=24),
        )
        .exclude(Exists(has_feedback))
        .select_related("webinar")
        .order_by("id")
    )


def feedback_send_requests(*, now: datetime | None = None) -> int:
    """Thank each attended registrant and ask for feedback, once, after the webinar.

    Side effects: for each attended registration of a held webinar whose window is
    open, `feedback_request_at` is claimed by a conditional update and one mail with
    the signed feedback link is queued, in one transaction: a second run sends
    nothing. Someone who already gave feedback is not asked. Returns how many.
    """
    now = now or timezone.now()
    sent = 0
    for registration in _due_requests(now):
        if not feedback_open(registration, now):
            continue
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, feedback_request_at__isnull=True
            ).update(feedback_request_at=now)
            if claimed:
                webinar = registration.webinar
                send_template_mail(
                    "webinars/feedback-request",
                    to=[registration.email],
                    context={
                        "registration": registration,
                        "webinar": webinar,
                        "webinar_url": settings.SITE_URL + webinar.get_absolute_url(),
                        "feedback_url": feedback_url(registration),
                        "closes_at": feedback_closes_at(webinar),
                    },
                )
                sent += 1
    return sent


# --- What speakers and the committee read ---------------------------------------------


@dataclass(frozen=True)
class FeedbackSummary:
    """Ratings of one webinar in aggregate; `shown` is False under MIN_RATINGS."""

    count: int
    mean: float | None
    distribution: list[tuple[int, int]]  # (rating, how many), 1 to 5

    @property
    def shown(self) -> bool:
        return self.count >= MIN_RATINGS


def feedback_summary(webinar: Webinar) -> FeedbackSummary:
    """Count, mean and distribution of the webinar's ratings (one query)."""
    ratings = list(
        Feedback.objects.filter(registration__webinar=webinar).values_list("rating", flat=True)
    )
    counts = {n: ratings.count(n) for n in RATINGS}
    mean = round(sum(ratings) / len(ratings), 2) if ratings else None
    return FeedbackSummary(len(ratings), mean, [(n, counts[n]) for n in RATINGS])


def approved_comments(webinar: Webinar) -> list[str]:
    """The comments the committee approved, without names or ratings (one query)."""
    approved = Feedback.objects.filter(
        registration__webinar=webinar, comment_status=CommentStatus.APPROVED
    ).exclude(comment="")
    return list(approved.order_by("created_at", "id").values_list("comment", flat=True))


def speaker_webinars(user: User) -> list[Webinar]:
    """Held, published webinars the member spoke at whose feedback is shared, newest first."""
    if not user.is_authenticated:
        return []
    spoke = WebinarSpeaker.objects.filter(webinar=OuterRef("pk"), person__user=user)
    held = (
        Webinar.objects.published().held().filter(Exists(spoke), share_feedback_with_speakers=True)
    )
    return list(held.order_by("-start_at"))


def feedback_to_give(user: User) -> list[Registration]:
    """The member's attended registrations whose feedback window is open, with any
    feedback given (two queries)."""
    now = timezone.now()
    rows = (
        _own_registrations(user)
        .filter(
            attended_at__isnull=False,
            webinar__is_published=True,
            webinar__is_cancelled=False,
            webinar__start_at__gt=now - FEEDBACK_WINDOW - timedelta(hours=24),
        )
        .select_related("webinar", "feedback")
        .order_by("-webinar__start_at")
    )
    return [r for r in rows if feedback_open(r, now)]
