"""The series' figures, counted from rows: never typed in.

A person is a canonical address (accounts.identity.canonical_email). Per held,
published webinar, the people are the union of
- this site's registrations that held a place or a turn (registered, waiting list),
  or that the committee marked as attended, and
- the rows of the platforms' reports (webinars.attendance: attendees, and the
  registrants of reports that list those who did not come),
so one address counts once per webinar however many records name it, and once in the
series however many webinars it came to. A guest and a member with the same address
are one person. Attended: any of those records says so.

Every function here costs a fixed number of queries, whatever the number of webinars
or people (tests/webinars/test_figures.py holds the budgets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from webinars.enums import ACTIVE_REGISTRATION
from webinars.models import Participant, Registration, Webinar, WebinarQuerySet, WebinarSpeaker

Row = tuple[Any, ...]


def held_webinars(now: datetime | None = None) -> WebinarQuerySet[Webinar]:
    return Webinar.objects.published().held(now or timezone.now())


def _people_sql(now: datetime | None) -> tuple[str, list[Any]]:
    """SQL for (webinar_id, email_key, attended): one row per person per held webinar."""
    held_sql, held_params = held_webinars(now).order_by().values("pk").query.sql_with_params()
    registration = Registration._meta.db_table
    participant = Participant._meta.db_table
    sql = f"""
        SELECT webinar_id, email_key, bool_or(attended) AS attended FROM (
            SELECT webinar_id, email_key, attended_at IS NOT NULL AS attended
              FROM {registration}
             WHERE status = ANY(%s) OR attended_at IS NOT NULL
            UNION ALL
            SELECT webinar_id, email_key, attended FROM {participant}
        ) AS records
        WHERE webinar_id IN ({held_sql})
        GROUP BY webinar_id, email_key
    """  # noqa: S608 -- table names come from the models; every value is a parameter
    return sql, [list(ACTIVE_REGISTRATION), *held_params]


def _over_people(columns: str, now: datetime, *, group: str = "") -> list[Row]:
    people_sql, params = _people_sql(now)
    return _rows(f"SELECT {columns} FROM ({people_sql}) AS people {group}", params)  # noqa: S608 -- fixed SQL of this module


def _rows(sql: str, params: list[Any]) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[Row] = cursor.fetchall()
        return rows


class SeriesNumbers(TypedDict):
    """A dict (not a dataclass) so that the cached fragment holds plain data."""

    webinars: int
    speakers: int
    registrants: int  # distinct people who registered (here or on the platform) or attended
    attendees: int  # distinct people who attended at least one webinar
    replay_views: int | None  # None until the committee has entered any


def series_numbers(now: datetime | None = None) -> SeriesNumbers:
    """The headline figures of the public series page. Three queries."""
    now = now or timezone.now()
    held = held_webinars(now)
    counts = held.aggregate(
        webinars=Count("pk"), views=Sum("replay_views"), with_views=Count("replay_views")
    )
    speakers = WebinarSpeaker.objects.filter(webinar__in=held).aggregate(
        people=Count("person", distinct=True)
    )
    [(registrants, attendees)] = _over_people(
        "COUNT(DISTINCT email_key), COUNT(DISTINCT email_key) FILTER (WHERE attended)", now
    )
    return SeriesNumbers(
        webinars=counts["webinars"],
        speakers=speakers["people"],
        registrants=registrants,
        attendees=attendees,
        replay_views=counts["views"] if counts["with_views"] else None,
    )


@dataclass
class WebinarFigures:
    webinar: Webinar
    registrants: int = 0
    attended: int = 0
    new_registrants: int = 0  # people counted for the first time in the series
    new_attendees: int = 0
    total_registrants: int = 0  # the series so far, this webinar included
    total_attendees: int = 0

    @property
    def no_shows(self) -> int:
        return self.registrants - self.attended

    @property
    def no_show_rate(self) -> float | None:
        """Registrants who did not attend, as a percentage; None without registrants."""
        if not self.registrants:
            return None
        return round(100 * self.no_shows / self.registrants, 1)


def webinar_figures(now: datetime | None = None) -> list[WebinarFigures]:
    """Every held, published webinar, oldest first, with its counts and the series'
    growth (people new to the series at each webinar, and the running totals).
    Three queries."""
    now = now or timezone.now()
    webinars = list(held_webinars(now).order_by("start_at", "pk"))
    figures = {w.pk: WebinarFigures(webinar=w) for w in webinars}
    per_webinar = _over_people(
        "webinar_id, COUNT(*), COUNT(*) FILTER (WHERE attended)", now, group="GROUP BY webinar_id"
    )
    for webinar_id, registrants, attended in per_webinar:
        figures[webinar_id].registrants, figures[webinar_id].attended = registrants, attended
    _add_growth(figures, *_people_sql(now))
    return list(figures.values())


def _add_growth(figures: dict[int, WebinarFigures], people_sql: str, params: list[Any]) -> None:
    """How many people each webinar brought to the series for the first time."""
    table = Webinar._meta.db_table
    order = "ORDER BY w.start_at, w.id"
    firsts = f"""
        SELECT (array_agg(p.webinar_id {order}))[1] AS first_any,
               (array_agg(p.webinar_id {order}) FILTER (WHERE p.attended))[1] AS first_attended
          FROM ({people_sql}) AS p JOIN {table} AS w ON w.id = p.webinar_id
         GROUP BY p.email_key
    """  # noqa: S608 -- table names come from the models; every value is a parameter
    rows = _rows(
        f"WITH firsts AS ({firsts}) "  # noqa: S608 -- fixed SQL of this module
        "SELECT 'r', first_any, COUNT(*) FROM firsts GROUP BY first_any "
        "UNION ALL SELECT 'a', first_attended, COUNT(*) FROM firsts "
        "WHERE first_attended IS NOT NULL GROUP BY first_attended",
        params,
    )
    for kind, webinar_id, count in rows:
        if kind == "r":
            figures[webinar_id].new_registrants = count
        else:
            figures[webinar_id].new_attendees = count
    registrants = attendees = 0
    for one in figures.values():  # oldest first
        registrants += one.new_registrants
        attendees += one.new_attendees
        one.total_registrants, one.total_attendees = registrants, attendees
