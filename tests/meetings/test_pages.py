"""Public meeting pages, the call page and its .ics, and the query budgets of each page."""

from datetime import date, timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.enums import CategoryKind
from meetings.views.member import my_gds_section
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    MeetingFactory,
    SortingCategoryFactory,
    author,
    make_abstract,
)
from tests.html_checks import unsafe_parts

pytestmark = pytest.mark.django_db


def test_meeting_list_puts_upcoming_first_soonest_first_then_past(client):
    today = date.today()
    closed = {
        "call_opens_at": timezone.now() - timedelta(days=30),
        "call_closes_at": timezone.now() - timedelta(days=20),
    }
    MeetingFactory(name="Past long ago", starts_on=today - timedelta(days=400), **closed)
    MeetingFactory(name="Past recently", starts_on=today - timedelta(days=40), **closed)
    MeetingFactory(name="Later", starts_on=today + timedelta(days=200), **closed)
    MeetingFactory(name="Soon", starts_on=today + timedelta(days=20), **closed)
    MeetingFactory(name="Running today", starts_on=today - timedelta(days=1), **closed)
    html = client.get(reverse("meetings:list")).content.decode()
    order = ["Running today", "Soon", "Later", "Past recently", "Past long ago"]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)
    assert html.index("Later") < html.index(">Past<") < html.index("Past recently")
    assert "Open calls" not in html  # no call is open: no empty section


def _section(html: str, name: str) -> str:
    return html.split(f'data-testid="{name}"')[1].split("</section>")[0]


def test_meeting_list_shows_an_open_call_under_open_calls_not_past(client):
    today = date.today()
    # The demo's March 2021: the meeting's dates are past, its call is open now.
    MeetingFactory(
        name="March Meeting 2021",
        starts_on=today - timedelta(days=300),
        call_closes_at=timezone.now() + timedelta(days=10),
    )
    MeetingFactory(name="Later, call open", starts_on=today + timedelta(days=90))
    MeetingFactory(
        name="Later, call not yet open",
        starts_on=today + timedelta(days=200),
        call_opens_at=timezone.now() + timedelta(days=5),
        call_closes_at=timezone.now() + timedelta(days=50),
    )
    MeetingFactory(
        name="Long over",
        starts_on=today - timedelta(days=400),
        call_opens_at=timezone.now() - timedelta(days=500),
        call_closes_at=timezone.now() - timedelta(days=450),
    )
    html = client.get(reverse("meetings:list")).content.decode()
    assert html.index("Open calls") < html.index(">Upcoming<") < html.index(">Past<")
    assert "March Meeting 2021" in _section(html, "open-calls")
    assert "Later, call open" in _section(html, "open-calls")
    assert "March Meeting 2021" not in _section(html, "past")
    assert "Later, call not yet open" in _section(html, "upcoming")
    assert "Later, call open" not in _section(html, "upcoming")
    assert "Long over" in _section(html, "past")


def test_meeting_detail_renders_markdown_description(client):
    meeting = MeetingFactory(description="Sessions on *deep learning* and $x^2$.")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<em>deep learning</em>" in html and "<math" in html
    description = html.split('<div class="meeting-description">')[1].split("</div>")[0]
    assert unsafe_parts(description) == []


def test_call_page_groups_categories_under_headings_with_cosponsors(client, focus, invited):
    SortingCategoryFactory(
        meeting=focus.meeting,
        code="23.01.02",
        parent=focus.parent,
        title="Deep Learning for Spectroscopy",
        cosponsors=["GDS", "DCOMP"],
    )
    html = client.get(focus.meeting.get_call_url()).content.decode()
    heading = html.index("23.01.00 GDS FOCUS SESSIONS")
    assert html.index("23.00.00") < heading < html.index("23.01.01") < html.index("23.01.02")
    assert "(co-sponsors: GDS, DCOMP, GSNP)" in html
    assert "Submit to 23.01.01" in html
    assert "Submit to 23.00.00" not in html  # invitation-only
    assert "The call is open." in html
    assert "data-countdown=" in html


def test_call_page_shows_deadline_in_meeting_time_zone(client, meeting):
    meeting.call_closes_at = timezone.now().replace(
        year=timezone.now().year + 1, month=10, day=23, hour=21, minute=59, second=0
    )
    meeting.save()
    html = client.get(meeting.get_call_url()).content.decode()
    assert "23 October" in html and "17:59 EDT" in html
    assert "<time data-local datetime=" in html


def test_call_page_states(client, meeting):
    with time_machine.travel(meeting.call_opens_at - timedelta(seconds=1)):
        early = client.get(meeting.get_call_url()).content.decode()
    with time_machine.travel(meeting.call_closes_at):
        late = client.get(meeting.get_call_url()).content.decode()
    assert "The call is not open yet." in early and "data-countdown" not in early
    assert "The call has closed." in late and "data-countdown" not in late


def test_call_ics_has_the_deadline(client, meeting):
    response = client.get(reverse("meetings:call_ics", args=[meeting.slug]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="march-2021-deadline.ics"' in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.call_closes_at.replace(microsecond=0)
    assert str(event["summary"]) == "Abstract deadline: March Meeting 2021"


def test_unknown_meeting_is_404(client):
    assert client.get("/meetings/no-such-meeting/call/").status_code == 404


# --- Query budgets: the same number of queries for 1 and 3 objects. -------------------


@pytest.mark.parametrize("count", [1, 3])
def test_meeting_list_query_budget(client, django_assert_num_queries, count):
    today = date.today()
    closed = {"call_closes_at": timezone.now() - timedelta(days=1)}
    for n in range(count):
        MeetingFactory(starts_on=today + timedelta(days=10 + n))  # call open
        MeetingFactory(starts_on=today + timedelta(days=20 + n), **closed)
        MeetingFactory(starts_on=today - timedelta(days=100 + n), **closed)
    client.get(reverse("meetings:list"))  # warm the site-configuration cache
    # One query per section: open calls, upcoming, past.
    with django_assert_num_queries(3):
        assert client.get(reverse("meetings:list")).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_call_page_query_budget(client, django_assert_num_queries, meeting, count):
    for n in range(count):
        heading = SortingCategoryFactory(
            meeting=meeting, code=f"23.0{n + 1}.00", kind=CategoryKind.HEADING
        )
        for m in range(count):
            SortingCategoryFactory(
                meeting=meeting,
                code=f"23.0{n + 1}.0{m + 1}",
                parent=heading,
                cosponsors=["GDS", "DCOMP"],
            )
    client.get(meeting.get_call_url())
    with django_assert_num_queries(5):
        assert client.get(meeting.get_call_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_my_abstracts_query_budget(personas, client_for, django_assert_num_queries, focus, count):
    colleague = UserFactory()
    for n in range(count):
        make_abstract(submitter=personas.member, category=focus, title=f"Mine {n}")
        make_abstract(
            submitter=colleague,
            category=focus,
            title=f"Theirs {n}",
            authors=[author("Mia", "member@example.org")],
        )
    client = client_for(personas.member)
    client.get(reverse("meetings:my_abstracts"))
    with django_assert_num_queries(4):
        html = client.get(reverse("meetings:my_abstracts")).content.decode()
    assert html.count('data-testid="abstract-row"') == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_abstract_page_query_budget(personas, client_for, django_assert_num_queries, focus, count):
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        authors=[
            author(
                f"A{n}", f"a{n}@example.org", presenting=n == 0, affiliations=[f"Lab {n}", "Shared"]
            )
            for n in range(count)
        ],
    )
    client = client_for(personas.member)
    client.get(abstract.get_absolute_url())
    with django_assert_num_queries(7):
        assert client.get(abstract.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_abstract_form_query_budget(
    personas, client_for, django_assert_num_queries, meeting, count
):
    heading = SortingCategoryFactory(meeting=meeting, code="23.01.00", kind=CategoryKind.HEADING)
    for n in range(count):
        SortingCategoryFactory(meeting=meeting, code=f"23.01.0{n + 1}", parent=heading)
    client = client_for(personas.member)
    url = reverse("meetings:abstract_create", args=[meeting.slug])
    client.get(url)
    with django_assert_num_queries(5):
        html = client.get(url).content.decode()
    assert html.count('<option value="23.01.0') == count


def test_read_only_pages_answer_head_and_refuse_post(client, meeting):
    for url in [reverse("meetings:list"), meeting.get_absolute_url(), meeting.get_call_url()]:
        assert client.head(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


def test_site_search_finds_meetings_and_sorting_categories(client, focus):
    focus.meeting.description = "Focus topics on <b>spectroscopy</b> and networks."
    focus.meeting.save()
    SortingCategoryFactory(
        meeting=focus.meeting, code="23.01.03", title="Deep Learning for Spectroscopy"
    )
    html = client.get("/search/?q=spectroscopy").content.decode()
    assert "23.01.03 Deep Learning for Spectroscopy" in html
    assert f'href="{focus.meeting.get_call_url()}#category-23.01.03"' in html
    assert "March Meeting 2021" in html
    assert "<b>spectroscopy" not in html  # snippets are escaped


@pytest.mark.parametrize("count", [1, 3])
def test_my_gds_section_query_budget(personas, rf, django_assert_num_queries, focus, count):
    colleague = UserFactory()
    for n in range(count):
        make_abstract(submitter=personas.member, category=focus, title=f"Mine {n}")
        make_abstract(
            submitter=colleague,
            category=focus,
            title=f"Theirs {n}",
            authors=[author("Mia", "member@example.org")],
        )
    request = rf.get("/my/")
    request.user = personas.member
    # Only this app's section: other apps' sections on My GDS are budgeted by their tests.
    with django_assert_num_queries(3):
        html = render_to_string("meetings/_my_gds.html", my_gds_section(request))
    assert html.count("Mine ") == html.count("Theirs ") == count
