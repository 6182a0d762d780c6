"""The Program committee's workspace for meetings, categories, extensions and abstracts."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from rules import has_perm as rules_has_perm
from simple_history.admin import SimpleHistoryAdmin

from meetings import rules, services
from meetings.enums import AbstractState, Decision, NominationStatus, SessionOwnership
from meetings.forms import CategoryImportForm
from meetings.models import (
    Abstract,
    AbstractAuthor,
    CategoryCosponsor,
    DeadlineExtension,
    DecisionNotification,
    InvitedSession,
    InvitedTalk,
    Meeting,
    Review,
    SortingCategory,
    SpeakerNomination,
)
from meetings.rules import NOMINATION_FLAGS


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    fk_name = "meeting"
    extra = 0
    raw_id_fields = ["member"]
    fields = ["member", "closes_at", "reason", "granted_by"]
    readonly_fields = ["granted_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "year",
        "starts_on",
        "call_opens_at",
        "call_closes_at",
        "call_state",
        "abstract_count",
        "site_link",
    ]
    list_filter = ["kind", "year", "is_virtual"]
    search_fields = ["name", "slug", "place"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["program_chair"]
    inlines = [DeadlineExtensionInline]
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
                    "invited_session_slots",
                    "focus_topic_threshold",
                    "contributed_published",
                ]
            },
        ),
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

    def get_readonly_fields(self, request, obj=None):
        # The chair sends decisions, so only those who assign roles choose the chair
        # (meetings.assign_chair); the executive committee changes nothing else here.
        if not request.user.has_perm("meetings.assign_chair"):
            return ["program_chair"]
        if request.user.has_perm("meetings.curate_meetings"):
            return []
        return [
            f for _, options in self.fieldsets for f in options["fields"] if f != "program_chair"
        ]

    def get_prepopulated_fields(self, request, obj=None):
        readonly = self.get_readonly_fields(request, obj)
        return {k: v for k, v in self.prepopulated_fields.items() if k not in readonly}

    def save_model(self, request, obj, form, change):
        chair, reassign = obj.program_chair, "program_chair" in form.changed_data
        if reassign:
            obj.program_chair_id = form.initial.get("program_chair")
        super().save_model(request, obj, form, change)
        if reassign:
            services.meeting_assign_chair(meeting=obj, chair=chair, by=request.user)

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
                created, updated = services.categories_import(
                    meeting=meeting, text=form.cleaned_data["file"]
                )
            except services.CategoryImportError as error:
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
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["member", "meeting", "closes_at", "reason", "granted_by", "created_at"]
    list_filter = ["meeting"]
    list_select_related = ["member", "meeting", "granted_by"]
    search_fields = ["member__email", "member__full_name", "reason"]
    raw_id_fields = ["member"]
    readonly_fields = ["granted_by", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.granted_by = obj.granted_by or request.user
        super().save_model(request, obj, form, change)


class AuthorInline(admin.TabularInline):
    model = AbstractAuthor
    extra = 0
    fields = ["position", "name", "email", "orcid", "is_presenting", "affiliation_list"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("affiliations")

    @admin.display(description="affiliations")
    def affiliation_list(self, author):
        return "; ".join(a.name for a in author.affiliations.all())

    def has_add_permission(self, request, obj=None):
        return False


MEETING_PARAM = "meeting__id__exact"
ALL_MEETINGS = "all"


def meetings_for_filter(request) -> list[tuple[int, str]]:
    """(pk, name) of every meeting, the current one first: the newest whose call has
    opened, then the rest newest first. One query per request, however many filters ask."""
    remembered = request.__dict__.setdefault("_filter_choices", {})
    if "meetings" not in remembered:
        now = timezone.now()
        rows = Meeting.objects.order_by("-starts_on", "-pk").values_list(
            "pk", "name", "call_opens_at"
        )
        rows = list(rows)
        opened = [row for row in rows if row[2] is not None and row[2] <= now]
        first = opened[0] if opened else (rows[0] if rows else None)
        ordered = [first] + [row for row in rows if row is not first] if first else []
        remembered["meetings"] = [(pk, name) for pk, name, _ in ordered]
    return remembered["meetings"]


def chosen_meeting_id(request) -> int | None:
    """The meeting the abstract list shows: the one chosen, or by default the current one
    (meetings_for_filter); None for "All meetings". A bad value counts as all."""
    value = request.GET.get(MEETING_PARAM)
    if value is None:
        meetings = meetings_for_filter(request)
        return meetings[0][0] if meetings else None
    return int(value) if value.isdigit() else None


class CurrentMeetingFilter(admin.SimpleListFilter):
    """Meeting, by default the current one (meetings_for_filter), with "All meetings" as
    an explicit choice. The committee works on one call at a time, and the list, its
    category and reviewer filters then cost what one meeting costs, not what every
    year's abstracts together cost."""

    title = "meeting"
    parameter_name = MEETING_PARAM

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in meetings_for_filter(request)]

    def value(self):
        chosen = super().value()
        if chosen is None and self.lookup_choices:
            return self.lookup_choices[0][0]
        return chosen

    def queryset(self, request, queryset):
        chosen = self.value()
        if chosen is None or chosen == ALL_MEETINGS:
            return queryset
        if not chosen.isdigit():
            raise IncorrectLookupParameters(f"No meeting {chosen!r}.")
        return queryset.filter(meeting_id=int(chosen))

    def choices(self, changelist):
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        yield {
            "selected": self.value() == ALL_MEETINGS,
            "query_string": changelist.get_query_string({self.parameter_name: ALL_MEETINGS}),
            "display": "All meetings",
        }
        for index, (pk, name) in enumerate(self.lookup_choices):
            if counts is not None:
                name = f"{name} ({counts[f'{index}__c']})"
            yield {
                "selected": self.value() == pk,
                "query_string": changelist.get_query_string({self.parameter_name: pk}),
                "display": name,
            }


class ChoicesOncePerRequest(admin.RelatedFieldListFilter):
    """Looks its choices up once per request. With "Show counts" on, the admin builds every
    filter again for each filter's counts; without this each rebuild repeats the lookup."""

    def field_choices(self, field, request, model_admin):
        remembered = request.__dict__.setdefault("_filter_choices", {})
        key = (type(self), self.field_path)
        if key not in remembered:
            remembered[key] = self.lookup_field_choices(field, request, model_admin)
        return remembered[key]

    def lookup_field_choices(self, field, request, model_admin):
        return super().field_choices(field, request, model_admin)


class MeetingCategoryFilter(ChoicesOncePerRequest):
    """The chosen meeting's sorting categories; with no meeting chosen, every meeting's,
    each labelled with its meeting (codes repeat from year to year). One query."""

    def lookup_field_choices(self, field, request, model_admin):
        categories = SortingCategory.objects.select_related("meeting").order_by(
            "-meeting__starts_on", "code"
        )
        meeting_id = chosen_meeting_id(request)
        if meeting_id is not None:
            return [(c.pk, str(c)) for c in categories.filter(meeting_id=meeting_id)]
        return [(c.pk, f"{c.meeting.reference_prefix} {c}") for c in categories]


class MeetingReviewerFilter(ChoicesOncePerRequest):
    """Members who reviewed abstracts of the chosen meeting (of any meeting when none is
    chosen): one query on the reviews instead of one over the annotated abstract list."""

    def lookup_field_choices(self, field, request, model_admin):
        reviews = Review.objects.all()
        meeting_id = chosen_meeting_id(request)
        if meeting_id is not None:
            # Review.meeting: one range of the (meeting, reviewer) index, not a join.
            reviews = reviews.filter(meeting_id=meeting_id)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": reviews.values("reviewer_id")},
            ordering=ordering,
        )


def review_count() -> Coalesce:
    """Reviews per abstract as a correlated subquery: unlike a Count() with its GROUP BY,
    Django leaves it out of the list's COUNT(*) and the date-hierarchy queries."""
    counts = (
        Review.objects.filter(abstract=OuterRef("pk"))
        .order_by()
        .values("abstract")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


@admin.register(Abstract)
class AbstractAdmin(SimpleHistoryAdmin):
    """Read-only here: members change abstracts through the site, so every change has a
    receipt mail and a history entry; the committee's decisions come with Meetings II."""

    list_display = [
        "reference",
        "title",
        "state",
        "category",
        "review_total",
        "submitter",
        "submitted_at",
        "meeting",
    ]
    list_filter = [
        CurrentMeetingFilter,
        "state",
        ("category", MeetingCategoryFilter),
        "category__kind",
        ("reviews__reviewer", MeetingReviewerFilter),
        "presentation",
        "student_presenter",
    ]
    list_select_related = ["meeting", "category", "submitter"]
    # The unfiltered total would be a second COUNT(*) over every abstract of every year;
    # the list says "N results (Show all)" instead.
    show_full_result_count = False
    search_fields = [
        "reference",
        "title",
        "author_list",
        "authors__name",
        "submitter__email",
        "keywords",
    ]
    date_hierarchy = "submitted_at"
    inlines = [AuthorInline]
    readonly_fields = [
        "meeting",
        "category",
        "submitter",
        "state",
        "reference",
        "title",
        "body",
        "presentation",
        "student_presenter",
        "funding",
        "keywords",
        "author_list",
        "submitted_at",
        "withdrawn_at",
        "created_at",
        "updated_at",
    ]
    history_list_display = ["state", "title"]
    actions = ["accept_oral", "accept_poster", "reject"]

    def get_queryset(self, request):
        # Drafts are their author's alone, and an author does nothing to their own abstract
        # as a committee member (meetings.rules): for everyone here, superusers included.
        # The changelist, its filters' counts, the search, the actions and the change page
        # all start from this queryset.
        return (
            super()
            .get_queryset(request)
            .filter(rules.committee_abstracts_q(request.user))
            .annotate(review_count=review_count())
        )

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Versions from before the submission are the author's draft: not shown.
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return records.filter(rules.SUBMITTED_Q)

    def has_view_permission(self, request, obj=None):
        # The history pages fall back to a historical copy of an object the queryset
        # hides, and then ask only this: the same rule as the queryset.
        if obj is not None and not rules_has_perm("meetings.handle_abstract", request.user, obj):
            return False
        return super().has_view_permission(request, obj)

    # Not named "reviews": the admin would sort that column by the relation of that name
    # (one row per review) instead of by this count.
    @admin.display(description="reviews", ordering="review_count")
    def review_total(self, abstract):
        return abstract.review_count

    def _decide(self, request, queryset, decision):
        # The queryset is already the user's own view (get_queryset); the service checks
        # the conflict-of-interest and draft rules once more and refuses the lot.
        try:
            count = services.abstracts_decide(
                abstracts=queryset, decision=decision, by=request.user
            )
        except services.Refused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, f"{Decision(decision).label}: {count} abstracts.")

    def _may_decide(self, request) -> bool:
        return request.user.has_perm("meetings.decide_abstracts")

    @admin.action(description="Accept (oral) the chosen abstracts", permissions=["decide"])
    def accept_oral(self, request, queryset):
        self._decide(request, queryset, Decision.ACCEPT_ORAL)

    @admin.action(description="Accept (poster) the chosen abstracts", permissions=["decide"])
    def accept_poster(self, request, queryset):
        self._decide(request, queryset, Decision.ACCEPT_POSTER)

    @admin.action(description="Reject the chosen abstracts", permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, Decision.REJECT)

    def has_decide_permission(self, request) -> bool:
        return self._may_decide(request)

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The Program committee's side (Meetings II) ------------------------------------


class OfAnAbstractTheViewerMayHandle(admin.ModelAdmin):
    """Rows about one abstract (reviews, sent decisions): never those of an abstract the
    viewer is an author of, superusers included (conflict of interest: list, filters,
    search, change page and history), by the one rule in meetings/rules.py."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(rules.committee_abstracts_q(request.user, prefix="abstract__"))
        )

    def has_view_permission(self, request, obj=None):
        if obj is not None and not rules_has_perm(
            "meetings.handle_abstract", request.user, obj.abstract
        ):
            return False
        return super().has_view_permission(request, obj)


@admin.register(Review)
class ReviewAdmin(OfAnAbstractTheViewerMayHandle):
    """Reviews are written on the committee's review pages (conflict rules apply there)."""

    list_display = ["abstract", "reviewer", "score", "updated_at"]
    list_filter = [
        "abstract__meeting",
        "abstract__category",
        "abstract__state",
        ("reviewer", admin.RelatedOnlyFieldListFilter),
        "score",
    ]
    list_select_related = ["abstract", "reviewer"]
    search_fields = [
        "abstract__reference",
        "abstract__title",
        "abstract__author_list",
        "reviewer__email",
        "reviewer__full_name",
    ]
    readonly_fields = ["abstract", "reviewer", "score", "comment", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A review is the reviewer's record; nobody removes another's in the admin.
        return False


@admin.register(DecisionNotification)
class DecisionNotificationAdmin(OfAnAbstractTheViewerMayHandle):
    list_display = ["abstract", "state", "sent_by", "sent_at"]
    list_filter = ["abstract__meeting", "state"]
    list_select_related = ["abstract", "sent_by"]
    search_fields = ["abstract__reference", "abstract__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The row is what makes a decision sent and final: deleting it would reopen
        # reviews and decisions behind the authors' backs.
        return False


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
        "nominator",
        "created_at",
    ]
    list_filter = ["meeting", "status", "tentatively_agreed"]
    list_select_related = ["meeting", "nominator"]
    search_fields = [
        "nominee_name",
        "nominee_email",
        "nominee_affiliation",
        "talk_title",
        "alternate_1_name",
        "alternate_2_name",
        "nominator__email",
    ]
    readonly_fields = ["meeting", "nominator", "created_at", "updated_at"]
    actions = ["shortlist", "mark_not_selected"]

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
        if not self._flags_visible(request):
            fields = [f for f in fields if f not in FLAG_FIELDS]
        return fields

    def get_list_filter(self, request):
        return self.list_filter

    def has_add_permission(self, request):
        return False

    def _set(self, request, queryset, status):
        for nomination in queryset:
            services.nomination_set_status(nomination=nomination, status=status, by=request.user)
        self.message_user(request, f"{queryset.count()} nominations updated.")

    @admin.action(description="Shortlist the chosen nominations", permissions=["change"])
    def shortlist(self, request, queryset):
        self._set(request, queryset, NominationStatus.SHORTLISTED)

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
            problem = services.slot_problem(
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
            services.invited_session_save(session=obj, by=request.user)
        except services.Refused as refusal:
            raise ValidationError(str(refusal)) from refusal
