"""List filters of the abstract admin: one meeting at a time, by default the current
one, and choices looked up once per request."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils import timezone

from meetings.models import Meeting, Review, SortingCategory

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
