from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from gds_portal.admin_lists import FlatCountAdminMixin
from gds_portal.adminsite import ReadOnlyAdminMixin
from gds_portal.exports import csv_response
from gds_portal.history import status_history_table
from webinars.attendance import (
    MAX_ROWS,
    AttendanceFileError,
    AttendanceImportError,
    attendance_import,
    plan_import,
    registrations_set_attended,
)
from webinars.enums import CommentStatus, NominationStatus, SpeakerPersonChoice
from webinars.feedback import feedback_moderate
from webinars.forms import (
    AttendanceConfirmForm,
    AttendanceUploadForm,
    LabelledSplitDateTime,
    ReplayViewsConfirmForm,
    ReplayViewsUploadForm,
    WebinarAdminForm,
)
from webinars.models import (
    VOLUNTARY_FLAGS,
    Feedback,
    HostVolunteer,
    Participant,
    Registration,
    SpeakerInvitation,
    SpeakerNomination,
    Topic,
    TopicSuggestion,
    Webinar,
    WebinarSpeaker,
)
from webinars.registration import (
    registration_cancel,
    registration_fill_places,
    registration_mail_cancellation,
)
from webinars.replay_views import plan_views, replay_views_import
from webinars.services import (
    nomination_choose_speaker_person,
    nomination_set_status,
    nominee_person_conflict,
    speaker_conflict_message,
    webinar_create_from_nomination,
    webinar_reindex,
)
from webinars.speakers import invitation_check, speaker_invite

EXPORT_COLUMNS = [
    "Nominee",
    "Affiliation",
    "Country",
    "Email",
    "Proposed title",
    "Status",
    "Assignee",
    "Nominated on",
    "Webinar",
]


def _export_row(n: SpeakerNomination) -> list:
    return [
        n.nominee_name,
        n.affiliation,
        n.country.name,
        n.email,
        n.proposed_title,
        n.get_status_display(),
        n.assignee.email if n.assignee else "",
        n.created_at.date().isoformat(),
        n.webinar.title if n.webinar else "",
    ]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "webinar_count", "public_page"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_webinars=Count("webinars"))

    @admin.display(description="webinars", ordering="n_webinars")
    def webinar_count(self, obj):
        return obj.n_webinars

    @admin.display(description="page")
    def public_page(self, obj):
        return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this speaker"


# No autocomplete or filter_horizontal widgets here: their scripts set inline
# styles, which the site's CSP refuses, and they fail axe. Plain controls do not.
class WebinarSpeakerInline(admin.TabularInline):
    """Tabular inlines name their inputs only in the column headers; label each input too."""

    model = WebinarSpeaker
    extra = 1
    formset = LabelledInlineFormSet
    fields = ["order", "person", "talk_title"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield


@admin.register(Webinar)
class WebinarAdmin(admin.ModelAdmin):
    form = WebinarAdminForm
    inlines = [WebinarSpeakerInline]
    list_display = [
        "title",
        "start_at",
        "kind",
        "state_label",
        "is_published",
        "is_cancelled",
        "replay_views",
        "public_page",
    ]
    list_filter = ["is_published", "is_cancelled", "kind", "topics"]
    list_select_related = ["host"]
    search_fields = ["title", "slug", "speakers__name"]
    date_hierarchy = "start_at"
    ordering = ["-start_at"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "start_at", "duration", "description"]}),
        ("People and topics", {"fields": ["host", "topics"]}),
        (
            "Links and files",
            {
                "fields": [
                    "registration_url",
                    "replay_url",
                    "replay_views",
                    "slides",
                    "slides_url",
                ]
            },
        ),
        (
            "Recording release",
            {"fields": ["release_text", "replay_release_status"]},
        ),
        ("Run sheet for the host and speakers", {"fields": ["run_sheet_notes", "run_sheet"]}),
        ("Registration on this site", {"fields": ["join_url", "capacity"]}),
        ("Status", {"fields": ["is_cancelled", "is_published"]}),
        ("Feedback", {"fields": ["share_feedback_with_speakers"]}),
    ]

    readonly_fields = ["registration_list", "replay_release_status", "run_sheet"]

    @admin.display(description="run sheet")
    def run_sheet(self, obj):
        if obj.pk is None:
            return "Save the webinar first."
        url = reverse("webinars:run_sheet", kwargs={"slug": obj.slug})
        if obj.run_sheet_sent_at:
            sent = obj.run_sheet_sent_at.date().isoformat()
            return format_html('Sent on {}. <a href="{}">Read it</a>', sent, url)
        return format_html('<a href="{}">Preview and send the run sheet</a>', url)

    @admin.display(description="replay public?")
    def replay_release_status(self, obj):
        # Recorded only by the speakers' signatures (webinars.speakers), never typed here.
        if obj.replay_released_at is None:
            return "No: not every speaker who accepted has signed the release."
        when = obj.replay_released_at.date().isoformat()
        released = f"release recorded ({obj.replay_release_note}, {when})"
        if not obj.replay_url:
            return f"Not yet: {released}, but there is no replay address."
        if not obj.is_published:
            return f"Not yet: {released}, but the webinar is not published."
        return f"Yes: {released}."

    def get_fieldsets(self, request, obj=None):
        # Who registered: a read-only table for those webinars/rules.py lets see it (a
        # table, not an inline: nothing here is edited, and a place changes only
        # through the services, e.g. the Registrations list's cancel action).
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm("webinars.see_registrations"):
            return fieldsets
        return [*fieldsets, ("Registrations", {"fields": ["registration_list"]})]

    @admin.display(description="registrations")
    def registration_list(self, obj):
        rows = list(obj.registrations.order_by("queued_at", "id"))
        if not rows:
            return "No one has registered yet."
        url = reverse("admin:webinars_registration_changelist") + f"?webinar__id__exact={obj.pk}"
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r.name, r.email, r.get_status_display()) for r in rows),
        )
        # The link stays out of the caption: the admin's caption colours fail contrast.
        return format_html(
            "<table><caption>Registrations, first come first listed</caption><thead><tr>"
            '<th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th>'
            '</tr></thead><tbody>{}</tbody></table><p><a href="{}">Filter or cancel '
            "registrations</a></p>",
            body,
            url,
        )

    @admin.display(description="state")
    def state_label(self, obj):
        return obj.get_state_display()

    @admin.display(description="page")
    def public_page(self, obj):
        label = "View on site" if obj.is_published else "Preview draft"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        webinar_reindex(webinar_ids=[form.instance.pk])
        if "is_cancelled" in form.changed_data and form.instance.is_cancelled:
            told = registration_mail_cancellation(webinar=form.instance)
            if told:
                self.message_user(request, f"{told} registrants told of the cancellation.")
        if "capacity" in form.changed_data:
            moved = registration_fill_places(webinar=form.instance)
            if moved:
                self.message_user(request, f"{len(moved)} moved up from the waiting list.")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who registered is the Webinar committee's to see (rules.py), read only: places
    change through the services (the cancel action), never by editing a row; attendance
    through the attendance services (the mark actions, the import page)."""

    list_display = [
        *["name", "email", "webinar", "status", "member", "attended", "queued_at"],
        "created_at",
    ]
    list_filter = ["status", ("attended_at", admin.EmptyFieldListFilter), "webinar"]
    list_select_related = ["webinar"]
    search_fields = ["name", "email"]
    readonly_fields = [
        *["webinar", "name", "email", "status", "member", "created_at", "queued_at"],
        *["cancelled_at", "day_reminder_at", "hour_reminder_at", "attended_at"],
    ]
    fields = readonly_fields
    ordering = ["webinar", "queued_at", "id"]
    actions = ["cancel_selected", "mark_attended", "mark_not_attended"]
    change_list_template = "admin/webinars/registration/change_list.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("webinars.see_registrations")

    def has_cancel_permission(self, request):
        return request.user.has_perm("webinars.see_registrations")

    def has_attendance_permission(self, request):
        return request.user.has_perm("webinars.record_attendance")

    @admin.display(description="member", boolean=True)
    def member(self, obj):
        return obj.user_id is not None

    @admin.display(description="attended", boolean=True, ordering="attended_at")
    def attended(self, obj):
        return obj.attended_at is not None

    @admin.action(description="Cancel the selected registrations", permissions=["cancel"])
    def cancel_selected(self, request, queryset):
        moved = []
        for registration in queryset.select_related("webinar"):
            moved += registration_cancel(registration=registration)
        note = f"; {len(moved)} moved up from the waiting list" if moved else ""
        self.message_user(request, f"Cancelled {queryset.count()}{note}.")

    def _mark(self, request, queryset, *, attended: bool):
        rows = list(queryset)
        changed = registrations_set_attended(registrations=queryset, attended=attended)
        word = "attended" if attended else "not attended"
        for registration in rows:  # the admin's log says who marked whom, and when
            self.log_change(request, registration, f"Marked {word}.")
        self.message_user(request, marked_message(changed, len(rows), word))

    @admin.action(
        description="Mark the selected registrants as attended", permissions=["attendance"]
    )
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, attended=True)

    @admin.action(
        description="Mark the selected registrants as not attended", permissions=["attendance"]
    )
    def mark_not_attended(self, request, queryset):
        self._mark(request, queryset, attended=False)

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="webinars_registration_import",
            ),
            path(
                "import-views/",
                self.admin_site.admin_view(self.import_views_view),
                name="webinars_registration_import_views",
            ),
        ]
        return own + super().get_urls()

    def import_views_view(self, request):
        """Replay views from the video host's export: preview, then all rows or none."""
        if not request.user.has_perm("webinars.record_attendance"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        context["title"] = "Import replay views"
        template = "admin/webinars/registration/import_views.html"
        confirming = request.method == "POST" and "text" in request.POST
        form = (ReplayViewsConfirmForm if confirming else ReplayViewsUploadForm)(
            request.POST or None, request.FILES or None
        )
        context["form"] = form
        if request.method != "POST" or not form.is_valid():
            return TemplateResponse(request, template, context)
        text = form.cleaned_data["text" if confirming else "file"]
        try:
            plan = replay_views_import(text=text) if confirming else plan_views(text)
        except AttendanceFileError as error:
            context |= {"form": ReplayViewsUploadForm(), "failed": str(error)}
            return TemplateResponse(request, template, context)
        confirm = ReplayViewsConfirmForm(initial={"text": text})
        context |= {"plan": plan, "confirm": confirm, "done": confirming and not plan.errors}
        return TemplateResponse(request, template, context)

    def import_view(self, request):
        """Upload a platform report, see what it would do, confirm: all rows or none."""
        if not request.user.has_perm("webinars.record_attendance"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import attendance",
            "max_rows": f"{MAX_ROWS:,}",
        }
        if request.method == "POST" and "text" in request.POST:
            return self._confirm(request, context)
        form = AttendanceUploadForm(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            webinar = form.cleaned_data["webinar"]
            text = form.cleaned_data["file"]
            try:
                plan = plan_import(webinar=webinar, text=text)
            except AttendanceFileError as error:
                form.add_error("file", str(error))
            else:
                confirm = AttendanceConfirmForm(initial={"webinar": webinar.pk, "text": text})
                context |= {"plan": plan, "confirm": confirm, "preview": _preview(plan)}
        return TemplateResponse(request, "admin/webinars/registration/import.html", context)

    def _confirm(self, request, context):
        form = AttendanceConfirmForm(request.POST)
        if not form.is_valid():
            context["form"] = AttendanceUploadForm()
            self.message_user(request, "Upload the file again.", messages.ERROR)
            return TemplateResponse(request, "admin/webinars/registration/import.html", context)
        webinar, text = form.cleaned_data["webinar"], form.cleaned_data["text"]
        try:
            plan = attendance_import(webinar=webinar, text=text)
        except (AttendanceFileError, AttendanceImportError) as error:
            plan = error.plan if isinstance(error, AttendanceImportError) else None
            context |= {"form": AttendanceUploadForm(), "failed": str(error)}
            if plan is not None:
                context |= {"plan": plan, "preview": _preview(plan)}
            return TemplateResponse(request, "admin/webinars/registration/import.html", context)
        context |= {"plan": plan, "done": True, "preview": _preview(plan)}
        return TemplateResponse(request, "admin/webinars/registration/import.html", context)


PREVIEW_ROWS = 200  # per list; the counts above them cover the rest


def _preview(plan) -> dict:
    """What the preview page lists, each list cut at PREVIEW_ROWS."""
    lists = {
        "errors": plan.errors,
        "create": plan.to_create,
        "update": plan.to_update,
        "notes": [p for p in plan.rows if p.note and p.action != "unchanged"],
        "skipped": plan.skipped,
    }
    return {
        name: {"shown": rows[:PREVIEW_ROWS], "more": max(len(rows) - PREVIEW_ROWS, 0)}
        for name, rows in lists.items()
    } | {"unchanged": len(plan.unchanged)}


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The rows of the imported reports, for checking an import: written only by it."""

    list_display = ["email_key", "name", "webinar", "attended", "minutes", "registered_here"]
    list_filter = ["attended", "webinar"]
    list_select_related = ["webinar"]
    search_fields = ["name", "email_key"]
    fields = [*["webinar", "email_key", "name", "attended", "minutes", "registration"]]
    readonly_fields = [*fields, "imported_at"]
    ordering = ["webinar", "email_key"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("webinars.record_attendance")

    @admin.display(description="registered here", boolean=True)
    def registered_here(self, obj):
        return obj.registration_id is not None


class CommentStatusFilter(admin.SimpleListFilter):
    """Default to what needs the committee: comments awaiting moderation."""

    title = "comment"
    parameter_name = "comment_status"

    def lookups(self, request, model_admin):
        return [*CommentStatus.choices, ("all", "All, with or without a comment")]

    def queryset(self, request, queryset):
        value = self.value() or CommentStatus.PENDING
        if value == "all":
            return queryset
        return queryset.filter(comment_status=value).exclude(comment="")

    def choices(self, changelist):
        current = self.value() or CommentStatus.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Attendees' ratings and comments: the committee reads all and moderates comments
    with the actions (webinars.feedback.feedback_moderate); nothing is edited by hand."""

    list_display = ["webinar", "rating", "comment_excerpt", "comment_status", "updated_at"]
    list_filter = [CommentStatusFilter, "registration__webinar"]
    list_select_related = ["registration__webinar"]
    search_fields = ["comment", "registration__webinar__title"]
    fields = [
        *["webinar", "attendee", "rating", "comment", "comment_status"],
        *["moderated_by", "moderated_at", "created_at", "updated_at"],
    ]
    readonly_fields = fields
    ordering = ["-updated_at", "-id"]
    actions = ["approve_selected", "reject_selected"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("webinars.moderate_feedback")

    def has_moderate_permission(self, request):
        return request.user.has_perm("webinars.moderate_feedback")

    @admin.display(description="webinar", ordering="registration__webinar__start_at")
    def webinar(self, obj):
        return obj.registration.webinar.title

    @admin.display(description="attendee")
    def attendee(self, obj):
        return f"{obj.registration.name} <{obj.registration.email}>"

    @admin.display(description="comment")
    def comment_excerpt(self, obj):
        return obj.comment[:80] + ("…" if len(obj.comment) > 80 else "")

    def _moderate(self, request, queryset, status: CommentStatus):
        for feedback in queryset:
            feedback_moderate(feedback=feedback, status=status, by=request.user)
        self.message_user(request, f"{queryset.count()} comment(s) {status.label.lower()}.")

    @admin.action(
        description="Approve the selected comments (speakers see them)", permissions=["moderate"]
    )
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.APPROVED)

    @admin.action(description="Reject the selected comments", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.REJECTED)


def marked_message(changed: int, selected: int, word: str) -> str:
    """What marking attendance by hand did, in words that fit any count."""
    unchanged = selected - changed
    if not unchanged:
        return f"{changed} marked {word}."
    already = "was already" if unchanged == 1 else "were already"
    if not changed:
        which = "one" if selected == 1 else selected
        return f"Nothing changed: the {which} selected {already} {word}."
    return f"{changed} marked {word}; {unchanged} {already} {word}."


def _status_action(status: NominationStatus):
    def action(modeladmin, request, queryset):
        done = 0
        for nomination in queryset:
            try:
                nomination_set_status(nomination=nomination, status=status, by=request.user)
            except ValidationError as error:
                modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{done} marked {status.label.lower()}.")

    action.__name__ = f"mark_{status.value}"
    action.short_description = f"Mark selected as {status.label.lower()}"
    action.allowed_permissions = ("change",)
    return action


# The note to the nominator sits under the status it goes out with (services._mail_status).
TRIAGE_FIELDS = ["status", "committee_note", "assignee", "internal_notes"]


class NominationAdmin(FlatCountAdminMixin, SimpleHistoryAdmin):
    """Triage shared by all three kinds: status (through the service), assignee, notes.

    The lists cost the same in the tenth year as in the first (FlatCountAdminMixin: no
    whole-table total, a bounded count). When a nomination came is a list filter (today,
    this month, this year …), not a date drill-down: the drill-down's list of years is a
    DISTINCT over every nomination ever made, each time the list is opened."""

    list_filter = ["status", "assignee", "created_at"]
    list_select_related = ["nominator", "assignee"]
    readonly_fields = ["nominator", "created_at", "status_history"]
    history_list_display = ["status"]
    view_on_site = False  # the nominator's own page is theirs alone
    # "Matched" is for offers to host only (HostVolunteerAdmin adds it).
    statuses = [status for status in NominationStatus if status != NominationStatus.MATCHED]
    actions = [_status_action(status) for status in statuses]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [(s.value, s.label) for s in self.statuses]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # nominations come from members' own forms

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("nominator", "assignee")

    def get_fieldsets(self, request, obj=None):
        # Not "Status history": a section named so would be a second "Status" to anyone
        # finding the status menu by its label.
        history = ("Triage history", {"fields": ["status_history"]})
        return [*super().get_fieldsets(request, obj), history]

    @admin.display(description="status changes")
    def status_history(self, obj):
        return status_history_table(obj)

    def save_model(self, request, obj, form, change):
        wanted = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        obj._history_user = request.user
        obj.save()
        if wanted != obj.status:
            try:
                nomination_set_status(nomination=obj, status=wanted, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(NominationAdmin):
    list_display = ["title", "nominator", "status_label", "assignee", "created_at"]
    search_fields = ["title", "description", "suggested_speakers"]
    fieldsets = [
        (None, {"fields": ["title", "description", "why_now", "suggested_speakers"]}),
        ("Triage", {"fields": [*TRIAGE_FIELDS, "nominator", "created_at"]}),
    ]


@admin.register(HostVolunteer)
class HostVolunteerAdmin(NominationAdmin):
    statuses = list(NominationStatus)
    actions = [_status_action(status) for status in statuses]
    list_display = ["nominator", "topic_list", "status_label", "assignee", "created_at"]
    search_fields = ["nominator__full_name", "nominator__email", "other_topics", "availability"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    fieldsets = [
        (None, {"fields": ["topics", "other_topics", "availability"]}),
        ("Triage", {"fields": [*TRIAGE_FIELDS, "nominator", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="topics")
    def topic_list(self, obj):
        names = [topic.name for topic in obj.topics.all()]
        return ", ".join(names) or obj.other_topics[:60]


@admin.register(SpeakerNomination)
class SpeakerNominationAdmin(NominationAdmin):
    # The voluntary flags appear only on this change page: never as a column,
    # filter, search field or URL lookup on the list (see lookup_allowed).
    list_display = [
        "nominee_name",
        "proposed_title",
        "status_label",
        "assignee",
        "webinar_link",
        "created_at",
    ]
    list_select_related = ["assignee", "webinar"]
    # What the list shows (FlatCountAdminMixin): the row's str() is its nominee and title.
    list_columns = [
        *["nominee_name", "proposed_title", "status", "created_at", "assignee", "webinar"],
        *["assignee__full_name", "assignee__email", "webinar__title"],
    ]
    search_fields = ["nominee_name", "affiliation", "proposed_title", "email"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = [*NominationAdmin.readonly_fields, "webinar_link", "person_match"]
    fieldsets = [
        (
            "Nominee",
            {"fields": [*SpeakerNomination.NOMINEE_FIELDS, "person_match"]},
        ),
        ("Talk", {"fields": ["proposed_title", "topics", "rationale"]}),
        (
            "Voluntary answers (committee only; used only in aggregate)",
            {"fields": list(VOLUNTARY_FLAGS)},
        ),
        (
            "Triage",
            {
                "fields": [
                    *TRIAGE_FIELDS,
                    "host_volunteer",
                    "webinar_link",
                    "nominator",
                    "created_at",
                ]
            },
        ),
    ]
    actions = [
        *NominationAdmin.actions,
        "use_matched_person",
        "new_person_for_nominee",
        "create_webinar",
        "export_csv",
    ]

    @admin.display(description="person match")
    def person_match(self, obj):
        if obj.pk is None or obj.webinar_id:
            return "—"
        person = nominee_person_conflict(obj)
        if person is None:
            return "No doubt: the nominee's details match no one else."
        if obj.speaker_person:
            return f"{obj.get_speaker_person_display()} (matched: {person.name})."
        return format_html(
            '<strong class="errornote">Warning: {}</strong>', speaker_conflict_message(obj, person)
        )

    def _choose_person(self, request, queryset, choice):
        for nomination in queryset:
            nomination_choose_speaker_person(nomination=nomination, choice=choice, by=request.user)
        self.message_user(request, f"Recorded for {queryset.count()} nomination(s).")

    @admin.action(description="Use the matched person as the speaker", permissions=["change"])
    def use_matched_person(self, request, queryset):
        self._choose_person(request, queryset, SpeakerPersonChoice.USE_MATCH)

    @admin.action(description="Create a new person for the nominee", permissions=["change"])
    def new_person_for_nominee(self, request, queryset):
        self._choose_person(request, queryset, SpeakerPersonChoice.NEW_PERSON)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("webinar")

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] in VOLUNTARY_FLAGS:
            return False  # the admin answers 400: no list of who ticked which box
        return super().lookup_allowed(lookup, value, request)

    @admin.action(description="Export selected as CSV (without the voluntary answers)")
    def export_csv(self, request, queryset):
        # The voluntary answers are deliberately not among the columns.
        rows = map(_export_row, queryset.select_related("assignee", "webinar"))
        return csv_response("speaker-nominations", EXPORT_COLUMNS, rows)

    @admin.display(description="webinar")
    def webinar_link(self, obj):
        if not obj.webinar_id:
            return "—"
        url = reverse("admin:webinars_webinar_change", args=[obj.webinar_id])
        return format_html('<a href="{}">{}</a>', url, obj.webinar.title)

    @admin.action(
        description="Create a draft webinar from the selected accepted nomination",
        permissions=["change"],
    )
    def create_webinar(self, request, queryset):
        created = []
        for nomination in queryset:
            try:
                webinar = webinar_create_from_nomination(nomination=nomination, by=request.user)
                created.append(webinar)
            except ValidationError as error:
                self.message_user(
                    request, f"{nomination.nominee_name}: {error.messages[0]}", messages.ERROR
                )
        if created:
            self.message_user(
                request,
                f"Created {len(created)} draft webinar(s); set the date and publish when ready.",
                messages.SUCCESS,
            )
        if len(created) == 1:
            return redirect("admin:webinars_webinar_change", created[0].pk)
        return None


class SpeakerInvitationAddForm(forms.ModelForm):
    """Inviting a speaker: the accepted nomination (with its draft webinar), a date to
    propose and a note; the service does the rest (webinars.speakers.speaker_invite)."""

    nomination = forms.ModelChoiceField(
        SpeakerNomination.objects.filter(
            status=NominationStatus.ACCEPTED, webinar__isnull=False
        ).order_by("nominee_name"),
        help_text="An accepted speaker nomination whose draft webinar exists.",
    )

    class Meta:
        model = SpeakerInvitation
        fields = ["nomination", "proposed_start_at", "message"]
        widgets = {"proposed_start_at": LabelledSplitDateTime}
        help_texts = {"proposed_start_at": "Optional; UTC. The speaker accepts it or proposes one."}

    def clean_nomination(self):
        nomination = self.cleaned_data["nomination"]
        try:
            invitation_check(nomination)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return nomination


INVITATION_ANSWER_FIELDS = [
    *["webinar", "person", "email", "state", "invited_by", "invited_at", "proposed_start_at"],
    *["message", "responded_at", "talk_title", "abstract", "bio", "photo"],
    *["accepts_proposed_date", "speaker_start_at"],
]
INVITATION_RELEASE_FIELDS = ["release", "release_name", "release_answered_at", "release_text"]


@admin.register(SpeakerInvitation)
class SpeakerInvitationAdmin(admin.ModelAdmin):
    """The speaker's path for the committee: invite, then read the answers. Everything
    the speaker answered is read only: it is theirs, and a release is signed only by
    them (through their link)."""

    list_display = ["person", "webinar", "state", "release", "invited_at", "responded_at"]
    list_filter = ["state", "release"]
    list_select_related = ["person", "webinar"]
    search_fields = ["person__name", "webinar__title"]
    actions = ["resend"]

    def has_add_permission(self, request):
        return request.user.has_perm("webinars.invite_speakers")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("webinars.invite_speakers")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("webinars.invite_speakers")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SpeakerInvitationAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["nomination", "proposed_start_at", "message"]})]
        return [
            ("Invitation and answer", {"fields": INVITATION_ANSWER_FIELDS}),
            ("Recording release", {"fields": INVITATION_RELEASE_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*INVITATION_ANSWER_FIELDS, *INVITATION_RELEASE_FIELDS]

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on the change page is editable
        invitation = speaker_invite(
            nomination=form.cleaned_data["nomination"],
            by=request.user,
            proposed_start_at=form.cleaned_data.get("proposed_start_at"),
            message=form.cleaned_data.get("message") or "",
        )
        obj.pk, obj.webinar, obj.person = invitation.pk, invitation.webinar, invitation.person
        obj._state.adding = False

    @admin.action(description="Send the selected unanswered invitations again (fresh link)")
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset.filter(state="invited").select_related("nomination"):
            if invitation.nomination is not None:
                speaker_invite(nomination=invitation.nomination, by=request.user)
                sent += 1
        self.message_user(request, f"{sent} invitation(s) sent again.")
