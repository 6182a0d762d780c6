"""The committee's admin for abstracts: read-only, with the decision actions."""

from django.contrib import admin, messages
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from rules import has_perm as rules_has_perm
from simple_history.admin import SimpleHistoryAdmin

from gds_portal.admin_lists import FlatCountAdminMixin
from gds_portal.adminsite import ReadOnlyAdminMixin
from meetings import rules
from meetings.admin.filters import (
    CurrentMeetingFilter,
    MeetingCategoryFilter,
    MeetingReviewerFilter,
)
from meetings.enums import Decision
from meetings.models import Abstract, AbstractAuthor, Review
from meetings.services.confirmations import declined_abstract_withdraw
from meetings.services.decisions import abstracts_decide
from meetings.services.errors import Refused


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
class AbstractAdmin(FlatCountAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: members change abstracts through the site, so every change has a
    receipt mail and a history entry. The committee's decisions are the actions, through
    the decision service."""

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
    # What the list shows (FlatCountAdminMixin), not the body and search vector of 100 rows.
    list_columns = [
        *["reference", "title", "state", "submitted_at", "meeting", "category", "submitter"],
        *["meeting__name", "category__code", "category__title"],
        *["submitter__full_name", "submitter__email"],
    ]
    # FlatCountAdminMixin: no second COUNT(*) over every abstract of every year for the
    # unfiltered total (the list says "N results (Show all)"), and with "All meetings"
    # a bounded count, then "about N".
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
    actions = ["accept_oral", "accept_poster", "reject", "withdraw_declined"]

    def get_queryset(self, request):
        # Drafts are their author's alone, and an author does nothing to their own abstract
        # as a committee member (meetings.rules): for everyone here, superusers included.
        # The changelist, its filters' counts, the search, the actions and the change page
        # all start from this queryset.
        return (
            super()
            .get_queryset(request)
            .filter(rules.committee_abstracts_q(request.user))
            # Anonymised review: the admin shows authors everywhere (columns, inline,
            # search, history), so such a meeting's abstracts are not here for a
            # reviewer; they read them on the committee's pages (meetings.see_authors).
            .exclude(rules.authors_hidden_q(request.user))
            .annotate(review_count=review_count())
            # Shown on the list and the change page alike: joined, not read one by one.
            .select_related("meeting", "category", "submitter")
        )

    def get_object(self, request, object_id, from_field=None):
        # The change page asks the conflict-of-interest rule (the abstract's authors) more
        # than once (view permission, history, the form): its authors are read once here.
        abstract = super().get_object(request, object_id, from_field)
        if abstract is not None:
            prefetch_related_objects([abstract], "authors")
        return abstract

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Versions from before the submission are the author's draft: not shown.
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return records.filter(rules.SUBMITTED_Q)

    def has_view_permission(self, request, obj=None):
        # The history pages fall back to a historical copy of an object the queryset
        # hides, and then ask only this: the same rule as the queryset.
        if obj is not None and not rules_has_perm("meetings.handle_abstract", request.user, obj):
            return False
        if obj is not None and not rules_has_perm(
            "meetings.see_authors", request.user, obj.meeting
        ):
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
            count = abstracts_decide(abstracts=queryset, decision=decision, by=request.user)
        except Refused as refusal:
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

    @admin.action(
        description="Withdraw the chosen abstracts whose presenter declined (the chair)",
        permissions=["decide"],
    )
    def withdraw_declined(self, request, queryset):
        # The chair's act (meetings.replace_presenter): the service asks the rule for each
        # abstract, so another committee member's (or a superuser's) click withdraws nothing.
        withdrawn = 0
        for abstract in queryset.select_related("meeting__program_chair"):
            try:
                declined_abstract_withdraw(abstract=abstract, by=request.user)
            except Refused as refusal:
                self.message_user(request, f"{abstract.reference}: {refusal}", messages.ERROR)
            else:
                withdrawn += 1
        self.message_user(request, f"Withdrawn: {withdrawn} abstracts.")

    def get_fields(self, request, obj=None):
        return self.readonly_fields
