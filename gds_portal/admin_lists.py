"""Changelists whose cost stays flat as a table grows: counts that stop counting, and a
row's tick box without a template render.

The admin counts a list twice by default: the filtered rows, for the paginator, and
the whole table, for "N results (M total)". Each is a COUNT(*) that reads every row it
counts, so a list of nominations or abstracts gets slower every year it is used
(issue 20). `FlatCountAdminMixin` turns the second off and makes the first bounded:
`BoundedCountPaginator` counts at most `exact_up_to` rows exactly and, past that, shows
the planner's estimate of the rows, marked as one. The admin's pagination and search
templates say "about" where the count is estimated (templates/admin/_result_count.html):
an estimate is never shown as an exact figure.
"""

from __future__ import annotations

import json

from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _

# Up to this many rows a list is counted exactly, reading at most this many rows (and one).
EXACT_UP_TO = 1000


def estimated_rows(queryset: QuerySet) -> int:
    """The planner's estimate of the rows `queryset` returns (EXPLAIN, not run): read from
    the table statistics, it costs the same whatever the size of the table. One query."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class BoundedCountPaginator(Paginator):
    """A paginator whose count reads at most `exact_up_to` + 1 rows.

    Up to `exact_up_to` rows the count is exact (`estimated` False). Past it, the count
    is the planner's estimate (`estimated_rows`), never less than what was counted, and
    `estimated` is True: the page says "about". As the estimate may fall short of the
    true number, a page past the estimated last one is not refused (it may hold rows);
    the links stop at the estimated last page.
    """

    exact_up_to = EXACT_UP_TO
    estimated = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        # COUNT(*) over a LIMITed subquery: stops after exact_up_to + 1 rows.
        counted = rows.order_by()[: self.exact_up_to + 1].count()
        if counted <= self.exact_up_to:
            return counted
        self.estimated = True
        return max(estimated_rows(rows), counted)

    def validate_number(self, number):
        if not self.estimated:
            return super().validate_number(number)
        number = super().validate_number(1) if number in (None, "") else number
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        return number if number >= 1 else super().validate_number(number)


class ShownColumnsChangeList(ChangeList):
    """Reads the page's rows with only the columns the list shows (`list_columns` on the
    admin), through `list_select_related` only: a row of an abstract or a webinar carries
    its whole text and search vector, which the list never shows. Only the page's rows:
    the actions, the counts and the filters start from the full queryset
    (`get_queryset`), so an action never saves a half-read object."""

    def get_results(self, request):
        columns = getattr(self.model_admin, "list_columns", None)
        full = self.queryset
        if columns:
            related = self.model_admin.list_select_related
            slim = full.select_related(None)
            slim = slim.select_related(*related) if related else slim
            self.queryset = slim.only(*columns)
        try:
            super().get_results(request)
        finally:
            self.queryset = full


class FlatCountAdminMixin:
    """A ModelAdmin whose changelist costs the same for a big table as for a small one:
    no whole-table total, a bounded count (`BoundedCountPaginator`), a plain-HTML tick
    box per row and, if the admin names them in `list_columns`, only the columns shown
    (`ShownColumnsChangeList`). Put it before admin.ModelAdmin in the bases."""

    paginator = BoundedCountPaginator
    show_full_result_count = False
    list_columns: list[str] | None = None
    # Half of Django's 100: each row is a dozen cells rendered one by one, most of the
    # list's cost; 50 to a page, as the committee's review and decision lists.
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return ShownColumnsChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # For the templates: "about N" rather than "N" (templates/admin/_result_count.html).
        changelist.result_count_estimated = getattr(changelist.paginator, "estimated", False)
        return changelist

    def action_checkbox(self, obj):
        """Django's tick box, the same HTML, without a widget template rendered per row
        (a third of the list's render time in the profile)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )
