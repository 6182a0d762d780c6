"""The meetings domain's models, one module per concept; every model is importable from
here, as Django and the migrations expect (`meetings.models.X`)."""

from meetings.models.abstracts import (
    Abstract,
    AbstractAuthor,
    AbstractQuerySet,
    AbstractReminder,
    Affiliation,
    FormToken,
)
from meetings.models.assignments import CategoryReviewer, ReviewAssignment, ReviewerReminder
from meetings.models.confirmations import CommitteeReminder, SpeakerConfirmation
from meetings.models.invited import InvitedSession, InvitedTalk, SpeakerNomination
from meetings.models.meeting import (
    CategoryCosponsor,
    DeadlineExtension,
    Meeting,
    MeetingQuerySet,
    ReferenceCounter,
    SortingCategory,
    validate_category_code,
    validate_meeting_slug,
    validate_time_zone,
)
from meetings.models.reviews import (
    CriterionScore,
    DecisionNotification,
    LikelyDuplicate,
    Review,
    RubricCriterion,
)
from meetings.models.sessions import ContributedSession, SessionTalk

# django-simple-history builds this model in the module that declares Abstract.
HistoricalAbstract = Abstract.history.model

__all__ = [
    "Abstract",
    "AbstractAuthor",
    "AbstractQuerySet",
    "AbstractReminder",
    "Affiliation",
    "CategoryCosponsor",
    "CategoryReviewer",
    "CommitteeReminder",
    "ContributedSession",
    "CriterionScore",
    "DeadlineExtension",
    "DecisionNotification",
    "FormToken",
    "HistoricalAbstract",
    "InvitedSession",
    "InvitedTalk",
    "LikelyDuplicate",
    "Meeting",
    "MeetingQuerySet",
    "ReferenceCounter",
    "Review",
    "ReviewAssignment",
    "ReviewerReminder",
    "RubricCriterion",
    "SessionTalk",
    "SortingCategory",
    "SpeakerConfirmation",
    "SpeakerNomination",
    # Named by the migrations (meetings.models.validate_…).
    "validate_category_code",
    "validate_meeting_slug",
    "validate_time_zone",
]
