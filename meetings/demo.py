# ruff: noqa: E501 — Table 1 rows are kept one per line, as in the newsletter.
"""Demo meetings: the 2021 March Meeting with Table 1's sorting categories, and the
2021 April Meeting. Categories, titles, kinds and co-sponsors are the real ones from
the GDS newsletter (summer 2020); the call's dates are demo data, placed around today
so the call is open (March) and not yet open (April) whenever the demo is loaded."""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from community.models import Person, Unit
from community.services import person_find_or_create
from meetings.enums import (
    AbstractState,
    Decision,
    MeetingKind,
    NominationStatus,
    PresentationPreference,
    SessionOwnership,
    SpeakerAnswer,
)
from meetings.models import (
    Abstract,
    DecisionNotification,
    InvitedSession,
    InvitedTalk,
    Meeting,
    Review,
    RubricCriterion,
    SpeakerConfirmation,
    SpeakerNomination,
)
from meetings.services.abstracts import AbstractData, abstract_save
from meetings.services.assignments import category_reviewers_set, reviewers_assign
from meetings.services.authors import AuthorData
from meetings.services.categories import categories_import
from meetings.services.decisions import abstracts_decide
from meetings.services.duplicates import check_pending
from meetings.services.reviews import review_save

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
    return person_find_or_create(
        name=name, by_name=True, details={"affiliation": affiliation}, fill_blanks=True
    )


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
    april.nominations_open_at = timezone.now() - timedelta(days=3)
    april.nominations_close_at = timezone.now() + timedelta(days=40)
    april.save(update_fields=["nominations_open_at", "nominations_close_at"])
    april_2020 = _april_2020(new_york)
    _march_committee(march)
    _april_nominations(april)
    # The worker (check_duplicates) would find them within seconds; the demo shows the
    # committee's duplicate flags at once.
    while check_pending():
        pass
    stdout.write(f"Meetings: {march} (call open, {march.categories.count()} categories), {april}.")
    stdout.write(
        f"Past meeting {april_2020} with invited session H06; March 2021 reviewer "
        "assignments, reviews, decisions and nominations (demo data)."
    )


# --- The Program committee's side ---------------------------------------------------


def _person(name: str, affiliation: str) -> Person:
    return _chair(name, affiliation)


def _april_2020(zone) -> Meeting:
    """The 2020 April Meeting and its real invited session H06 (facts from the newsletter)."""
    meeting, _ = Meeting.objects.update_or_create(
        slug="april-2020",
        defaults={
            "name": "APS April Meeting 2020",
            "kind": MeetingKind.APRIL,
            "year": 2020,
            "starts_on": date(2020, 4, 18),
            "ends_on": date(2020, 4, 21),
            "is_virtual": True,
            "time_zone": "America/New_York",
            # Demo data: the portal did not run this call; these dates are placeholders.
            "call_opens_at": _at(date(2019, 10, 1), 9, zone),
            "call_closes_at": _at(date(2020, 1, 10), 17, zone),
            "invited_session_slots": 1,
            "program_chair": _chair("Dimitri Bourilkov", "University of Florida"),
            "description": (
                "The first APS meeting held online. GDS ran its first invited session here, "
                "together with the Forum on Education; about seventy people took part."
                "\n\n*Demo data: the call's dates on this portal are placeholders.*"
            ),
        },
    )
    session, _ = InvitedSession.objects.update_or_create(
        meeting=meeting,
        code="H06",
        defaults={
            "title": "Data Science in Physics Education",
            "ownership": SessionOwnership.CO_SPONSORED,
            "chair": _chair("Dimitri Bourilkov", "University of Florida"),
        },
    )
    session.cosponsors.set(Unit.objects.filter(code="FEd"))
    talks = [
        ("Machine Learning in Particle Physics", "Sergei Gleyzer", "University of Alabama"),
        ("CERN Open Data Portal for Science and Education", "Matthew Bellis", "Siena College"),
    ]
    for position, (title, name, affiliation) in enumerate(talks, start=1):
        InvitedTalk.objects.update_or_create(
            session=session,
            position=position,
            defaults={"title": title, "speaker": _person(name, affiliation)},
        )
    return meeting


DEMO_REVIEWERS = [
    ("program@demo.gds.example.org", "Demo Program Committee"),
    ("reviewer2@demo.gds.example.org", "Demo Reviewer Two"),
    ("reviewer3@demo.gds.example.org", "Demo Reviewer Three"),
]
DEMO_AUTHORS = [
    ("member@demo.gds.example.org", "Demo Member"),
    ("author2@demo.gds.example.org", "Demo Author Two"),
    ("author3@demo.gds.example.org", "Demo Author Three"),
]
# (submitter index, category code, title, scores by reviewer, decision); all demo data.
# The March demo's rubric (demo data: the criteria and weights are invented for the demo,
# not the group's). Anonymised review stays off, as is the default.
DEMO_RUBRIC = [
    ("Relevance to GDS", "Is the work about data science in physics, or its methods?", 3),
    ("Scientific quality", "Sound methods, clear results, honest limitations.", 2),
    ("Clarity", "Can a physicist outside the field follow the abstract?", 1),
]
# Each demo reviewer's confidence (invented), in DEMO_REVIEWERS order.
DEMO_CONFIDENCE = [3, 2, 1]

DEMO_ABSTRACTS = [
    (
        0,
        "23.01.01",
        "Compressing detector data with learned codecs (demo)",
        [5, 4, 4],
        Decision.ACCEPT_ORAL,
    ),
    (1, "23.01.01", "Anomaly detection in beamline logs (demo)", [3, 3, 2], Decision.ACCEPT_POSTER),
    (2, "23.01.01", "Anomaly detection in beam line logs, revisited (demo)", [2, 2], None),
    (0, "23.01.02", "Koopman operators learned from sparse trajectories (demo)", [4, 5], None),
    (
        1,
        "23.01.05",
        "A FAIR metadata schema for tabletop experiments (demo)",
        [2, 1, 2],
        Decision.REJECT,
    ),
    (2, "23.03.00", "Bayesian optimisation of a cold-atom trap (demo)", [4], None),
    (0, "23.04.00", "Graph networks for phonon spectra (demo)", [], None),
    (1, "23.07.00", "Teaching statistics with open LHC data (demo)", [5, 4], None),
]


def _demo_user(email: str, name: str, role=None):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.demo import DEMO_PASSWORD

    user = get_user_model().objects.with_email(email).first()
    if user is None:
        user = get_user_model()(email=email, full_name=name, affiliation="Demo Institute")
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role is not None
        user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _demo_rubric(march: Meeting) -> None:
    """The rubric, unless the meeting already has reviews (an older demo database keeps
    its single scores: a rubric is frozen once reviews exist)."""
    if Review.objects.filter(meeting=march).exists():
        return
    for position, (name, description, weight) in enumerate(DEMO_RUBRIC):
        RubricCriterion.objects.update_or_create(
            meeting=march,
            name=name,
            defaults={"description": description, "weight": weight, "position": position},
        )


def _demo_review(abstract, reviewer, confidence: int, score: int) -> None:
    """A demo review (invented): around `score` on each criterion of the rubric."""
    if Review.objects.filter(abstract=abstract, reviewer=reviewer).exists():
        return
    rubric = list(RubricCriterion.objects.filter(meeting_id=abstract.meeting_id))
    comment = "Demo review (invented)."
    if not rubric:
        review_save(abstract=abstract, by=reviewer, score=score, comment=comment)
        return
    # Clarity a point off the reviewer's overall view, for some spread in the demo.
    criteria = {c.pk: score if i < 2 else max(1, min(5, score - 1)) for i, c in enumerate(rubric)}
    review_save(
        abstract=abstract, by=reviewer, criteria=criteria, confidence=confidence, comment=comment
    )


def _march_committee(march: Meeting) -> None:
    from accounts.enums import Role

    _demo_rubric(march)
    reviewers = [_demo_user(e, n, Role.PROGRAM_COMMITTEE) for e, n in DEMO_REVIEWERS]
    authors = [_demo_user(e, n) for e, n in DEMO_AUTHORS]
    march.nominations_open_at = timezone.now() - timedelta(days=5)
    march.nominations_close_at = timezone.now() + timedelta(days=20)
    march.save(update_fields=["nominations_open_at", "nominations_close_at"])
    categories = {c.code: c for c in march.categories.all()}
    for index, code, title, scores, decision in DEMO_ABSTRACTS:
        abstract = Abstract.objects.filter(meeting=march, title=title).first()
        if abstract is None:
            abstract = _demo_abstract(march, authors[index], categories[code], title)
        for reviewer, confidence, score in zip(reviewers, DEMO_CONFIDENCE, scores, strict=False):
            _demo_review(abstract, reviewer, confidence, score)
        if decision and abstract.state == AbstractState.SUBMITTED:
            abstracts_decide(abstracts=[abstract], decision=decision, by=reviewers[0])
    _assign_reviewers(march, reviewers)
    _nominations(march, authors)
    _presenters(march, authors, reviewers[0], categories["23.01.03"])
    _march_session(march, reviewers[0], authors, categories["23.01.10"])


# A published session of contributed talks: three accepted abstracts whose decisions
# count as sent. All demo data: the titles, the code, the chair, the room and the time.
DEMO_SESSION_TALKS = [
    (1, "Neural-network wave functions for frustrated magnets (demo)"),
    (2, "Learning phase diagrams from unlabelled snapshots (demo)"),
    (0, "Symmetry-aware features for topological band classification (demo)"),
]


def _march_session(march: Meeting, chair_user, authors, category) -> None:
    from meetings.models import ContributedSession, DecisionNotification, SessionTalk

    talks = []
    for index, title in DEMO_SESSION_TALKS:
        abstract = Abstract.objects.filter(meeting=march, title=title).first()
        if abstract is None:
            abstract = _demo_abstract(march, authors[index], category, title)
        if abstract.state == AbstractState.SUBMITTED:
            abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=chair_user)
            abstract.refresh_from_db()
        # Demo shortcut: these three decisions count as mailed long ago, without queuing
        # mails now, so the demo's other decisions stay unsent for the chair to send.
        DecisionNotification.objects.get_or_create(
            abstract=abstract, defaults={"state": abstract.state, "sent_by": chair_user}
        )
        talks.append(abstract)
    zone = march.tz
    session, _ = ContributedSession.objects.update_or_create(
        meeting=march,
        title="Machine Learning for Quantum Matter I (demo)",
        defaults={
            "code": "B12",
            "chair_name": "Demo Session Chair, Example University (demo)",
            "room": "Virtual room 2 (demo)",
            "starts_at": timezone.make_aware(datetime(2021, 3, 16, 11, 30), zone),
            "ends_at": timezone.make_aware(datetime(2021, 3, 16, 13, 30), zone),
            "published_at": timezone.now(),
        },
    )
    for position, abstract in enumerate(talks, start=1):
        SessionTalk.objects.update_or_create(
            abstract=abstract, defaults={"session": session, "position": position}
        )


# Accepted abstracts whose decisions were sent, and their presenters' own answers: one
# confirmed, one declined (the chair's choice waits), one not answered. All demo data.
DEMO_PRESENTERS = [
    (0, "Symbolic regression of detector response (demo)", SpeakerAnswer.CONFIRMED),
    (1, "Active learning for beam tuning (demo)", SpeakerAnswer.DECLINED),
    (2, "Provenance graphs for analysis pipelines (demo)", SpeakerAnswer.ASKED),
]


def _presenters(march: Meeting, authors, chair, category) -> None:
    now = timezone.now()
    for index, title, answer in DEMO_PRESENTERS:
        abstract = Abstract.objects.filter(meeting=march, title=title).first()
        if abstract is None:
            coauthor = authors[(index + 1) % len(authors)]
            abstract = _demo_abstract(march, authors[index], category, title, coauthor=coauthor)
        if abstract.state == AbstractState.SUBMITTED:
            abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=chair)
            abstract.refresh_from_db()
        # The decision as if sent, without queuing demo mail.
        DecisionNotification.objects.get_or_create(
            abstract=abstract, defaults={"state": abstract.state, "sent_by": chair}
        )
        presenter = abstract.authors.get(is_presenting=True)
        SpeakerConfirmation.objects.update_or_create(
            abstract=abstract,
            defaults={
                "author": presenter,
                "speaker_name": presenter.name,
                "email": presenter.email,
                "state": answer,
                "asked_at": now - timedelta(days=3),
                "answered_at": None if answer == SpeakerAnswer.ASKED else now - timedelta(days=1),
            },
        )


# Who reviews which category (indexes into DEMO_REVIEWERS); demo data. The Graph
# networks and Bayesian optimisation abstracts lack reviews, so the assignment leaves
# open work in Demo Program Committee's and Demo Reviewer Three's queues.
DEMO_CATEGORY_REVIEWERS = {
    "23.01.01": [0, 1, 2],
    "23.01.02": [0, 2],
    "23.01.05": [1, 2],
    "23.03.00": [0, 2],
    "23.04.00": [0, 1],
    "23.07.00": [0, 1],
}


def _assign_reviewers(march: Meeting, reviewers) -> None:
    """Name the demo reviewers per category and run the assignment (two reviews per
    abstract). March 2021's chair has no account, so the committee assigns."""
    categories = {c.code: c for c in march.categories.filter(code__in=DEMO_CATEGORY_REVIEWERS)}
    category_reviewers_set(
        meeting=march,
        reviewers={
            categories[code]: [reviewers[i] for i in chosen]
            for code, chosen in DEMO_CATEGORY_REVIEWERS.items()
        },
        reviews_per_abstract=2,
        by=reviewers[0],
    )
    reviewers_assign(meeting=march, by=reviewers[0])


def _demo_abstract(meeting, submitter, category, title, coauthor=None) -> Abstract:
    data = AbstractData(
        category=category,
        title=title,
        body=f"Demo data. We study {title.lower()} and find that $\\chi^2/\\nu \\approx 1$.",
        presentation=PresentationPreference.EITHER,
        student_presenter=False,
        funding="",
        keywords="demo",
        authors=[
            AuthorData(
                name=submitter.full_name,
                email=submitter.email,
                is_presenting=True,
                affiliations=["Example State University (demo)"],
            ),
            *(
                [
                    AuthorData(
                        name=coauthor.full_name,
                        email=coauthor.email,
                        is_presenting=False,
                        affiliations=["Example State University (demo)"],
                    )
                ]
                if coauthor
                else []
            ),
        ],
    )
    return abstract_save(
        meeting=meeting, by=submitter, data=data, token=uuid.uuid4(), submit=True
    ).abstract


DEMO_NOMINATIONS = [
    # nominator index, nominee, affiliation, talk title, status, flags (woman, urm, outside US)
    (
        0,
        "Ada Example (demo)",
        "Example Institute of Technology",
        "Learning the laws of motion from video (demo)",
        NominationStatus.RECEIVED,
        (True, False, True),
    ),
    (
        1,
        "Bo Sample (demo)",
        "Sample University",
        "Uncertainty in physics-informed networks (demo)",
        NominationStatus.SHORTLISTED,
        (False, True, False),
    ),
    (
        2,
        "Cy Placeholder (demo)",
        "Placeholder Lab",
        "Data challenges in large surveys (demo)",
        NominationStatus.NOT_SELECTED,
        (False, False, False),
    ),
]


def _nominations(meeting: Meeting, authors) -> None:
    for index, name, affiliation, talk, status, flags in DEMO_NOMINATIONS:
        SpeakerNomination.objects.update_or_create(
            meeting=meeting,
            nominee_name=name,
            defaults={
                "nominator": authors[index],
                "nominee_affiliation": affiliation,
                "nominee_email": "nominee@example.org",
                "talk_title": talk,
                "rationale": "Demo data: a nomination made up for the demo.",
                "status": status,
                "alternate_1_name": "Alt Example (demo)",
                "alternate_1_affiliation": "Example College",
                "nominee_is_woman": flags[0],
                "nominee_is_urm": flags[1],
                "nominee_outside_us": flags[2],
            },
        )


def _april_nominations(april: Meeting) -> None:
    """A nomination of a speaker from the 2020 April Meeting, so the committee's warning
    about last year's invited speakers shows."""
    nominator = _demo_user("member@demo.gds.example.org", "Demo Member")
    SpeakerNomination.objects.update_or_create(
        meeting=april,
        nominee_name="Sergei Gleyzer",
        defaults={
            "nominator": nominator,
            "nominee_affiliation": "University of Alabama",
            "nominee_email": "sergei.gleyzer@example.org",
            "talk_title": "Machine learning at the energy frontier (demo)",
            "rationale": "Demo data: a made-up nomination.",
        },
    )
