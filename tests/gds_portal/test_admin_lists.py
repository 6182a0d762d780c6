"""Changelists whose cost stays flat (gds_portal.admin_lists): a bounded count that says
"about" when it is an estimate, and the plain tick box that must match Django's own.

Personas: webinar_committee works in the speaker nominations' list (the admin that uses
these helpers with the most rows); the nominations are anyone's.
"""

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin import helpers
from django.core.paginator import EmptyPage, PageNotAnInteger

from gds_portal.admin_lists import BoundedCountPaginator, estimated_rows
from tests.factories.webinars import SpeakerNominationFactory
from webinars.models import SpeakerNomination

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/webinars/speakernomination/"


def _paginator(per_page=2, exact_up_to=3):
    paginator = BoundedCountPaginator(SpeakerNomination.objects.order_by("pk"), per_page)
    paginator.exact_up_to = exact_up_to
    return paginator


def test_count_is_exact_up_to_the_bound():
    SpeakerNominationFactory.create_batch(3)
    paginator = _paginator()
    assert (paginator.count, paginator.estimated) == (3, False)
    with pytest.raises(EmptyPage):
        paginator.page(3)  # exact: a page past the last is refused, as Django does


def test_count_past_the_bound_is_an_estimate_never_below_what_was_counted():
    SpeakerNominationFactory.create_batch(5)
    paginator = _paginator()
    # The planner's guess for a table never analysed may be anything; the count is at
    # least the bound and one, and it says it is an estimate.
    assert paginator.estimated is False  # not yet counted
    assert paginator.count >= 4
    assert paginator.estimated is True
    # A page past the estimated last one is not refused: the estimate may fall short.
    assert list(paginator.page(paginator.num_pages + 1).object_list) == []
    with pytest.raises(PageNotAnInteger):
        paginator.validate_number("two")
    with pytest.raises(EmptyPage):
        paginator.validate_number(0)


def test_estimated_rows_reads_the_plan_not_the_rows(django_assert_num_queries):
    SpeakerNominationFactory.create_batch(3)
    with django_assert_num_queries(1) as captured:
        assert isinstance(estimated_rows(SpeakerNomination.objects.all()), int)
    assert captured.captured_queries[0]["sql"].startswith("EXPLAIN (FORMAT JSON) ")


def test_tick_box_is_djangos_own_html():
    nomination = SpeakerNominationFactory(nominee_name='Ann <"B">')
    ours = django_admin.site._registry[SpeakerNomination]
    assert ours.action_checkbox(nomination) == django_admin.ModelAdmin.action_checkbox(
        ours, nomination
    )
    assert f'name="{helpers.ACTION_CHECKBOX_NAME}"' in ours.action_checkbox(nomination)
    assert "&lt;&quot;B&quot;&gt;" in ours.action_checkbox(nomination)


def test_list_says_about_only_when_the_count_is_estimated(client_for, personas, monkeypatch):
    SpeakerNominationFactory.create_batch(3)
    client = client_for(personas.webinar_committee)
    exact = client.get(CHANGELIST)
    assert exact.context["cl"].result_count == 3
    assert not exact.context["cl"].result_count_estimated
    assert "about" not in exact.content.decode().split('class="paginator"')[1][:200]
    monkeypatch.setattr(BoundedCountPaginator, "exact_up_to", 2)
    estimated = client.get(CHANGELIST)
    assert estimated.context["cl"].result_count_estimated
    paginator_text = estimated.content.decode().split('class="paginator"')[1][:200]
    assert "about " in paginator_text
    # Select-all names no exact number either.
    assert "Select all speaker nominations (about " in estimated.content.decode()
    # Every nomination is still listed (50 to a page).
    assert len(estimated.context["cl"].result_list) == 3
