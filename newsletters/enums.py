from django.db import models


class Season(models.TextChoices):
    """The four editions of a year, in publication order (winter opens the year)."""

    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"
    FALL = "fall", "Fall"


# Looked up with stored values (plain str) as well as members: a member equals its value.
SEASON_ORDER: dict[str, int] = {season: index for index, season in enumerate(Season)}


class IssueStatus(models.TextChoices):
    """What the editors decided. Whether readers see an issue also depends on the clock:
    a scheduled issue becomes visible by itself once its publication time has passed."""

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


class ArticleState(models.TextChoices):
    """Where an article is in the editors' review. Readers see an article when its issue is
    published, and an issue can be published or scheduled only once all its articles are
    approved (newsletters.services.issue_check_publishable)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in-review", "In review"
    APPROVED = "approved", "Approved"


class ArticleKind(models.TextChoices):
    """Kinds of article, in the order a table of contents lists them."""

    EDITORS_MESSAGE = "editors-message", "Message from the Editor"
    CHAIRS_MESSAGE = "chairs-message", "Message from the Chair"
    STATEMENT = "statement", "Statement"
    ANNOUNCEMENT = "announcement", "Announcement"
    MEETING_REPORT = "meeting-report", "Meeting report"
    WEBINAR_REPORT = "webinar-report", "Webinar report"
    RESEARCH_HIGHLIGHT = "research-highlight", "Research highlight"
    PERSPECTIVE = "perspective", "Perspective"
    FEATURE = "feature", "Feature"
    INTERVIEW = "interview", "Interview"
    IN_MEMORIAM = "in-memoriam", "In memoriam"


KIND_ORDER: dict[str, int] = {kind: index for index, kind in enumerate(ArticleKind)}

# Plural headings for the table of contents.
KIND_HEADINGS = {
    ArticleKind.EDITORS_MESSAGE: "From the Editor",
    ArticleKind.CHAIRS_MESSAGE: "From the Chair",
    ArticleKind.STATEMENT: "Statements",
    ArticleKind.ANNOUNCEMENT: "Announcements",
    ArticleKind.MEETING_REPORT: "Meeting reports",
    ArticleKind.WEBINAR_REPORT: "Webinar reports",
    ArticleKind.RESEARCH_HIGHLIGHT: "Research highlights",
    ArticleKind.PERSPECTIVE: "Perspectives",
    ArticleKind.FEATURE: "Features",
    ArticleKind.INTERVIEW: "Interviews",
    ArticleKind.IN_MEMORIAM: "In memoriam",
}


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class SubscriptionKind(models.TextChoices):
    """What a subscriber receives when an issue is published."""

    ANNOUNCEMENT = "announcement", "A short announcement with the table of contents"
    FULL_ISSUE = "full-issue", "The whole issue in the email"
