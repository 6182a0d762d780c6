"""The committee's admin for invited speakers: nominations, sessions and their talks."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from rules import has_perm as rules_has_perm

from meetings.enums import NominationStatus, SessionOwnership
from meetings.models import InvitedSession, InvitedTalk, SpeakerNomination
from meetings.rules import NOMINATION_FLAGS
from meetings.services.confirmations import nominee_address_changed
from meetings.services.errors import Refused
from meetings.services.invited_sessions import invited_session_save, slot_problem
from meetings.services.nominations import nomination_set_status

FLAG_FIELDS = list(NOMINATION_FLAGS)


@admin.register(SpeakerNomination)
class SpeakerNominationAdmin(admin.ModelAdmin):
    """The voluntary flags show only to Program-committee members (a superuser outside it
    does not see them), and no one filters or searches by them (meetings.rules)."""

    list_display = [
        "nominee_name",
        "nominee_affiliation",
        "talk_title",
        "meeting",
        "status",
        "nominee_answer",
        "nominator",
        "created_at",
    ]
    list_filter = ["meeting", "status", "tentatively_agreed"]
    list_select_related = ["meeting", "nominator", "speaker_confirmation"]
    search_fields = [
        "nominee_name",
        "nominee_email",
        "nominee_affiliation",
        "talk_title",
        "alternate_1_name",
        "alternate_2_name",
        "nominator__email",
    ]
    readonly_fields = ["meeting", "nominator", "nominee_answer", "created_at", "updated_at"]
    actions = ["shortlist", "invite", "mark_not_selected"]

    def _flags_visible(self, request) -> bool:
        # By the rule alone: a superuser outside the committee does not see them either.
        return rules_has_perm("meetings.view_nomination_flags", request.user)

    def lookup_allowed(self, lookup, value, request=None):
        user = getattr(request, "user", None)
        if not rules_has_perm("meetings.filter_nominations_by", user, lookup):
            return False  # the admin answers 400: no list of who ticked which box
        return super().lookup_allowed(lookup, value, request)

    def get_fields(self, request, obj=None):
        fields = [f.name for f in SpeakerNomination._meta.fields if f.name != "id"]
        fields.insert(fields.index("tentatively_agreed") + 1, "nominee_answer")
        if not self._flags_visible(request):
            fields = [f for f in fields if f not in FLAG_FIELDS]
        return fields

    def get_list_filter(self, request):
        return self.list_filter

    def get_readonly_fields(self, request, obj=None):
        # A withdrawal is the nominator's: its status stays (the rule set, superusers too).
        if obj is not None and not rules_has_perm(
            "meetings.set_nomination_status", request.user, obj
        ):
            return [*self.readonly_fields, "status"]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields:
            # Only the nominator withdraws (meetings.services.nominations).
            form.base_fields["status"].choices = [
                choice
                for choice in form.base_fields["status"].choices
                if choice[0] != NominationStatus.WITHDRAWN
            ]
        return form

    @admin.display(description="nominee's own answer")
    def nominee_answer(self, nomination):
        """The nominee's answer through their link; `tentatively_agreed` is the nominator's
        word only."""
        confirmation = getattr(nomination, "speaker_confirmation", None)
        return confirmation.get_state_display() if confirmation else "not asked"

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # A status change goes through the service, which asks an invited nominee to
        # confirm (services.confirmations.nominee_ask) and refuses a withdrawn one.
        status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            try:
                nomination_set_status(nomination=obj, status=status, by=request.user)
            except Refused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            obj.refresh_from_db(fields=["status"])
        else:
            super().save_model(request, obj, form, change)
        # A changed address: the link mailed to the old one must die, and the new one be
        # asked (outside probe, fix G); the committee is told which happened.
        changed = change and "nominee_email" in form.changed_data
        if changed and (said := nominee_address_changed(nomination=obj)):
            self.message_user(request, said, messages.WARNING)

    def _set(self, request, queryset, status):
        updated, refusals = 0, []
        for nomination in queryset:
            try:
                nomination_set_status(nomination=nomination, status=status, by=request.user)
            except Refused as refusal:
                refusals.append(str(refusal))
            else:
                updated += 1
        self.message_user(request, f"{updated} nominations updated.")
        for refusal in refusals:
            self.message_user(request, refusal, messages.WARNING)

    @admin.action(description="Shortlist the chosen nominations", permissions=["change"])
    def shortlist(self, request, queryset):
        self._set(request, queryset, NominationStatus.SHORTLISTED)

    @admin.action(
        description="Send the invitation: ask the chosen nominees to confirm",
        permissions=["change"],
    )
    def invite(self, request, queryset):
        self._set(request, queryset, NominationStatus.INVITED)

    @admin.action(description="Mark the chosen nominations not selected", permissions=["change"])
    def mark_not_selected(self, request, queryset):
        self._set(request, queryset, NominationStatus.NOT_SELECTED)


class InvitedTalkInline(admin.TabularInline):
    model = InvitedTalk
    extra = 1
    fields = ["position", "speaker", "title"]
    autocomplete_fields = ["speaker"]
    ordering = ["position"]


class InvitedSessionForm(forms.ModelForm):
    class Meta:
        model = InvitedSession
        fields = [
            "meeting",
            "code",
            "title",
            "ownership",
            "cosponsors",
            "chair",
            "nomination",
            "description",
        ]

    def clean(self):
        cleaned = super().clean()
        meeting, ownership = cleaned.get("meeting"), cleaned.get("ownership")
        if meeting and ownership:
            problem = slot_problem(
                meeting=meeting, ownership=ownership, exclude_pk=self.instance.pk
            )
            if problem:
                raise ValidationError(problem)
        if ownership == SessionOwnership.CO_SPONSORED and not cleaned.get("cosponsors"):
            self.add_error("cosponsors", "Name the units that co-sponsor the session.")
        return cleaned


@admin.register(InvitedSession)
class InvitedSessionAdmin(admin.ModelAdmin):
    form = InvitedSessionForm
    list_display = ["__str__", "meeting", "ownership", "chair", "talk_count", "site_link"]
    list_filter = ["meeting", "ownership"]
    list_select_related = ["meeting", "chair"]
    search_fields = ["title", "code", "chair__name", "talks__speaker__name", "talks__title"]
    autocomplete_fields = ["chair"]
    raw_id_fields = ["nomination"]
    filter_horizontal = ["cosponsors"]
    inlines = [InvitedTalkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(talks_n=Count("talks"))

    @admin.display(description="talks", ordering="talks_n")
    def talk_count(self, session):
        return session.talks_n

    @admin.display(description="on the site")
    def site_link(self, session):
        return format_html('<a href="{}">meeting page</a>', session.meeting.get_absolute_url())

    def save_model(self, request, obj, form, change):
        # The same service as everywhere: it locks the meeting and checks the slots again.
        try:
            invited_session_save(session=obj, by=request.user)
        except Refused as refusal:
            raise ValidationError(str(refusal)) from refusal
