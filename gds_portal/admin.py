from django.contrib import admin, messages
from django.utils.html import format_html
from solo.admin import SingletonModelAdmin

from gds_portal import mail
from gds_portal.enums import MailStatus
from gds_portal.models import OutboundEmail, SiteConfiguration


@admin.register(SiteConfiguration)
class SiteConfigurationAdmin(SingletonModelAdmin):
    fieldsets = [
        (
            "Footer: how to connect",
            {
                "fields": [
                    "contact_email",
                    "website_url",
                    "linkedin_url",
                    "twitter_url",
                    "facebook_url",
                    "youtube_url",
                ]
            },
        ),
        ("Text", {"fields": ["tagline", "disclaimer"]}),
    ]


class StatusFilter(admin.SimpleListFilter):
    """Default to what needs attention: everything not yet sent."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("pending", "Not sent yet"), *MailStatus.choices, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or "pending"
        if value == "all":
            return queryset
        if value == "pending":
            return queryset.exclude(status=MailStatus.SENT)
        return queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or "pending"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class DomainFilter(admin.SimpleListFilter):
    """Whose mail: only the domains the viewer may read are offered."""

    title = "domain"
    parameter_name = "domain"

    def lookups(self, request, model_admin):
        return [(label, label or "(no domain)") for label in model_admin.domains_for(request)]

    def queryset(self, request, queryset):
        # get_queryset already holds only the viewer's domains: asking for another
        # domain's mail simply matches nothing.
        value = self.value()
        return queryset if value is None else queryset.filter(domain=value)


# The only URL lookups the outbox accepts: its two filters and the date hierarchy.
# Every other field (bodies, headers, recipients, subjects, the sensitive flag) would
# turn the changelist's count into an oracle (issue 15, break 1).
OUTBOX_LOOKUPS = frozenset(
    {"status", "domain"} | {f"created_at__{part}" for part in ("gte", "lt", "year", "month", "day")}
)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, seen through the viewer's mail domains.

    A committee sees only the mail of the domains whose permission it holds (see
    `gds_portal.mail.mail_domains`); account mail, and mail no app claimed, only
    superusers see, and no one sees account mail's body. No one sees a link: a
    leave, unsubscribe or confirmation link is a key to someone else's account.
    """

    list_display = [
        "shown_subject",
        "recipients",
        "domain",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = [StatusFilter, DomainFilter, "created_at"]
    # Subjects and recipients of mail the viewer may already see; never a body,
    # header or link (break 1).
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [
        *["status", "domain", "template", "from_email", "recipients", "shown_subject", "body"],
        *["shown_headers", "attempts", "shown_last_error", "created_at", "next_attempt_at"],
        "sent_at",
    ]
    fields = readonly_fields

    def domains_for(self, request) -> list[str]:
        if request.user.is_superuser:
            private = mail.mail_domains.private_labels()
            labels = [label for label in mail.mail_domains.labels() if label not in private]
            return [*labels, mail.ACCOUNT_DOMAIN, ""]
        return mail.mail_domains.readable_by(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            # Every domain but the private ones (who wrote to the ombudsman): such mail
            # is neither listed nor opened, by anyone. (Gaps in the row numbers still
            # show that unseen mail was queued: docs/ombudsman.md says so.)
            return queryset.exclude(domain__in=mail.mail_domains.private_labels())
        # Account mail is in no committee's domain; `sensitive` also guards rows
        # stored before domains were recorded.
        return queryset.filter(domain__in=self.domains_for(request), sensitive=False)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in OUTBOX_LOOKUPS

    def has_change_permission(self, request, obj=None):
        # "Change" is for the retry action only. A message itself is never edited:
        # saving the form would write back the status it was loaded with, over a
        # worker's "sent", and the message would go out again.
        return obj is None and super().has_change_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="subject", ordering="subject")
    def shown_subject(self, obj):
        return mail.redact_links(obj.subject)

    @admin.display(description="to")
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description="text")
    def body(self, obj):
        if obj.sensitive:
            return "(hidden: this account mail carries a one-time secret)"
        return format_html("<pre class='mail-body'>{}</pre>", mail.redact_links(obj.body_text))

    @admin.display(description="headers")
    def shown_headers(self, obj):
        lines = [f"{name}: {mail.redact_links(str(value))}" for name, value in obj.headers.items()]
        return format_html("<pre class='mail-headers'>{}</pre>", "\n".join(lines))

    @admin.display(description="last error")
    def shown_last_error(self, obj):
        return mail.redact_links(obj.last_error)

    @admin.action(description="Retry the selected messages now", permissions=["change"])
    def retry_now(self, request, queryset):
        count = mail.retry(emails=queryset)
        self.message_user(request, f"{count} message(s) queued for delivery.", messages.SUCCESS)
