from django.db import models
from django.utils import timezone
from solo.models import SingletonModel

from gds_portal.enums import MailStatus
from gds_portal.validators import validate_youtube_channel


class OutboundEmail(models.Model):
    """One message in the outbox: stored before any delivery attempt.

    A user's action only writes this row, so a broken mail server never takes
    a submission down; `manage.py send_queued_mail` delivers and retries.
    """

    status = models.CharField(
        max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED, db_index=True
    )
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # Text files sent with the message (a webinar's .ics): a list of
    # {"filename", "content", "mimetype"}. Text only, so a row stays readable JSON.
    attachments = models.JSONField(default=list, blank=True)
    # Account mail (verification, password reset) carries one-time secrets:
    # only superusers see that it exists, and no one sees its body.
    sensitive = models.BooleanField(default=False)
    # Which template the message was rendered from, and the domain (the app's
    # label in `gds_portal.mail.mail_domains`) that owns it: the outbox admin
    # shows a committee only its own domain's mail. "" means no app claimed it.
    template = models.CharField(max_length=200, blank=True)
    domain = models.CharField(max_length=40, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when a worker claims the row (with `next_attempt_at` as the lease's
    # end); the worker's "sent" or "retry later" update must match it, so a
    # worker whose claim was taken over can never record or repeat a delivery.
    claim_token = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outgoing email"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="outbox_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class SiteConfiguration(SingletonModel):
    """What the committee edits about the site frame: the footer's links and disclaimer."""

    contact_email = models.EmailField(default="gds@aps.org")
    website_url = models.URLField(
        "APS website", default="https://www.aps.org/units/gds/index.cfm", blank=True
    )
    linkedin_url = models.URLField(
        "LinkedIn", default="https://www.linkedin.com/company/apsdatascience", blank=True
    )
    twitter_url = models.URLField(
        "Twitter", default="https://twitter.com/apsdatascience", blank=True
    )
    facebook_url = models.URLField(
        "Facebook", default="https://www.facebook.com/APSDataScience", blank=True
    )
    youtube_url = models.URLField(
        "YouTube channel",
        blank=True,
        validators=[validate_youtube_channel],
        help_text="The webinar replays' channel, e.g. https://www.youtube.com/@name; "
        "shown in the footer. Leave empty to show none.",
    )
    disclaimer = models.TextField(
        default=(
            "The information and views provided here are those of the individuals involved "
            "and do not necessarily correspond to those of APS, GDS or the editors."
        )
    )
    tagline = models.CharField(
        max_length=200,
        default="Connecting physicists who work with data — and data scientists who love physics.",
    )

    class Meta:
        verbose_name = "site configuration"

    def __str__(self) -> str:
        return "Site configuration"
