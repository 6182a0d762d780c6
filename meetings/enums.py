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
    # Set only by the Program committee's decisions.
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
    NOMINATE = "nominate", "Nominate a speaker"
    SESSION = "session", "Create a session"


class TalkMove(models.TextChoices):
    """What the session editor's buttons do to one talk."""

    UP = "up", "Move up"
    DOWN = "down", "Move down"
    REMOVE = "remove", "Remove from the session"


class ReviewScore(models.IntegerChoices):
    POOR = 1, "1 — poor"
    WEAK = 2, "2 — weak"
    FAIR = 3, "3 — fair"
    GOOD = 4, "4 — good"
    EXCELLENT = 5, "5 — excellent"


class ReviewConfidence(models.IntegerChoices):
    """How sure a reviewer is of their score: it weighs their review in the abstract's
    score (meetings.selectors.scores). Reviews from before confidence was asked count
    as MEDIUM, so their abstracts' averages did not change."""

    LOW = 1, "1 — low: outside my field"
    MEDIUM = 2, "2 — medium: I know the field"
    HIGH = 3, "3 — high: my own field"


class Decision(models.TextChoices):
    """What the committee may do to a submitted abstract (singly or in bulk)."""

    ACCEPT_ORAL = "accepted_oral", "Accept (oral)"
    ACCEPT_POSTER = "accepted_poster", "Accept (poster)"
    REJECT = "rejected", "Reject"
    MOVE = "move", "Move to another category"


DECIDED_STATES = [
    AbstractState.ACCEPTED_ORAL,
    AbstractState.ACCEPTED_POSTER,
    AbstractState.REJECTED,
]
ACCEPTED_STATES = [AbstractState.ACCEPTED_ORAL, AbstractState.ACCEPTED_POSTER]
# Past the draft: numbered abstracts the committee reviews and decides on.
REVIEWABLE_STATES = [AbstractState.SUBMITTED, *DECIDED_STATES]


class NominationStatus(models.TextChoices):
    """The committee's own view of a nomination; nominators see `public_label` only."""

    RECEIVED = "received", "Received"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INVITED = "invited", "Invitation sent"
    CONFIRMED = "confirmed", "Confirmed in the program"
    NOT_SELECTED = "not_selected", "Not selected"
    # Set only by the nominator (meetings.services.nominations.nomination_withdraw).
    WITHDRAWN = "withdrawn", "Withdrawn by the nominator"

    @property
    def public_label(self) -> str:
        """What the nominator may know: never the shortlist, never who was asked."""
        if self == NominationStatus.CONFIRMED:
            return "In the program"
        if self == NominationStatus.NOT_SELECTED:
            return "Not in this year's program"
        if self == NominationStatus.WITHDRAWN:
            return "Withdrawn"
        return "Under consideration by the Program committee"

    @classmethod
    def under_consideration(cls) -> list[str]:
        """The states the nominator sees as one ("Under consideration"): the committee
        has not settled the nomination, so its nominator may still change it."""
        return [cls.RECEIVED, cls.SHORTLISTED, cls.INVITED]


class SessionOwnership(models.TextChoices):
    WHOLLY_OWNED = "owned", "Wholly owned by GDS (one full slot)"
    CO_SPONSORED = "cosponsored", "Co-sponsored with other units (half a slot)"


# A nomination whose nominee may still answer: the committee invited them (or has them
# in the program). Any other status (not selected, back to shortlisted, withdrawn) ends
# the nominee's link and drops the answer from the committee's overview (outside probe,
# fix G).
ANSWERABLE_NOMINATIONS = [NominationStatus.INVITED, NominationStatus.CONFIRMED]


class SpeakerAnswer(models.TextChoices):
    """A speaker's own answer: an accepted abstract's presenting author, or an invited
    nominee (meetings.models.SpeakerConfirmation). Never the nominator's tick box
    (SpeakerNomination.tentatively_agreed), which is the nominator's word only."""

    # The speaker has no address: nobody could be asked (the committee sees it).
    NO_ADDRESS = "no_address", "Cannot be asked (no email address)"
    ASKED = "asked", "Not answered"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class CommitteeReminderKind(models.TextChoices):
    """The reminders the chair sends at most once per meeting (CommitteeReminder)."""

    PRESENTERS = "presenters", "Presenters who have not answered"
    DRAFTS = "drafts", "Authors of unsubmitted drafts"
