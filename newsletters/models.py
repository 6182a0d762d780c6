from typing import Self, TypeVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Now
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from community.models import Person
from gds_portal.search import PROSE, trigram_index
from gds_portal.uploads import random_upload_name
from gds_portal.validators import doi_url, normalize_doi, validate_doi, validate_visible_text
from newsletters.enums import (
    ArticleKind,
    ArticleState,
    IssueStatus,
    Season,
    SubscriptionKind,
    SubscriptionStatus,
)

VISIBLE_STATUSES = [IssueStatus.SCHEDULED, IssueStatus.PUBLISHED]


# Generic in the model, as django-stubs' QuerySet is, so rows of an annotated queryset keep
# their annotations under mypy (make lint).
_Issue = TypeVar("_Issue", bound="Issue", covariant=True)


class IssueQuerySet(models.QuerySet[_Issue]):
    def visible(self) -> Self:
        """Issues readers may see: released by an editor and past their publication time.

        Evaluated by PostgreSQL against `now()`, so a scheduled issue appears by
        itself at its time, without any job running.
        """
        return self.filter(status__in=VISIBLE_STATUSES, published_at__lte=Now())


class Issue(models.Model):
    title = models.CharField(max_length=120, help_text='As printed, e.g. "Summer 2020".')
    slug = models.SlugField(max_length=60, unique=True, help_text="e.g. summer-2020")
    season = models.CharField(max_length=10, choices=Season.choices)
    year = models.PositiveSmallIntegerField()
    volume = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="Markdown; shown in the archive and feeds.")
    cover = models.ImageField(upload_to=random_upload_name("newsletters/covers"), blank=True)
    pdf = models.FileField(
        "PDF of the printed edition", upload_to=random_upload_name("newsletters/pdf"), blank=True
    )
    status = models.CharField(
        max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Leave empty to publish now; a future time schedules the issue.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every save is a version: who published, scheduled or unpublished it, and when
    # (gds_portal.history.status_steps reads the status changes from it).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "season"], name="issue_unique_year_season"),
            models.CheckConstraint(
                condition=Q(status=IssueStatus.DRAFT) | Q(published_at__isnull=False),
                name="issue_released_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]
        permissions = [
            ("publish_issue", "Can publish, schedule and unpublish issues"),
            ("preview_issue", "Can preview draft issues on the site"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("newsletters:issue", kwargs={"year": self.year, "season": self.season})

    def get_preview_url(self) -> str:
        return reverse("newsletters:preview_issue", kwargs={"pk": self.pk})

    @property
    def is_visible(self) -> bool:
        return (
            self.status in VISIBLE_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state_label(self) -> str:
        """What the issue is now: a scheduled issue whose time has come reads as published."""
        if self.status == IssueStatus.SCHEDULED and self.is_visible:
            return IssueStatus.PUBLISHED.label
        return self.get_status_display()


# Title weighs more than standfirst, standfirst more than body.
ARTICLE_SEARCH_VECTOR = (
    SearchVector("title", weight="A", config=PROSE)
    + SearchVector("standfirst", weight="B", config=PROSE)
    + SearchVector("body", weight="C", config=PROSE)
)


_Article = TypeVar("_Article", bound="Article", covariant=True)


class ArticleQuerySet(models.QuerySet[_Article]):
    """The one place that says what readers see: every reading page, feed, search, sitemap,
    mailing and issue contents goes through `visible()` or `approved()`."""

    def approved(self) -> Self:
        # An article added to (or moved into) an already published issue stays hidden
        # until another editor approves it.
        return self.filter(state=ArticleState.APPROVED)

    def visible(self) -> Self:
        return self.approved().filter(
            issue__status__in=VISIBLE_STATUSES, issue__published_at__lte=Now()
        )


class Article(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=30, choices=ArticleKind.choices)
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120)
    standfirst = models.TextField(blank=True, help_text="One or two sentences under the title.")
    body = models.TextField(
        help_text="Markdown; maths with $…$ and $$…$$; a figure of this article on a line "
        "of its own as ![fig:its-name]."
    )
    # The editors' review (newsletters/services.py changes it, one service per step; who
    # did each step and when is in the article's history).
    state = models.CharField(
        "review state",
        max_length=10,
        choices=ArticleState.choices,
        default=ArticleState.DRAFT,
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who submitted the article for review: they may not approve it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored so that ranking a search hit reads it instead of re-parsing the body.
    search_vector = models.GeneratedField(
        expression=ARTICLE_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )
    # Every save is a revision: who changed what and when, compared and restored from the
    # article's history page (newsletters/revisions.py). The search vector is derived from
    # the text, and the time of the last change is the revision's own time.
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "slug"], name="article_unique_slug_in_issue"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            trigram_index("title", "article_title_trgm_idx"),  # "did you mean"
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "newsletters:article",
            kwargs={"year": self.issue.year, "season": self.issue.season, "slug": self.slug},
        )

    def get_preview_url(self) -> str:
        return reverse(
            "newsletters:preview_article", kwargs={"pk": self.issue_id, "slug": self.slug}
        )


class Figure(models.Model):
    """An image of an article, placed in its body by name: `![fig:<slug>]` on its own line."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    slug = models.SlugField(
        "name", max_length=60, help_text="Used in the body as ![fig:name], e.g. ![fig:chart]."
    )
    # Re-encoded on upload (gds_portal.uploads.clean_image): no EXIF, a random name.
    image = models.ImageField(
        upload_to=random_upload_name("newsletters/figures"),
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        "alt text",
        max_length=300,
        validators=[validate_visible_text],
        help_text="What the image shows, for readers who cannot see it.",
    )
    caption = models.CharField(max_length=500, blank=True, help_text="Shown under the image.")

    class Meta:
        ordering = ["article", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["article", "slug"], name="figure_unique_in_article"),
        ]

    def __str__(self) -> str:
        return self.slug


class Authorship(models.Model):
    """A person's byline on an article, with the role line printed at the time."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    order = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        "role line",
        max_length=250,
        blank=True,
        help_text='As printed, e.g. "GDS Chair" or "Postdoctoral Fellow, Harvard University".',
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="authorship_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})" if self.role else str(self.person)


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveSmallIntegerField(default=0)
    citation = models.TextField(help_text="Authors, title, journal, volume, page (year).")
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[validate_doi])
    url = models.URLField("URL", max_length=500, blank=True)
    # The same work as fields, for the BibTeX and RIS downloads (newsletters/citations.py);
    # the citation above stays the line readers see, as printed.
    authors = models.TextField(
        blank=True, help_text='One author per line, family name first: "Desgranges, Caroline".'
    )
    title = models.CharField(max_length=500, blank=True)
    journal = models.CharField(
        max_length=250, blank=True, help_text="Journal as printed, e.g. J. Phys. Chem. C."
    )
    volume = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=30, blank=True, help_text="e.g. 1907 or 1907-1917")
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.citation[:80]

    def clean(self):
        self.doi = normalize_doi(self.doi) if self.doi else ""

    @property
    def link(self) -> str:
        return doi_url(self.doi) if self.doi else self.url

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]


class Subscriber(models.Model):
    """A reader who receives an announcement when an issue is published."""

    email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    kind = models.CharField(
        "what to receive",
        max_length=12,
        choices=SubscriptionKind.choices,
        default=SubscriptionKind.ANNOUNCEMENT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_unique_email"),
        ]

    def __str__(self) -> str:
        return self.email


class IssueAnnouncement(models.Model):
    """One announcement of one issue to one subscriber: the row that makes it exactly once."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="announcements")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="announcements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="announcement_once_per_subscriber"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscriber}"
