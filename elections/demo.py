"""Demo offices, the officers' history and the fall 2020 election.

Real, from the seed newsletter (summer 2020): Mohammad Soltanieh-ha was the
group's founding chair; Jie Ren is chair for the 2020-2021 term; Kyle Wm. Hall
is the newsletter editor; Dimitri Bourilkov chaired the 2020 April Meeting
session and is program chair for the 2021 April Meeting; nominations for the
2021-2022 executive committee open in the fall. The exact start and end days
of those terms are not in the seed: the days below are demo approximations.
Everything else (candidates, statements, the demo officer, dates of the vote)
is invented and labelled as demo data. Windows are relative to today, so
voting is open whenever the demo is loaded.
"""

import logging
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from community.models import Person
from community.services import person_link_account, person_save
from elections.enums import CandidacyStatus, CountingRule, TrackerPolicy
from elections.models import (
    Candidacy,
    Contest,
    Election,
    HandoverNote,
    Nomination,
    Office,
    Term,
    shown_name,
)
from elections.offices import OMBUDSMAN
from elections.services.roll import roll_freeze
from elections.services.terms import term_add

log = logging.getLogger(__name__)

DEMO = "*Demo data: invented for the demo site.*"

EXEC = [Role.EXECUTIVE_COMMITTEE]
# slug, name, order, seats, roles
OFFICES = [
    ("chair", "Chair", 10, 1, EXEC),
    ("chair-elect", "Chair-Elect", 20, 1, EXEC),
    ("vice-chair", "Vice Chair", 30, 1, EXEC),
    ("secretary-treasurer", "Secretary/Treasurer", 40, 1, EXEC),
    ("member-at-large", "Member-at-Large", 50, 3, EXEC),
    ("newsletter-editor", "Newsletter Editor", 60, 1, [Role.NEWSLETTER_EDITORS]),
    ("program-chair", "Program Chair", 70, 1, [Role.PROGRAM_COMMITTEE]),
]

# office, person, affiliation (as the seed or other demos give it), title, start, end
TERMS = [
    ("chair", "Mohammad Soltanieh-ha", "", "Founding chair", date(2019, 1, 1), date(2020, 3, 31)),
    ("chair", "Jie Ren", "", "", date(2020, 4, 1), date(2021, 3, 31)),
    ("newsletter-editor", "Kyle Wm. Hall", "", "", date(2020, 1, 1), date(2020, 12, 31)),
    (
        "program-chair",
        "Dimitri Bourilkov",
        "University of Florida",
        "April Meeting program chair 2021",
        date(2020, 5, 1),
        date(2021, 4, 30),
    ),
]

CANDIDATES = [
    (
        "candidate-a@demo.gds.example.org",
        "Amara Quist (demo)",
        "Demo Institute of Technology (demo data)",
        "I have run the group's webinar series for a year and would like to bring the same "
        "openness to the committee: minutes published within a week, and a standing slot "
        "for members' questions.\n\nMy research fits Gaussian processes "
        "$f \\sim \\mathcal{GP}(m, k)$ to detector data.\n\n" + DEMO,
    ),
    (
        "candidate-b@demo.gds.example.org",
        "Bao Lindqvist (demo)",
        "Demo National Laboratory (demo data)",
        "Data science in physics grows fastest among students. I would make the "
        "student travel awards and the mentoring programme the committee's first "
        "business, and keep the CRRG's work going.\n\n" + DEMO,
    ),
    (
        "candidate-c@demo.gds.example.org",
        "Carmen Ruiz-Okoye (demo)",
        "Demo State University (demo data)",
        "I would like GDS sessions at every APS meeting, co-sponsored with partner units, "
        "and a yearly report on who speaks at them, so that we can see how broad the "
        "programme really is.\n\n" + DEMO,
    ),
]


def _person(name: str, affiliation: str) -> Person:
    person = Person.objects.filter(name=name).first() or Person(name=name)
    person.affiliation = person.affiliation or affiliation
    return person_save(person=person)


def _demo_user(email: str, name: str, affiliation: str) -> User:
    user = User.objects.with_email(email).first() or User(email=email)
    user.full_name, user.affiliation = name, affiliation
    if not user.pk:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _offices() -> dict[str, Office]:
    offices = {}
    for slug, name, order, seats, roles in OFFICES:
        offices[slug], _ = Office.objects.update_or_create(
            slug=slug, defaults={"name": name, "order": order, "seats": seats, "roles": roles}
        )
    return offices


def _history(offices: dict[str, Office]) -> None:
    for slug, name, affiliation, title, starts, ends in TERMS:
        Term.objects.update_or_create(
            office=offices[slug],
            person=_person(name, affiliation),
            starts_on=starts,
            defaults={"ends_on": ends, "title": title},
        )


def _demo_officer(offices: dict[str, Office]) -> None:
    """The demo executive-committee login holds a current office, with a handover note."""
    user = User.objects.with_email("exec@demo.gds.example.org").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None or admin is None:
        return
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = _person("Demo Executive Committee (demo)", "Demo University (demo data)")
        person_link_account(person=person, user=user, by=admin)
    today = timezone.localdate()
    Term.objects.update_or_create(
        office=offices["secretary-treasurer"],
        person=person,
        defaults={"starts_on": today - timedelta(days=200), "ends_on": today + timedelta(days=165)},
    )
    HandoverNote.objects.get_or_create(
        office=offices["secretary-treasurer"],
        author=None,
        defaults={
            "text": "The treasury report is due to APS each January; the template is in the "
            "shared drive under *Treasurer*.\n\n" + DEMO
        },
    )


# The demo ombudsman's login (docs/ombudsman.md), invented; the ombudsman's demo has
# them answer a demo concern.
DEMO_OMBUDSMAN = ("ombudsman@demo.gds.example.org", "Demo Ombudsman")


def _demo_ombudsman() -> None:
    """The demo ombudsman holds the office through a term, appointed (no election), as
    the executive committee appoints one in the admin. Invented, labelled demo data."""
    from accounts.demo import DEMO_PASSWORD

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    office = Office.objects.filter(slug=OMBUDSMAN).first()
    if admin is None or office is None:
        return
    email, name = DEMO_OMBUDSMAN
    user = User.objects.with_email(email).first()
    if user is None:
        user = User(email=email, full_name=name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = _person(name, "Demo University (demo data)")
        person_link_account(person=person, user=user, by=admin)
    if not Term.objects.current().filter(office=office, person=person).exists():
        # As the committee appoints (elections.guarded): from today, never backdated.
        term = Term(
            office=office,
            person=person,
            starts_on=timezone.localdate(),
            title="Ombudsman (demo data)",
        )
        try:
            term_add(term=term, by=admin)
        except ValidationError as error:  # a term already starts today or later
            log.info("Demo ombudsman not appointed: %s", " ".join(error.messages))


def _election(offices: dict[str, Office]) -> None:
    now = timezone.now()
    # Voting opened at the start of today, so that the cut-off (today, which the demo
    # accounts made just now meet) is on the day voting opens, as the admin requires
    # (outside probe 3, F7); nominations closed more than a day before that.
    opened = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    election, _ = Election.objects.update_or_create(
        slug="fall-2020",
        defaults={
            "title": "Fall 2020 election: executive committee 2021\u20132022",
            "description": "Members elect the Chair-Elect for the 2021\u20132022 term. "
            "Ranked choice: rank as many candidates as you like.\n\n" + DEMO,
            "is_announced": True,
            "nominations_open_at": now - timedelta(days=30),
            "nominations_close_at": now - timedelta(days=10),
            "voting_open_at": opened,
            "voting_close_at": now + timedelta(days=12),
            "eligibility_cutoff": opened.date(),
            "term_starts_on": date(2021, 4, 1),
            "term_ends_on": date(2022, 3, 31),
            "tracker_policy": TrackerPolicy.LIST_ONLY,
        },
    )
    contest, _ = Contest.objects.update_or_create(
        election=election,
        office=offices["chair-elect"],
        defaults={"seats": 1, "rule": CountingRule.RANKED},
    )
    member = User.objects.with_email("member@demo.gds.example.org").first()
    for email, name, affiliation, statement in CANDIDATES:
        user = _demo_user(email, name, affiliation)
        candidacy, _ = Candidacy.objects.update_or_create(
            contest=contest,
            user=user,
            defaults={
                "status": CandidacyStatus.ACCEPTED,
                "statement": statement,
                "is_approved": True,
                "ballot_name": shown_name(user=user),
                "answered_at": now - timedelta(days=20),
            },
        )
        if member:
            Nomination.objects.get_or_create(candidacy=candidacy, nominator=member)
    if election.slate_approved_at is None:
        Election.objects.filter(pk=election.pk).update(slate_approved_at=now - timedelta(days=5))
    roll_freeze(election=election, now=now)


def load(stdout) -> None:
    offices = _offices()
    _history(offices)
    _demo_officer(offices)
    _demo_ombudsman()
    _election(offices)
    stdout.write("Elections: officers' history, and the fall 2020 election open for voting.")
