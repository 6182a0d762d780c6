"""Demo webinars and nominations on the themes the seed newsletter names.

Every person, title, text and link here is invented for local runs and
labelled as demo data; replay links are placeholders. Dates are relative to
today so that some webinars are upcoming and some already held.
"""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from community.models import Person
from community.services import person_find_or_create
from webinars.enums import (
    InvitationState,
    NominationStatus,
    RegistrationStatus,
    ReleaseState,
    WebinarKind,
)
from webinars.models import (
    HostVolunteer,
    Registration,
    SpeakerInvitation,
    SpeakerNomination,
    Topic,
    TopicSuggestion,
    Webinar,
    WebinarSpeaker,
)
from webinars.services import (
    nomination_set_status,
    webinar_create_from_nomination,
    webinar_reindex,
)

DEMO_NOTE = "\n\n*Demo data: this webinar, its speakers and links are invented for the demo site.*"

TOPICS = [
    (
        "deep-learning",
        "Deep learning",
        "Neural networks for physics data, from first steps to practice.",
    ),
    (
        "autonomous-experimentation",
        "Autonomous experimentation",
        "Closing the loop between models, instruments and decisions "
        "(APS sorting category 23.08.00).",
    ),
    (
        "data-science-education",
        "Data science education",
        "Teaching physicists to work with data (APS sorting category 23.07.00).",
    ),
    (
        "diversity-equity-inclusion",
        "Diversity, equity and inclusion",
        "How the community can become broader, and how data can show where it is not.",
    ),
]

PEOPLE = [
    ("demo-ana-okafor", "Ana Okafor (demo)", "Demo Institute of Technology"),
    ("demo-lukas-brandt", "Lukas Brandt (demo)", "Demo National Laboratory"),
    ("demo-mei-tanaka", "Mei Tanaka (demo)", "Demo University"),
    ("demo-rafael-souza", "Rafael Souza (demo)", "Demo State University"),
    ("demo-priya-raman", "Priya Raman (demo)", "Demo College"),
]

# slug, title, kind, days from today, minutes, topics, speakers, host, replay, cancelled, published
WEBINARS = [
    (
        "demo-deep-learning-tutorial",
        "Hands-on tutorial: your first neural network on detector data",
        WebinarKind.TUTORIAL,
        -150,
        120,
        ["deep-learning"],
        ["demo-ana-okafor", "demo-lukas-brandt"],
        "demo-priya-raman",
        "https://www.youtube.com/watch?v=DemoReplay1",
        False,
        True,
        412,
    ),
    (
        "demo-autonomous-experimentation-tutorial",
        "Hands-on tutorial: letting Bayesian optimisation run the experiment",
        WebinarKind.TUTORIAL,
        -90,
        90,
        ["autonomous-experimentation"],
        ["demo-mei-tanaka"],
        "demo-priya-raman",
        "https://vimeo.com/100000001",
        False,
        True,
        268,
    ),
    (
        "demo-data-science-education-tools",
        "Tools for teaching data science to physics students",
        WebinarKind.TALK,
        -35,
        60,
        ["data-science-education"],
        ["demo-rafael-souza"],
        "demo-ana-okafor",
        "https://www.youtube.com/watch?v=DemoReplay2",
        False,
        True,
        187,
    ),
    (
        "demo-ml-curriculum-panel",
        "Panel: where machine learning belongs in the physics curriculum",
        WebinarKind.PANEL,
        -12,
        60,
        ["data-science-education", "deep-learning"],
        ["demo-lukas-brandt", "demo-rafael-souza"],
        "demo-mei-tanaka",
        "",
        True,
        True,
        0,
    ),
    (
        "demo-dei-discussion",
        "Data science for diversity, equity and inclusion: what the numbers can and cannot tell us",
        WebinarKind.DISCUSSION,
        16,
        75,
        ["diversity-equity-inclusion"],
        ["demo-priya-raman", "demo-ana-okafor"],
        "demo-rafael-souza",
        "",
        False,
        True,
        0,
    ),
    (
        "demo-closed-loop-materials",
        "Closed-loop materials discovery in practice",
        WebinarKind.TALK,
        45,
        60,
        ["autonomous-experimentation"],
        ["demo-lukas-brandt"],
        "demo-mei-tanaka",
        "",
        False,
        True,
        0,
    ),
    (
        "demo-draft-uncertainty",
        "Uncertainty quantification for physics-informed networks (draft)",
        WebinarKind.TALK,
        80,
        60,
        ["deep-learning"],
        ["demo-mei-tanaka"],
        "",
        "",
        False,
        False,
        0,
    ),
]

DESCRIPTIONS = {
    WebinarKind.TUTORIAL: (
        "A live, hands-on session: bring a laptop with Python, follow along in a shared "
        "notebook and leave with working code you can adapt to your own data."
    ),
    WebinarKind.TALK: ("A talk followed by questions from the audience, moderated by the host."),
    WebinarKind.PANEL: "Short statements from each panellist, then an open discussion.",
    WebinarKind.DISCUSSION: (
        "An open conversation with the audience: how data science can reveal where our "
        "community is not yet diverse, equitable and inclusive — and what to do about it."
    ),
}


def _start(days: int) -> datetime:
    day = (timezone.now() + timedelta(days=days)).date()
    return datetime.combine(day, time(16, 0), tzinfo=UTC)


def _topics() -> dict[str, Topic]:
    topics = {}
    for slug, name, description in TOPICS:
        topics[slug], _ = Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description + " *(demo data)*"}
        )
    return topics


def _people() -> dict[str, Person]:
    people = {}
    for slug, name, affiliation in PEOPLE:
        people[slug] = person_find_or_create(
            name=name,
            slug=slug,
            details={
                "affiliation": f"{affiliation} (demo data)",
                "bio": "An invented speaker for the demo site (demo data).",
            },
            fill_blanks=True,
        )
    return people


# The one demo webinar that registers on this site (the other upcoming one shows the
# fallback: registration elsewhere), full, with a waiting list.
REGISTER_HERE = "demo-dei-discussion"
DEMO_CAPACITY = 5
DEMO_JOIN_URL = "https://example.org/join-demo-webinar"
# name, address, status: invented registrants (demo data).
REGISTRANTS = [
    ("Alex Rivera (demo)", "alex.rivera@demo.gds.example.org", RegistrationStatus.CONFIRMED),
    ("Bea Novak (demo)", "bea.novak@demo.gds.example.org", RegistrationStatus.CONFIRMED),
    ("Chidi Eze (demo)", "chidi.eze@demo.gds.example.org", RegistrationStatus.CONFIRMED),
    ("Dana Kim (demo)", "dana.kim@demo.gds.example.org", RegistrationStatus.CONFIRMED),
    ("Elif Demir (demo)", "elif.demir@demo.gds.example.org", RegistrationStatus.CONFIRMED),
    ("Farid Haddad (demo)", "farid.haddad@demo.gds.example.org", RegistrationStatus.WAITING),
    ("Greta Lund (demo)", "greta.lund@demo.gds.example.org", RegistrationStatus.WAITING),
    ("Hiro Sato (demo)", "hiro.sato@demo.gds.example.org", RegistrationStatus.PENDING),
]


def _registration_fields(slug: str, days: int) -> dict:
    if slug == REGISTER_HERE:
        return {"registration_url": "", "join_url": DEMO_JOIN_URL, "capacity": DEMO_CAPACITY}
    external = "" if days < 0 else "https://example.org/register-demo"
    return {"registration_url": external, "join_url": "", "capacity": None}


def _registrations() -> None:
    """Rows written directly, not through the services: the demo mails no one."""
    webinar = Webinar.objects.get(slug=REGISTER_HERE)
    # Queued in the past (an outside probe found them queued after the day it joined,
    # so newcomers went ahead of them), in the order listed.
    since = min(webinar.start_at - timedelta(days=10), timezone.now() - timedelta(days=2))
    for order, (name, email, status) in enumerate(REGISTRANTS):
        Registration.objects.update_or_create(
            webinar=webinar,
            email_key=canonical_email(email),
            defaults={
                "name": name,
                "email": email,
                "status": status,
                "queued_at": None
                if status == RegistrationStatus.PENDING
                else since + timedelta(minutes=order),
            },
        )


def _webinars(topics, people) -> None:
    ids = []
    for (
        slug,
        title,
        kind,
        days,
        minutes,
        topic_slugs,
        speakers,
        host,
        replay,
        cancelled,
        published,
        registrants,
    ) in WEBINARS:
        webinar, _ = Webinar.objects.update_or_create(
            slug=slug,
            defaults={
                "title": f"{title} (demo)",
                "kind": kind,
                "start_at": _start(days),
                "duration": timedelta(minutes=minutes),
                "description": DESCRIPTIONS[kind] + DEMO_NOTE,
                "host": people.get(host),
                "replay_url": replay,
                # Demo replays stand for the series' past ones, public before the
                # portal recorded releases (migration 0017).
                "replay_released_at": _start(days) if replay else None,
                "replay_release_note": "Public before the portal recorded releases (demo)"
                if replay
                else "",
                "is_cancelled": cancelled,
                "is_published": published,
                "registrant_count": registrants,
                **_registration_fields(slug, days),
                "slides_url": "https://example.org/demo-slides.pdf" if replay else "",
            },
        )
        webinar.topics.set([topics[t] for t in topic_slugs])
        WebinarSpeaker.objects.filter(webinar=webinar).exclude(person__slug__in=speakers).delete()
        for order, person_slug in enumerate(speakers):
            WebinarSpeaker.objects.update_or_create(
                webinar=webinar, person=people[person_slug], defaults={"order": order}
            )
        ids.append(webinar.pk)
    webinar_reindex(webinar_ids=ids)


# nominee, country, proposed title, status, woman, urm, outside US, days ago
NOMINATIONS = [
    (
        "Demo Nominee One",
        "DE",
        "Graph networks for particle tracking",
        NominationStatus.ACCEPTED,
        True,
        False,
        True,
        40,
    ),
    (
        "Demo Nominee Two",
        "BR",
        "Learning phase diagrams from data",
        NominationStatus.UNDER_REVIEW,
        True,
        True,
        True,
        30,
    ),
    (
        "Demo Nominee Three",
        "US",
        "Active learning at the beamline",
        NominationStatus.NEW,
        True,
        True,
        False,
        5,
    ),
    (
        "Demo Nominee Four",
        "IN",
        "Teaching statistics with real detector data",
        NominationStatus.INVITED,
        True,
        False,
        True,
        20,
    ),
    (
        "Demo Nominee Five",
        "NG",
        "Data science for solar physics",
        NominationStatus.DECLINED,
        False,
        True,
        True,
        60,
    ),
    (
        "Demo Nominee Six",
        "JP",
        "Reproducible notebooks for physics courses",
        NominationStatus.SCHEDULED,
        True,
        False,
        True,
        70,
    ),
]


def _nomination(model, *, lookup: dict, fields: dict, status: str, by: User):
    """A demo nomination with the timeline a real one has: sent by its nominator (status
    new, dated when it was made), then moved to `status` by the committee through the
    service. A second run refreshes the demo text and dates and records nothing: that
    is not an act of the committee."""
    nomination = model.objects.filter(**lookup).first()
    if nomination is None:
        nomination = model(**lookup, **fields)
        nomination._history_user = nomination.nominator
        nomination._history_date = nomination.created_at
        nomination.save()
    else:
        model.objects.filter(pk=nomination.pk).update(**fields)
    # Invented people: the demo tells no one of its statuses.
    nomination_set_status(nomination=nomination, status=status, by=by, notify=False)
    return nomination


def _nominations(topics) -> None:
    member = User.objects.get(email="member@demo.gds.example.org")
    committee = User.objects.get(email="webinars@demo.gds.example.org")
    for name, country, title, status, woman, urm, outside, days in NOMINATIONS:
        _nomination(
            SpeakerNomination,
            lookup={"nominator": member, "nominee_name": name},
            fields={
                "affiliation": "Demo Research Centre (demo data)",
                "country": country,
                "website": "https://example.org/demo-nominee",
                "proposed_title": f"{title} (demo)",
                "rationale": "An invented nomination for the demo site (demo data).",
                "assignee": committee if status != NominationStatus.NEW else None,
                "internal_notes": "Committee-only note (demo data).",
                "nominee_is_woman": woman,
                "nominee_is_urm": urm,
                "nominee_outside_us": outside,
                "created_at": timezone.now() - timedelta(days=days),
            },
            status=status,
            by=committee,
        )
    _nomination(
        TopicSuggestion,
        lookup={
            "nominator": member,
            "title": "Machine learning for gravitational-wave data (demo)",
        },
        fields={
            "description": "An introduction for newcomers, with a worked example (demo data).",
            "why_now": "Public data releases make this a good moment (demo data).",
        },
        status=NominationStatus.UNDER_REVIEW,
        by=committee,
    )
    volunteer = _nomination(
        HostVolunteer,
        lookup={"nominator": committee},
        fields={"availability": "Weekday afternoons, UTC (demo data)."},
        status=NominationStatus.ACCEPTED,
        by=committee,
    )
    volunteer.topics.set([topics["deep-learning"], topics["data-science-education"]])


def _speaker_mid_path() -> None:
    """The speaker's path half walked: the accepted "Demo Nominee One" has a draft
    webinar, was invited, accepted with a title, abstract and bio, and has not answered
    the recording release yet. Written directly, not through speaker_invite: the demo
    mails no one (for a local run, `webinars.speakers.invitation_url` in a shell gives
    the speaker's link)."""
    committee = User.objects.get(email="webinars@demo.gds.example.org")
    nomination = SpeakerNomination.objects.get(nominee_name="Demo Nominee One")
    if nomination.webinar_id is None:
        webinar_create_from_nomination(nomination=nomination, by=committee)
        nomination.refresh_from_db()
    webinar = Webinar.objects.get(pk=nomination.webinar_id)
    Webinar.objects.filter(pk=webinar.pk).update(description=DESCRIPTIONS["talk"] + DEMO_NOTE)
    slot = webinar.speaker_slots.select_related("person").first()
    if slot is None:
        return
    email = "demo-nominee-one@example.org"
    SpeakerInvitation.objects.update_or_create(
        webinar=webinar,
        person=slot.person,
        defaults={
            "nomination": nomination,
            "email": email,
            "email_key": canonical_email(email),
            "invited_by": committee,
            "invited_at": timezone.now() - timedelta(days=10),
            "proposed_start_at": _start(35),
            "message": "We would be delighted to hear about your work (demo data).",
            "state": InvitationState.ACCEPTED,
            "talk_title": "Graph networks for particle tracking (demo)",
            "abstract": "How graph neural networks follow particles through a detector "
            "(demo data: an invented abstract).",
            "bio": "An invented speaker for the demo site (demo data).",
            "accepts_proposed_date": True,
            "responded_at": timezone.now() - timedelta(days=3),
            "release": ReleaseState.PENDING,
        },
    )


def load(stdout) -> None:
    topics = _topics()
    people = _people()
    _webinars(topics, people)
    _registrations()
    _nominations(topics)
    _speaker_mid_path()
    stdout.write(f"Webinars: {len(WEBINARS)} demo webinars, {len(NOMINATIONS) + 2} nominations.")
