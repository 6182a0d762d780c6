from django.db import models


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReporterKind(models.TextChoices):
    """How the ombudsman can answer: what the reporter chose to give."""

    MEMBER = "member", "Member (named)"
    ADDRESS = "address", "Verified email address"
    ANONYMOUS = "anonymous", "Anonymous"


class AccessAction(models.TextChoices):
    """What a row of the access log records."""

    READ = "read", "Read by the ombudsman"
    REPLIED = "replied", "Replied"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    REPORTER_READ = "reporter_read", "Read by the reporter"
    REPORTER_REPLIED = "reporter_replied", "Answered by the reporter"
    DELETED = "deleted", "Deleted at the end of the retention period"
    RETENTION_CHANGED = "retention", "Retention period changed"
    # Written by `ombudsman_notify` when it finds the office held by another account
    # (or by none) than at its last run; the actor is the new holder.
    HOLDER_CHANGED = "holder_changed", "The office changed hands"
    # Written at once when the elections app changes a term of the office (added,
    # corrected, ended, deleted) or links a holder's profile; `detail` says what.
    TERMS_CHANGED = "terms_changed", "The office's terms changed"
