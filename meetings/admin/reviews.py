"""The committee's admin for the records about an abstract: reviews and sent decisions."""

from django.contrib import admin
from django.db.models import Q
from rules import has_perm as rules_has_perm

from gds_portal.adminsite import ReadOnlyAdminMixin
from meetings import rules
from meetings.models import DecisionNotification, Review


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
class ReviewAdmin(ReadOnlyAdminMixin, OfAnAbstractTheViewerMayHandle):
    """Reviews are written on the committee's review pages (conflict rules apply there).
    A review is the reviewer's record: nobody changes or removes another's in the admin.

    Blind until scored (meetings.see_scores): besides their own, a reviewer lists only
    the reviews of abstracts they have reviewed (the chair, all). Anonymised review
    (meetings.see_authors): no review of such a meeting is listed to a reviewer, since
    the abstract's search and filters here would name its authors."""

    list_display = [
        "abstract",
        "reviewer",
        "weighted_score",
        "confidence",
        "updated_at",
        "revised_after_seeing_others_at",
    ]
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
    readonly_fields = [
        "abstract",
        "reviewer",
        "score",
        "criteria",
        "weighted_score",
        "confidence",
        "comment",
        "created_at",
        "updated_at",
        "revised_after_seeing_others_at",
    ]

    def get_queryset(self, request):
        user = request.user
        own = Q(reviewer_id=user.pk)
        return (
            super()
            .get_queryset(request)
            .filter(own | rules.scores_visible_q(user, prefix="abstract__"))
            .exclude(rules.authors_hidden_q(user, prefix="abstract__"))
        )

    def has_view_permission(self, request, obj=None):
        if obj is not None and not (
            obj.reviewer_id == request.user.pk
            or rules_has_perm("meetings.see_scores", request.user, obj.abstract)
        ):
            return False
        if obj is not None and not rules_has_perm(
            "meetings.see_authors", request.user, obj.abstract.meeting
        ):
            return False
        return super().has_view_permission(request, obj)

    @admin.display(description="criterion scores")
    def criteria(self, review):
        scored = review.criterion_scores.select_related("criterion")
        return "; ".join(f"{s.criterion.name}: {s.score}" for s in scored) or "—"


@admin.register(DecisionNotification)
class DecisionNotificationAdmin(ReadOnlyAdminMixin, OfAnAbstractTheViewerMayHandle):
    """The row is what makes a decision sent and final: deleting it would reopen reviews
    and decisions behind the authors' backs."""

    list_display = ["abstract", "state", "sent_by", "sent_at"]
    list_filter = ["abstract__meeting", "state"]
    list_select_related = ["abstract", "sent_by"]
    search_fields = ["abstract__reference", "abstract__title"]
