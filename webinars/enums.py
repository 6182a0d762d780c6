from django.db import models


class WebinarKind(models.TextChoices):
    TALK = "talk", "Talk"
    TUTORIAL = "tutorial", "Hands-on tutorial"
    PANEL = "panel", "Panel"
    DISCUSSION = "discussion", "Discussion"


class WebinarState(models.TextChoices):
    """Derived from the data (start, duration, cancelled flag), never stored."""

    UPCOMING = "upcoming", "Upcoming"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class NominationStatus(models.TextChoices):
    NEW = "new", "New"
    UNDER_REVIEW = "under_review", "Under review"
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    SCHEDULED = "scheduled", "Scheduled"
    # An offer to host only: the volunteer hosts a webinar that is going ahead (the
    # speaker nomination they were matched to is scheduled; services.nomination_set_status).
    MATCHED = "matched", "Matched"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# What the nominator sees. "Invited" stays "Under review" for them: whether the
# committee has written to a nominee is between the committee and the nominee.
PUBLIC_STATUS = {
    NominationStatus.NEW: "Received",
    NominationStatus.UNDER_REVIEW: "Under review",
    NominationStatus.INVITED: "Under review",
    NominationStatus.ACCEPTED: "Accepted",
    NominationStatus.SCHEDULED: "Scheduled",
    NominationStatus.MATCHED: "Matched",
    NominationStatus.DECLINED: "Not taken forward",
    NominationStatus.WITHDRAWN: "Withdrawn",
}

# Statuses in which a nomination is still open (the nominator may withdraw it).
OPEN_STATUSES = {
    NominationStatus.NEW,
    NominationStatus.UNDER_REVIEW,
    NominationStatus.INVITED,
    NominationStatus.ACCEPTED,
}


class NominationKind(models.TextChoices):
    TOPIC = "topic", "Topic suggestion"
    SPEAKER = "speaker", "Speaker nomination"
    HOST = "host", "Offer to host"


class Region(models.TextChoices):
    AFRICA = "africa", "Africa"
    NORTHERN_AMERICA = "northern_america", "Northern America"
    LATIN_AMERICA = "latin_america", "Latin America and the Caribbean"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    OCEANIA = "oceania", "Oceania"
    UNKNOWN = "unknown", "Not given"


class RegistrationStatus(models.TextChoices):
    # A guest who has not yet followed the confirmation link: not counted, not mailed
    # reminders, never shown the join link.
    PENDING = "pending", "Awaiting email confirmation"
    CONFIRMED = "confirmed", "Registered"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


# Registrations that hold a place or a turn (counted for the capacity and the list).
ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class CommentStatus(models.TextChoices):
    """A feedback comment's moderation: only approved comments reach the speakers."""

    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class InvitationState(models.TextChoices):
    """Where a speaker stands with the committee's invitation (webinars.speakers)."""

    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ReleaseState(models.TextChoices):
    """The speaker's answer to the recording release; only SIGNED makes a replay public."""

    PENDING = "pending", "Not answered yet"
    SIGNED = "signed", "Signed"
    REFUSED = "refused", "Refused"


class SpeakerPersonChoice(models.TextChoices):
    """The committee's answer when the nominee's email or ORCID iD matches a person whose
    name differs from the nomination's (webinars.services.nominee_person_conflict)."""

    UNRESOLVED = "", "Not needed or not decided"
    USE_MATCH = "use_match", "Use the matched person"
    NEW_PERSON = "new_person", "Create a new person for the nominee"
