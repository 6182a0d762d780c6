"""Demo webinars and nominations on the themes the seed newsletter names.

Every person, title, text and link here is invented for local runs and
labelled as demo data; replay links are placeholders. Dates are relative to
today so that some webinars are upcoming and some already held.
"""

import csv
import io
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from community.models import Person
from community.services import person_find_or_create
from gds_portal.models import SiteConfiguration
from webinars.attendance import attendance_import
from webinars.enums import (
    CommentStatus,
    InvitationState,
    NominationStatus,
    RegistrationStatus,
    ReleaseState,
    WebinarKind,
)
from webinars.models import (
    AnnouncementSubscription,
    Feedback,
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

# slug, title, kind, days from today, minutes, topics, speakers, host, replay, cancelled, published,
# replay views (invented, entered as the committee would from the video host's statistics)
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
        1450,
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
        980,
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
        620,
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
        None,
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
        None,
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
        None,
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
        None,
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


# The held webinars' attendance, imported from invented platform reports as the
# committee would (webinars.attendance): a pool of invented people, each webinar's
# report listing an overlapping slice, so the series' distinct people (1,060, the scale
# of the seed's "over 1,000 unique registrants") are fewer than the sum of the reports.
# The last held webinar registered people on this site too; the report matches them.
ATTENDANCE_REPORTS = [
    ("demo-deep-learning-tutorial", range(0, 520)),
    ("demo-autonomous-experimentation-tutorial", range(370, 740)),
    ("demo-data-science-education-tools", range(640, 1060)),
]
REGISTERED_HERE = "demo-data-science-education-tools"


def _attendee(n: int) -> tuple[str, str]:
    return f"Demo Attendee {n}", f"attendee{n}@demo.gds.example.org"


def _report(people: range) -> str:
    """A Zoom-style registration report: a preamble, then one row per registrant."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Attendee Report (demo data)"])
    writer.writerow([])
    writer.writerow(["Attended", "User Name (Original Name)", "Email", "Time in Session (minutes)"])
    for n in people:
        name, email = _attendee(n)
        came = n % 3 != 0  # two in three came
        writer.writerow(["Yes" if came else "No", name, email, 40 + n % 30 if came else ""])
    return out.getvalue()


def _attendance() -> None:
    webinar = Webinar.objects.get(slug=REGISTERED_HERE)
    since = webinar.start_at - timedelta(days=14)
    # Twelve people of the last report registered here first (rows written directly:
    # the demo mails no one); the import then finds and marks those who came.
    for order, n in enumerate(range(1048, 1060)):
        name, email = _attendee(n)
        Registration.objects.update_or_create(
            webinar=webinar,
            email_key=canonical_email(email),
            defaults={
                "name": name,
                "email": email,
                "status": RegistrationStatus.CONFIRMED,
                "queued_at": since + timedelta(minutes=order),
            },
        )
    for slug, people in ATTENDANCE_REPORTS:
        attendance_import(webinar=Webinar.objects.get(slug=slug), text=_report(people))


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
        views,
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
                # portal recorded releases (migration 0019).
                "replay_released_at": _start(days) if replay else None,
                "replay_release_note": "Public before the portal recorded releases (demo)"
                if replay
                else "",
                "is_cancelled": cancelled,
                "is_published": published,
                "replay_views": views,
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


# The held webinar with attendees' feedback, and the invented attendees (demo data):
# name, address, rating, comment, moderation.
FEEDBACK_ON = "demo-data-science-education-tools"
ATTENDEES = [
    (
        "Ines Moreau (demo)",
        "ines.moreau@demo.gds.example.org",
        5,
        "The worked notebook made it easy to try in my own course (demo data).",
        CommentStatus.APPROVED,
    ),
    (
        "Jonas Berg (demo)",
        "jonas.berg@demo.gds.example.org",
        4,
        "Useful tools; a few more minutes for questions would help (demo data).",
        CommentStatus.APPROVED,
    ),
    ("Kemal Aydin (demo)", "kemal.aydin@demo.gds.example.org", 4, "", CommentStatus.PENDING),
    (
        "Lena Fischer (demo)",
        "lena.fischer@demo.gds.example.org",
        3,
        "Could the slides be shared before the talk next time? (demo data)",
        CommentStatus.PENDING,
    ),
]
# The GDS YouTube channel as the seed newsletter gives it (Summer 2020), without the
# two parameters of YouTube's own page view (?reload=9&view_as=subscriber).
SEED_YOUTUBE_CHANNEL = "https://www.youtube.com/channel/UCfPG-nSsgnFeWuzgPcbKlCw"


def _feedback() -> None:
    """Attended registrations with feedback, written directly (the demo mails no one:
    the thank-you mail counts as sent). Two comments approved, one awaiting moderation."""
    webinar = Webinar.objects.get(slug=FEEDBACK_ON)
    for name, email, rating, comment, status in ATTENDEES:
        registration, _ = Registration.objects.update_or_create(
            webinar=webinar,
            email_key=canonical_email(email),
            defaults={
                "name": name,
                "email": email,
                "status": RegistrationStatus.CONFIRMED,
                "queued_at": webinar.start_at - timedelta(days=7),
                "attended_at": webinar.end_at,
                "feedback_request_at": webinar.end_at + timedelta(hours=1),
            },
        )
        Feedback.objects.update_or_create(
            registration=registration,
            defaults={
                "rating": rating,
                "comment": comment,
                "comment_status": status,
                "created_at": webinar.end_at + timedelta(days=1),
                "updated_at": webinar.end_at + timedelta(days=1),
            },
        )


def _announcements() -> None:
    """The demo member asked for announcements; the demo webinars count as announced
    already, so the worker started by `make run` mails no one about them."""
    member = User.objects.get(email="member@demo.gds.example.org")
    AnnouncementSubscription.objects.get_or_create(user=member)
    demo_webinars = Webinar.objects.filter(slug__in=[w[0] for w in WEBINARS])
    demo_webinars.filter(announced_at__isnull=True).update(announced_at=timezone.now())


def _youtube_channel() -> None:
    # A real fact of the seed, not demo data; a link the committee set is kept.
    config = SiteConfiguration.get_solo()
    if not config.youtube_url:
        config.youtube_url = SEED_YOUTUBE_CHANNEL
        config.save(update_fields=["youtube_url"])


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
    _feedback()
    _announcements()
    _youtube_channel()
    _attendance()
    _nominations(topics)
    _speaker_mid_path()
    stdout.write(f"Webinars: {len(WEBINARS)} demo webinars, {len(NOMINATIONS) + 2} nominations.")
