"""The series' figures count distinct people from rows, at a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.identity import canonical_email
from tests.factories.accounts import UserFactory
from tests.factories.webinars import WebinarFactory, add_participants
from webinars.enums import RegistrationStatus
from webinars.figures import series_numbers, webinar_figures
from webinars.models import Registration

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
FIGURES = "/webinars/committee/figures/"


def _held(days_ago: int, **fields):
    return WebinarFactory(start_at=NOW - timedelta(days=days_ago), **fields)


def _register(webinar, email: str, *, user=None, attended=False, status=None) -> Registration:
    return Registration.objects.create(
        webinar=webinar,
        user=user,
        name="Someone",
        email=email,
        email_key=canonical_email(email),
        status=status or RegistrationStatus.CONFIRMED,
        attended_at=NOW if attended else None,
    )


def _people(numbers) -> tuple:
    return (numbers["registrants"], numbers["attendees"])


@time_machine.travel(NOW, tick=False)
def test_one_person_registered_for_three_webinars_counts_once():
    for days in (30, 20, 10):
        _register(_held(days), "ada@example.org", attended=days != 20)

    assert _people(series_numbers()) == (1, 1)
    assert [(f.registrants, f.attended) for f in webinar_figures()] == [(1, 1), (1, 0), (1, 1)]


@time_machine.travel(NOW, tick=False)
def test_a_guest_and_a_member_with_the_same_address_count_once():
    member = UserFactory(email="grace.hopper@example.org")
    _register(_held(20), "Grace.Hopper@Example.ORG")  # as a guest
    _register(_held(10), "grace.hopper@example.org", user=member)  # later, as a member

    assert _people(series_numbers()) == (1, 0)


@time_machine.travel(NOW, tick=False)
def test_a_registration_and_a_report_row_of_one_address_count_once():
    webinar = _held(10)
    _register(webinar, "person1@example.org")
    add_participants(webinar, [1, 2])  # person1 attended, person2 registered elsewhere

    assert [(f.registrants, f.attended, f.no_show_rate) for f in webinar_figures()] == [(2, 2, 0.0)]


@time_machine.travel(NOW, tick=False)
def test_what_does_not_count():
    _register(_held(10), "pending@example.org", status=RegistrationStatus.PENDING)
    _register(_held(10), "gone@example.org", status=RegistrationStatus.CANCELLED)
    add_participants(WebinarFactory(start_at=NOW + timedelta(days=3)), [1])  # upcoming
    add_participants(_held(10, is_cancelled=True), [2])
    add_participants(_held(10, is_published=False), [3])

    assert _people(series_numbers()) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_growth_counts_each_person_at_their_first_webinar():
    first, second, third = _held(30), _held(20), _held(10)
    add_participants(first, range(10), attended=False)
    add_participants(second, range(5, 20))  # 5 seen at the first, 10 new
    add_participants(third, range(15, 22), attended=False)  # 5 seen, 2 new

    rows = webinar_figures()

    assert [(r.new_registrants, r.total_registrants) for r in rows] == [(10, 10), (10, 20), (2, 22)]
    assert [(r.new_attendees, r.total_attendees) for r in rows] == [(0, 0), (15, 15), (0, 15)]
    assert [r.no_show_rate for r in rows] == [100.0, 0.0, 100.0]
    assert _people(series_numbers()) == (22, 15)


@time_machine.travel(NOW, tick=False)
def test_replay_views_are_shown_once_entered():
    _held(10)
    assert series_numbers()["replay_views"] is None
    _held(20, replay_views=1200)
    _held(30, replay_views=0)
    assert series_numbers()["replay_views"] == 1200


def _series(n: int) -> None:
    for i in range(n):
        webinar = _held(10 + i, replay_views=100)
        add_participants(webinar, range(i * 5, i * 5 + 8))
        _register(webinar, f"here{i}@example.org", attended=True)


@pytest.mark.parametrize("n", [1, 3])
@time_machine.travel(NOW, tick=False)
def test_series_figures_query_budget(django_assert_num_queries, n):
    _series(n)
    with django_assert_num_queries(3):
        assert series_numbers()["webinars"] == n
    with django_assert_num_queries(3):
        assert len(webinar_figures()) == n


@pytest.mark.parametrize("n", [1, 3])
@time_machine.travel(NOW, tick=False)
def test_committee_figures_page_query_budget(client_for, personas, django_assert_num_queries, n):
    _series(n)
    client = client_for(personas.webinar_committee)
    client.get(FIGURES)  # warm caches (content types, site settings)
    # Session and user 2, permission groups 1, figures 3, headline 3.
    with django_assert_num_queries(8):
        response = client.get(FIGURES)
    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [1, 3])
@time_machine.travel(NOW, tick=False)
def test_public_series_page_query_budget(client, django_assert_num_queries, n):
    _series(n)
    client.get("/webinars/")
    # Filter options 2, upcoming 1, archive 1, speakers and topics 2, series figures 3.
    with django_assert_num_queries(9):
        response = client.get("/webinars/")
    assert response.context["numbers"]["webinars"] == n


@time_machine.travel(NOW, tick=False)
def test_committee_page_shows_table_and_charts(client_for, personas):
    _series(3)
    page = client_for(personas.webinar_committee).get(FIGURES).content.decode()
    assert 'data-testid="figures-registrants">21<' in page  # 18 from reports, 3 here
    assert page.count('<svg class="gds-chart"') == 2
    assert 'data-testid="figures-growth"' in page


@time_machine.travel(NOW, tick=False)
def test_public_page_shows_headline_figures_only(client):
    _series(1)
    page = client.get("/webinars/").content.decode()
    assert 'data-testid="numbers-registrants">9<' in page
    assert 'data-testid="numbers-attendees">9<' in page
    assert 'data-testid="numbers-replay-views">100<' in page
    assert "No-show" not in page
