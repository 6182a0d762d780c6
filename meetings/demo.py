# ruff: noqa: E501 — Table 1 rows are kept one per line, as in the newsletter.
"""Demo meetings: the 2021 March Meeting with Table 1's sorting categories, and the
2021 April Meeting. Categories, titles, kinds and co-sponsors are the real ones from
the GDS newsletter (summer 2020); the call's dates are demo data, placed around today
so the call is open (March) and not yet open (April) whenever the demo is loaded."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from community.models import Person
from community.services import person_save
from meetings.enums import MeetingKind
from meetings.models import Meeting
from meetings.services import categories_import

# Table 1 of the newsletter, in its order. Standard categories list no co-sponsors.
MARCH_2021_CATEGORIES = """\
code,title,kind,co-sponsors
23.00.00,GDS Symposium Invited Speaker,invited symposium,
23.01.00,GDS FOCUS SESSIONS,heading,
23.01.01,Big Data in Physics,focus session,"GDS, DCOMP, GSNP"
23.01.02,Deep Learning for Dynamical Systems,focus session,"GDS, DCOMP"
23.01.03,Deep Learning for Spectroscopy,focus session,"GDS, DCOMP"
23.01.04,AI Materials Design and Discovery,focus session,"GDS, DCOMP"
23.01.05,Open Science/Open Data,focus session,GDS
23.01.06,AI & Real-World Networks,focus session,"GDS, DBIO"
23.01.07,Autonomous Systems and Control,focus session,GDS
23.01.08,AI and Statistical/Thermal Physics,focus session,"GDS, GSNP, DCOMP"
23.01.09,Visualization Techniques and Systems,focus session,"GDS, DCOMP"
23.01.10,Machine Learning for Quantum Matter,focus session,"DCOMP, GDS, DMP"
23.01.11,Machine Learning and Data in Polymer Physics,focus session,"DPOLY, DBIO, DCOMP, GDS, FIAP"
23.01.12,Emerging Trends in Molecular Dynamics Simulations and Machine Learning,focus session,"DCOMP, GDS, DSOFT, DPOLY"
23.01.13,Deep Learning for Computer Vision,focus session,GDS
23.01.14,Machine learning for biomolecular design and simulation,focus session,"DPOLY, GDS, DSOFT, DBIO, DCOMP"
23.01.15,Artificial intelligence and machine learning in medicine and biomedicine,focus session,"GMED, GDS"
23.01.16,Quantum machine learning,focus session,"DQI, GDS"
23.02.00,GDS STANDARD SORTING CATEGORIES,heading,
23.03.00,Data Science in Physics,standard category,
23.04.00,Machine Learning,standard category,
23.05.00,AI and Deep Learning,standard category,
23.06.00,"Big Data, Data Integration and Assimilation",standard category,
23.07.00,Data Science Education,standard category,
23.08.00,Autonomous Experimentation,standard category,
"""

DEMO_NOTE = (
    "\n\n*Demo data: the call's opening and closing times on this portal are set relative "
    "to the day the demo was loaded, not the real 2020 dates.*"
)


def _at(day: date, hour: int, zone) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)), zone)


def _chair(name: str, affiliation: str) -> Person:
    person = Person.objects.filter(name=name).first() or Person(name=name)
    person.affiliation = person.affiliation or affiliation
    return person_save(person=person)


def load(stdout) -> None:
    today = timezone.localdate()
    new_york = Meeting(time_zone="America/New_York").tz
    march, _ = Meeting.objects.update_or_create(
        slug="march-2021",
        defaults={
            "name": "APS March Meeting 2021",
            "kind": MeetingKind.MARCH,
            "year": 2021,
            "starts_on": date(2021, 3, 15),
            "ends_on": date(2021, 3, 19),
            "place": "",
            "is_virtual": True,
            "time_zone": "America/New_York",
            "call_opens_at": _at(today - timedelta(days=21), 9, new_york),
            "call_closes_at": _at(today + timedelta(days=10), 17, new_york),
            "invited_session_slots": 1,
            "description": (
                "GDS sponsors 16 focus topics and 6 standard sorting categories at the 2021 "
                "March Meeting, plus an invitation-only symposium category. The group has one "
                "invited-session slot: either one session wholly owned by GDS or two sessions "
                "co-sponsored with partner units. In 2020 the call for contributed abstracts "
                "ran until October 23." + DEMO_NOTE
            ),
        },
    )
    categories_import(meeting=march, text=MARCH_2021_CATEGORIES)
    april, _ = Meeting.objects.update_or_create(
        slug="april-2021",
        defaults={
            "name": "APS April Meeting 2021",
            "kind": MeetingKind.APRIL,
            "year": 2021,
            "starts_on": date(2021, 4, 17),
            "ends_on": date(2021, 4, 20),
            "place": "",
            "is_virtual": True,
            "time_zone": "America/New_York",
            "call_opens_at": _at(today + timedelta(days=30), 9, new_york),
            "call_closes_at": _at(today + timedelta(days=75), 17, new_york),
            "invited_session_slots": 1,
            "program_chair": _chair("Dimitri Bourilkov", "University of Florida"),
            "description": (
                "Calls for invited speakers and contributed abstracts to the 2021 April Meeting "
                "open in the fall. Dimitri Bourilkov, who chaired the group's first invited "
                "session at the 2020 April Meeting, is the GDS program chair." + DEMO_NOTE
            ),
        },
    )
    stdout.write(f"Meetings: {march} (call open, {march.categories.count()} categories), {april}.")
