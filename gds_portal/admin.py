from django.contrib import admin, messages
from django.utils.html import format_html
from solo.admin import SingletonModelAdmin

from gds_portal import mail
from gds_portal.enums import MailStatus
from gds_portal.models import OutboundEmail, SiteConfiguration


@admin.register(SiteConfiguration)
class SiteConfigurationAdmin(SingletonModelAdmin):
    fieldsets = [
        ("Footer: how to connect", {"fields": ["contact_email", "website_url", "linkedin_url",
                                                "twitter_url", "facebook_url"]}),
        ("Text", {"fields": ["tagline", "disclaimer"]}),
    ]  # fmt: skip


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


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "status", "attempts", "created_at", "sent_at"]
    list_filter = [StatusFilter, "created_at"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [
        *["status", "from_email", "recipients", "subject", "body", "headers", "attempts"],
        *["last_error", "created_at", "next_attempt_at", "sent_at"],
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="to")
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description="text")
    def body(self, obj):
        if obj.sensitive:
            return "(hidden: this account mail carries a one-time link)"
        return format_html("<pre class='mail-body'>{}</pre>", obj.body_text)

    @admin.action(description="Retry the selected messages now", permissions=["change"])
    def retry_now(self, request, queryset):
        count = mail.retry(emails=queryset)
        self.message_user(request, f"{count} message(s) queued for delivery.", messages.SUCCESS)
