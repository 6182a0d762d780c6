"""The committee's admin for meetings, their sorting categories (with the CSV import)
and personal deadline extensions."""

from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from meetings.enums import AbstractState
from meetings.forms.committee import CategoryImportForm
from meetings.models import (
    CategoryCosponsor,
    CriterionScore,
    DeadlineExtension,
    Meeting,
    RubricCriterion,
    SortingCategory,
    validate_time_zone,
)
from meetings.rules import rule_says
from meetings.services.categories import CategoryImportError, categories_import
from meetings.services.chair import meeting_assign_chair

# --- Date-times in the meeting's own time zone -------------------------------------
# A committee member types a meeting's times as its programme states them: 12:00 for a
# meeting in America/Chicago is 12:00 in Chicago, not in the site's zone (UTC), and the
# form shows them back the same way, each label naming the zone. Django's forms read
# and write date-times in the current time zone, so the whole change page (its inline
# extensions too) is built and rendered with the meeting's zone activated.

DEFAULT_ZONE = str(Meeting._meta.get_field("time_zone").default)


def _zone_or_none(name: str | None) -> str | None:
    try:
        validate_time_zone(name or "")
    except ValidationError:
        return None
    return name


def zoned_label(field, zone: str) -> None:
    """Name the zone in a date-time field's label and help."""
    field.label = f"{field.label} ({zone})"
    field.help_text = " ".join(
        filter(None, [str(field.help_text), "Typed and shown in the meeting's own time zone."])
    )


def when(value, zone: str) -> str:
    """A date-time for a list column, in the meeting's zone, with the zone's name."""
    if value is None:
        return "—"
    return f"{date_format(timezone.localtime(value, ZoneInfo(zone)), 'j M Y, H:i')} {zone}"


class MeetingZoneAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change page reads and shows date-times in a meeting's zone."""

    zoned_fields: list[str] = []

    def zone_of(self, request, obj) -> str:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        zone = self.zone_of(request, obj)
        with timezone.override(ZoneInfo(zone)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # The page is rendered here, inside the zone, not later by the handler.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def zone_label(self, request, obj) -> str:
        # Built inside changeform_view: the current zone is the meeting's.
        return timezone.get_current_timezone_name()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in self.zoned_fields:
            if name in form.base_fields:
                zoned_label(form.base_fields[name], self.zone_label(request, obj))
        return form


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    fk_name = "meeting"
    extra = 0
    raw_id_fields = ["member"]
    fields = ["member", "closes_at", "reason", "granted_by"]
    readonly_fields = ["granted_by"]

    def get_formset(self, request, obj=None, **kwargs):
        # Built inside MeetingAdmin.changeform_view: the current zone is the meeting's.
        formset = super().get_formset(request, obj, **kwargs)
        zoned_label(formset.form.base_fields["closes_at"], timezone.get_current_timezone_name())
        return formset


WEIGHT_RANGE = "Weight must be 1 to 10."
SCORED = "This criterion has been scored; it cannot be deleted."
RUBRIC_NOT_CHANGED = (
    "The rubric was not changed: only the meeting's program chair changes it, and only "
    "until the meeting's first review."
)
ANONYMITY_NOT_CHANGED = (
    "Anonymised review was not changed: only the meeting's program chair sets it."
)


def _scored_stays(form_class):
    """The inline's form, refusing to delete a scored criterion with a plain message:
    the admin's own refusal lists every protected score ("criterion score 3: 4 …") to
    whoever asked, reviewer or not."""

    class ScoredStays(form_class):
        def hand_clean_DELETE(self):
            if (
                self.cleaned_data.get("DELETE")
                and self.instance.pk
                and CriterionScore.objects.filter(criterion=self.instance).exists()
            ):
                raise ValidationError(SCORED)
            super().hand_clean_DELETE()

    return ScoredStays


def _posted_rubric(request, prefix: str) -> bool:
    """The POST carries a criterion's field: the read-only rubric shows none, so
    a change was attempted (a crafted request, or a page opened before the freeze)."""
    fields = ("name", "description", "weight", "position", "DELETE")
    return any(
        key.startswith(f"{prefix}-") and key.rsplit("-", 1)[-1] in fields for key in request.POST
    )


class RubricCriterionInline(admin.TabularInline):
    """The meeting's rubric: set by the chair (meetings.change_rubric), and frozen from
    the meeting's first review on (shown read-only then)."""

    model = RubricCriterion
    extra = 0
    fields = ["position", "name", "description", "weight"]
    ordering = ["position", "pk"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Wrapped first: a subclass of a model form builds its fields afresh.
        formset.form = _scored_stays(formset.form)
        weight = formset.form.base_fields.get("weight")
        if weight is not None:
            # One message for 0, 11 and -1 alike, before the database constraint (whose
            # name the committee would read) or the unsigned field's own bound.
            weight.min_value, weight.max_value = 1, 10
            weight.validators = [v for v in weight.validators if not hasattr(v, "limit_value")]
            weight.error_messages.update(min_value=WEIGHT_RANGE, max_value=WEIGHT_RANGE)
            weight.validators += [
                MinValueValidator(1, WEIGHT_RANGE),
                MaxValueValidator(10, WEIGHT_RANGE),
            ]
            weight.widget.attrs.update(min=1, max=10)
        return formset

    def _may_change(self, request, obj) -> bool:
        # Asked of the rule set itself: being a superuser makes no one the chair.
        return obj is not None and rule_says("meetings.change_rubric", request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Meeting)
class MeetingAdmin(MeetingZoneAdmin):
    zoned_fields = [
        "call_opens_at",
        "call_closes_at",
        "nominations_open_at",
        "nominations_close_at",
    ]
    list_display = [
        "name",
        "kind",
        "year",
        "starts_on",
        "call_opens",
        "call_closes",
        "call_state",
        "abstract_count",
        "site_link",
    ]
    list_filter = ["kind", "year", "is_virtual"]
    search_fields = ["name", "slug", "place"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["program_chair"]
    inlines = [DeadlineExtensionInline, RubricCriterionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "year", "description"]}),
        (
            "When and where",
            {"fields": ["starts_on", "ends_on", "place", "is_virtual", "time_zone"]},
        ),
        (
            "Call for abstracts",
            {"fields": ["call_opens_at", "call_closes_at", "title_max_length", "body_max_length"]},
        ),
        (
            "Program",
            {
                "fields": [
                    "program_chair",
                    "committee_email",
                    "invited_session_slots",
                    "focus_topic_threshold",
                    "contributed_published",
                ]
            },
        ),
        # The chair's (meetings.set_review_rules); the rubric is the inline below.
        ("Review", {"fields": ["anonymised_review"]}),
        (
            "Invited-speaker nominations",
            {"fields": ["nominations_open_at", "nominations_close_at"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted=Count("abstracts", filter=Q(abstracts__state=AbstractState.SUBMITTED))
            )
        )

    def zone_of(self, request, obj) -> str:
        """The zone the page reads and shows times in: the one sent with the form (when
        the member may change it; a wrong one is the form's error, the page keeps the
        old zone), else the meeting's, else the default a new meeting gets."""
        editable = "time_zone" not in self.get_readonly_fields(request, obj)
        posted = _zone_or_none(request.POST.get("time_zone")) if request.method == "POST" else None
        if posted and editable:
            return posted
        return obj.time_zone if obj is not None else DEFAULT_ZONE

    @admin.display(description="call opens", ordering="call_opens_at")
    def call_opens(self, meeting):
        return when(meeting.call_opens_at, meeting.time_zone)

    @admin.display(description="call closes", ordering="call_closes_at")
    def call_closes(self, meeting):
        return when(meeting.call_closes_at, meeting.time_zone)

    def get_readonly_fields(self, request, obj=None):
        # The review rules (anonymity, like the rubric) are the chair's alone.
        chairs = rule_says("meetings.set_review_rules", request.user, obj)
        review = [] if chairs else ["anonymised_review"]
        # The chair sends decisions, so only those who assign roles choose the chair
        # (meetings.assign_chair); the executive committee changes nothing else here.
        if not request.user.has_perm("meetings.assign_chair"):
            return ["program_chair", *review]
        if request.user.has_perm("meetings.curate_meetings"):
            return review
        return [
            f for _, options in self.fieldsets for f in options["fields"] if f != "program_chair"
        ]

    def get_prepopulated_fields(self, request, obj=None):
        readonly = self.get_readonly_fields(request, obj)
        return {k: v for k, v in self.prepopulated_fields.items() if k not in readonly}

    def save_model(self, request, obj, form, change):
        # A read-only field's posted value is dropped: say so rather than "changed".
        if "anonymised_review" in request.POST and "anonymised_review" not in form.fields:
            messages.warning(request, ANONYMITY_NOT_CHANGED)
        chair, reassign = obj.program_chair, "program_chair" in form.changed_data
        if reassign:
            obj.program_chair_id = form.initial.get("program_chair")
        super().save_model(request, obj, form, change)
        if reassign:
            meeting_assign_chair(meeting=obj, chair=chair, by=request.user)

    @admin.display(description="submitted abstracts", ordering="submitted")
    def abstract_count(self, meeting):
        return meeting.submitted

    @admin.display(description="call")
    def call_state(self, meeting):
        return meeting.call_state().label

    @admin.display(description="on the site")
    def site_link(self, meeting):
        return format_html('<a href="{}">call page</a>', meeting.get_call_url())

    def save_formset(self, request, form, formset, change):
        if formset.model is RubricCriterion:
            may_change = rule_says("meetings.change_rubric", request.user, form.instance)
            if not may_change and _posted_rubric(request, formset.prefix):
                messages.warning(request, RUBRIC_NOT_CHANGED)
            # Asked again at saving: a review saved since the page was shown froze it.
            if formset.has_changed() and not rule_says(
                "meetings.change_rubric", request.user, form.instance
            ):
                raise PermissionDenied("The rubric is frozen once the meeting has a review.")
            return super().save_formset(request, form, formset, change)
        for extension in formset.save(commit=False):
            extension.granted_by = extension.granted_by or request.user
            extension.save()
        for extension in formset.deleted_objects:
            extension.delete()


class CosponsorInline(admin.TabularInline):
    model = CategoryCosponsor
    extra = 1
    fields = ["position", "unit"]
    ordering = ["position"]


@admin.register(SortingCategory)
class SortingCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "kind",
        "accepts_contributed",
        "cosponsors_list",
        "parent",
        "meeting",
    ]
    list_filter = ["meeting", "kind", "accepts_contributed"]
    list_select_related = ["meeting", "parent"]
    search_fields = ["code", "title", "description"]
    ordering = ["meeting", "code"]
    inlines = [CosponsorInline]
    change_list_template = "admin/meetings/sortingcategory/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("cosponsorships__unit")

    @admin.display(description="co-sponsors")
    def cosponsors_list(self, category):
        return ", ".join(category.cosponsor_codes)

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="meetings_sortingcategory_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        """Import categories from CSV: every bad line is reported and nothing is written."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:index")
        form = CategoryImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            meeting = form.cleaned_data["meeting"]
            try:
                created, updated = categories_import(
                    meeting=meeting, text=form.cleaned_data["file"]
                )
            except CategoryImportError as error:
                errors = error.errors
            else:
                messages.success(
                    request, f"{meeting}: {created} categories created, {updated} updated."
                )
                url = reverse("admin:meetings_sortingcategory_changelist")
                return redirect(f"{url}?meeting__id__exact={meeting.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import sorting categories from CSV",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return render(request, "admin/meetings/sortingcategory/import.html", context)


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(MeetingZoneAdmin):
    zoned_fields = ["closes_at"]
    list_display = ["member", "meeting", "closes", "reason", "granted_by", "created_at"]
    list_filter = ["meeting"]
    list_select_related = ["member", "meeting", "granted_by"]
    search_fields = ["member__email", "member__full_name", "reason"]
    raw_id_fields = ["member"]
    readonly_fields = ["granted_by", "created_at"]

    def zone_of(self, request, obj) -> str:
        """The chosen meeting's zone (the one sent with the form, else the extension's)."""
        meeting_id = request.POST.get("meeting") if request.method == "POST" else None
        if meeting_id and meeting_id.isdigit():
            zone = Meeting.objects.filter(pk=meeting_id).values_list("time_zone", flat=True)
            if found := zone.first():
                return found
        return obj.meeting.time_zone if obj is not None else DEFAULT_ZONE

    def zone_label(self, request, obj) -> str:
        # A new extension's meeting is not chosen yet: its zone is whichever it will be.
        if obj is None and not request.POST.get("meeting"):
            return "the chosen meeting's time zone"
        return super().zone_label(request, obj)

    @admin.display(description="closes at", ordering="closes_at")
    def closes(self, extension):
        return when(extension.closes_at, extension.meeting.time_zone)

    def save_model(self, request, obj, form, change):
        obj.granted_by = obj.granted_by or request.user
        super().save_model(request, obj, form, change)
