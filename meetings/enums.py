"""States and kinds of the meetings domain."""

from django.db import models


class MeetingKind(models.TextChoices):
    MARCH = "march", "March Meeting"
    APRIL = "april", "April Meeting"
    OTHER = "other", "Other meeting"


class CategoryKind(models.TextChoices):
    INVITED_SYMPOSIUM = "invited", "Invited symposium (invitation only)"
    FOCUS_SESSION = "focus", "Focus session"
    STANDARD = "standard", "Standard category"
    HEADING = "heading", "Heading"

    @classmethod
    def contributed(cls) -> list[str]:
        """Kinds that may accept contributed abstracts."""
        return [cls.FOCUS_SESSION, cls.STANDARD]


class CallState(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", "Not yet open"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AbstractState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # Reserved for the Program committee's decisions (Meetings II).
    ACCEPTED_ORAL = "accepted_oral", "Accepted (oral)"
    ACCEPTED_POSTER = "accepted_poster", "Accepted (poster)"
    REJECTED = "rejected", "Rejected"


class PresentationPreference(models.TextChoices):
    ORAL = "oral", "Oral"
    POSTER = "poster", "Poster"
    EITHER = "either", "Either oral or poster"


class FormAction(models.TextChoices):
    """What a used idempotency token did, so a replay lands on the same result."""

    CREATE = "create", "Create"
    SAVE = "save", "Save"
    SUBMIT = "submit", "Submit"
    WITHDRAW = "withdraw", "Withdraw"
