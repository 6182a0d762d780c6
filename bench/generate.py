"""Large, realistic, reproducible data for the benchmark (demo data, all invented).

`BENCH_MODE=1 python manage.py generate_bench_data --scale N` (a devtools command)
calls `generate(scale=N, ...)`.
Scale 1 is about: 3,000 members, 40 newsletter issues x 12 articles with authors
and references, 3 meetings x 25 sorting categories, 2,000 abstracts with 3
authors each (titles and bodies from bench/abstracts.py, 1 % of them an earlier
abstract sent again; their likely duplicates found by the committee's check);
300 webinars with speakers and topics, 1,000 nominations and 2,000
questionnaire responses once those apps are installed (each part is skipped
when its app has no such models yet). Scale 10 is ten times each.

Everything comes from one seeded random generator, so two runs with the same
scale and seed produce the same rows. Rows go in with bulk_create in batches
(signals do not fire; the page cache is emptied once at the end), then the
whole database is ANALYZEd so the planner sees the data as production would.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.abstracts import Writer

BATCH = 2000
# Share of abstracts that are an earlier abstract of the same meeting sent again with a
# few words changed (bench/abstracts.py): what the committee's duplicate check catches.
RESUBMITTED = 0.01
# Abstracts per transaction of the duplicate check run after generating: a batch costs
# mostly its meetings' abstracts, so about a meeting's worth at a time (45 s at scale 10;
# 85 s in batches of 200).
CHECK_BATCH = 1000
PASSWORD = "bench-password-1"  # noqa: S105 -- bench database only; every generated member's password (bench database only)
EMAIL_DOMAIN = "bench.gds.example.org"

GIVEN = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Ben",
    "Carla",
    "Chen",
    "Dario",
    "Elena",
    "Emeka",
    "Farah",
    "Giulia",
    "Hana",
    "Ines",
    "Ivan",
    "Jia",
    "Jonas",
    "Kofi",
    "Lena",
    "Liam",
    "Maya",
    "Mei",
    "Nadia",
    "Omar",
    "Priya",
    "Rafael",
    "Sara",
    "Tariq",
    "Uma",
    "Wei",
    "Yara",
    "Zoe",
]
FAMILY = [
    "Abbott",
    "Bauer",
    "Castro",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kaur",
    "Kim",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Novak",
    "Mensah",
    "Silva",
]
PLACES = [
    "University of Maryland",
    "Harvard University",
    "Argonne National Laboratory",
    "ETH Zurich",
    "University of Tokyo",
    "Los Alamos National Laboratory",
    "MIT",
    "Stanford University",
    "University of Cape Town",
    "IIT Bombay",
    "CERN",
    "University of São Paulo",
    "Max Planck Institute for Intelligent Systems",
    "Lawrence Berkeley National Laboratory",
    "University of Toronto",
    "Flatiron Institute",
]
TOPICS = [
    "machine learning",
    "Bayesian inference",
    "neural networks",
    "materials discovery",
    "turbulence",
    "gravitational waves",
    "quantum many-body systems",
    "protein folding",
    "uncertainty quantification",
    "symbolic regression",
    "graph neural networks",
    "dimensionality reduction",
    "active learning",
    "physics-informed learning",
    "climate models",
    "particle tracking",
    "anomaly detection",
    "reinforcement learning",
    "Gaussian processes",
    "generative models",
    "time series",
    "inverse problems",
    "data curation",
    "reproducible workflows",
    "high-throughput experiments",
]
SENTENCES = [
    "We trained a model on {n} simulated samples of {t} and compared it with measurements.",
    "The approach combines {t} with {u}, keeping the physical symmetries explicit.",
    "Error bars come from an ensemble of {n} independently trained networks.",
    "A public notebook reproduces every figure from the raw data.",
    "Early results suggest that {t} can replace costly searches in {u}.",
    "The group met {n} times this year and welcomed many new student members.",
    "Benchmarks were run on shared hardware, so only ratios between methods are reported.",
    "Members interested in {t} are invited to join the discussion at the next meeting.",
    "This demo text was generated for load testing and describes no real result.",
    "Open data sets on {u} remain scarce, and sharing them is a priority for the community.",
    "The speakers contrasted {t} with classical estimators on {n} benchmark problems.",
    "We thank the volunteers who reviewed abstracts and organised the sessions on {u}.",
]


def _batched(rows: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Generator:
    def __init__(self, *, scale: int, seed: int, out: Callable[[str], None]):
        self.scale = scale
        self.random = random.Random(seed)
        self.out = out
        self.now = timezone.now().replace(microsecond=0)

    # --- helpers -----------------------------------------------------------------
    def model(self, label: str):
        app_label, name = label.split(".")
        return apps.all_models.get(app_label, {}).get(name.lower())

    def insert(self, label: str, rows: list) -> list:
        """bulk_create `rows` in batches, showing progress; returns them with their pks."""
        model = type(rows[0]) if rows else None
        started = time.monotonic()
        done = []
        for chunk in _batched(rows):
            done.extend(model.objects.bulk_create(chunk))
            self.out(f"\r  {label}: {len(done):,}/{len(rows):,}", ending="")
        self.out(f"\r  {label}: {len(rows):,} in {time.monotonic() - started:.1f} s")
        return done

    def name(self) -> str:
        return f"{self.random.choice(GIVEN)} {self.random.choice(FAMILY)}"

    def text(self, sentences: int) -> str:
        pick = self.random.choice
        parts = [
            pick(SENTENCES).format(n=self.random.randint(3, 5000), t=pick(TOPICS), u=pick(TOPICS))
            for _ in range(sentences)
        ]
        return " ".join(parts)

    def paragraphs(self, count: int) -> str:
        return "\n\n".join(self.text(self.random.randint(3, 6)) for _ in range(count))

    def doi(self) -> str:
        return (
            f"10.1103/PhysRevE.{self.random.randint(90, 110)}.{self.random.randint(10000, 99999)}"
        )

    def title(self) -> str:
        pick = self.random.choice
        pattern = pick(
            [
                "{T} for {u}",
                "Learning {u} with {t}",
                "{T} meets {u}",
                "Scalable {t} in {u}",
                "What {t} tells us about {u}",
            ]
        )
        t, u = pick(TOPICS), pick(TOPICS)
        return pattern.format(T=t.capitalize(), t=t, u=u)

    # --- parts ---------------------------------------------------------------------
    def members(self) -> list:
        User = self.model("accounts.User")
        EmailAddress = self.model("account.EmailAddress")
        stages = [c for c, _ in User._meta.get_field("career_stage").choices]
        password = make_password(PASSWORD)
        users = [
            User(
                email=f"member{i:06d}@{EMAIL_DOMAIN}",
                full_name=self.name(),
                affiliation=self.random.choice(PLACES),
                career_stage=self.random.choice(stages),
                password=password,
                date_joined=self.now - timedelta(days=self.random.randint(0, 3650)),
            )
            for i in range(3000 * self.scale)
        ]
        users = self.insert("members", users)
        self.insert(
            "verified addresses",
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )
        return users

    def people(self, count: int) -> list:
        Person = self.model("community.Person")
        people = []
        for i in range(count):
            name = self.name()
            people.append(
                Person(
                    name=name,
                    slug=f"{name.lower().replace(' ', '-')}-b{i}",
                    affiliation=self.random.choice(PLACES),
                    position=self.random.choice(
                        [
                            "Professor of Physics",
                            "Postdoctoral Fellow",
                            "Graduate student",
                            "Staff scientist",
                        ]
                    ),
                    bio=self.text(3),
                )
            )
        return self.insert("people", people)

    def newsletters(self, people: list) -> None:
        Issue, Article = self.model("newsletters.Issue"), self.model("newsletters.Article")
        Authorship = self.model("newsletters.Authorship")
        Reference = self.model("newsletters.Reference")
        kinds = [c for c, _ in Article._meta.get_field("kind").choices]
        seasons = ["winter", "spring", "summer", "fall"]
        count = 40 * self.scale
        first_year = self.now.year - (count + 3) // 4
        issues = []
        for i in range(count):
            year, season = first_year + i // 4, seasons[i % 4]
            published = datetime(year, 1 + 3 * (i % 4), 15, 12, tzinfo=UTC)
            issues.append(
                Issue(
                    title=f"{season.capitalize()} {year}",
                    slug=f"{season}-{year}",
                    season=season,
                    year=year,
                    volume=i // 4 + 1,
                    number=i % 4 + 1,
                    summary=self.text(2),
                    status="published",
                    published_at=min(published, self.now - timedelta(days=1)),
                )
            )
        issues = self.insert("newsletter issues", issues)
        articles = []
        for issue in issues:
            for order in range(12):
                title = self.title()
                articles.append(
                    Article(
                        issue=issue,
                        order=order,
                        kind=kinds[order % len(kinds)],
                        title=title,
                        slug=f"a{order}-{title.lower()[:40]}".replace(" ", "-"),
                        standfirst=self.text(1),
                        body=self.paragraphs(5),
                    )
                )
        articles = self.insert("articles", articles)
        authorships, references = [], []
        for article in articles:
            for order, person in enumerate(self.random.sample(people, self.random.randint(1, 3))):
                authorships.append(
                    Authorship(article=article, person=person, order=order, role=person.position)
                )
            for order in range(self.random.randint(2, 5)):
                references.append(
                    Reference(
                        article=article,
                        order=order,
                        citation=f"{self.name()} et al., {self.title()}, Phys. Rev. E "
                        f"{self.random.randint(90, 110)}, {self.random.randint(1, 9999)} "
                        f"({self.random.randint(2000, 2025)}).",
                        doi=self.doi(),
                    )
                )
        self.insert("authorships", authorships)
        self.insert("references", references)

    def meetings(self, people: list, members: list) -> None:
        Meeting = self.model("meetings.Meeting")
        Category = self.model("meetings.SortingCategory")
        Abstract = self.model("meetings.Abstract")
        Affiliation = self.model("meetings.Affiliation")
        Author = self.model("meetings.AbstractAuthor")
        Counter = self.model("meetings.ReferenceCounter")
        count = 3 * self.scale
        meetings = []
        for i in range(count):
            # The newest meeting's call is open now; the others are past.
            year = self.now.year + 1 - (count - 1 - i)
            opens = datetime(year - 1, 9, 1, tzinfo=UTC)
            closes = datetime(year - 1, 10, 25, 23, 59, tzinfo=UTC)
            if i == count - 1:
                opens, closes = self.now - timedelta(days=30), self.now + timedelta(days=30)
            meetings.append(
                Meeting(
                    name=f"APS March Meeting {year}",
                    slug=f"march-{year}",
                    kind="march",
                    year=year,
                    starts_on=date(year, 3, 4),
                    ends_on=date(year, 3, 8),
                    place="Demo Convention Center",
                    call_opens_at=opens,
                    call_closes_at=closes,
                    program_chair=self.random.choice(people),
                    description=self.paragraphs(2),
                )
            )
        meetings = self.insert("meetings", meetings)
        categories = []
        for meeting in meetings:
            for n in range(25):
                kind = "focus" if n % 3 == 0 else "standard"
                categories.append(
                    Category(
                        meeting=meeting,
                        code=f"{23 + n // 10:02d}.{n % 10 + 1:02d}.{n % 7 + 1:02d}",
                        title=self.title()[:200],
                        kind=kind,
                        accepts_contributed=True,
                        description=self.text(2),
                    )
                )
        categories = self.insert("sorting categories", categories)
        by_meeting: dict[int, list] = {}
        for category in categories:
            by_meeting.setdefault(category.meeting_id, []).append(category)
        abstracts, numbers, earlier = [], {}, {}
        writer = Writer(self.random)
        for i in range(2000 * self.scale):
            meeting = meetings[i % count]
            submitter = self.random.choice(members)
            state = self.random.choices(["submitted", "draft", "withdrawn"], [90, 7, 3])[0]
            reference = None
            if state != "draft":
                numbers[meeting.pk] = numbers.get(meeting.pk, 0) + 1
                reference = f"MAR{meeting.year % 100:02d}-{numbers[meeting.pk]:06d}"
            mine = earlier.setdefault(meeting.pk, [])
            if mine and self.random.random() < RESUBMITTED:
                title, body = writer.resubmission(*self.random.choice(mine))
            else:
                title, body = writer.title(), writer.body()
            mine.append((title, body))
            abstracts.append(
                Abstract(
                    meeting=meeting,
                    category=self.random.choice(by_meeting[meeting.pk]),
                    submitter=submitter,
                    state=state,
                    reference=reference,
                    title=title,
                    body=body,
                    presentation="either",
                    keywords=", ".join(self.random.sample(TOPICS, 3)),
                    submitted_at=None if state == "draft" else self.now - timedelta(days=i % 300),
                )
            )
        abstracts = self.insert("abstracts", abstracts)
        self.insert(
            "reference counters",
            [Counter(meeting_id=pk, last_number=n) for pk, n in numbers.items()],
        )
        affiliations = []
        for abstract in abstracts:
            for position, place in enumerate(self.random.sample(PLACES, 2), start=1):
                affiliations.append(Affiliation(abstract=abstract, name=place, position=position))
        affiliations = self.insert("abstract affiliations", affiliations)
        authors = []
        for index, abstract in enumerate(abstracts):
            for position in range(1, 4):
                authors.append(
                    Author(
                        abstract=abstract,
                        position=position,
                        name=self.name(),
                        email=f"coauthor{index}-{position}@{EMAIL_DOMAIN}",
                        is_presenting=position == 1,
                    )
                )
        authors = self.insert("abstract authors", authors)
        through = Author.affiliations.through
        links = [
            through(
                abstractauthor_id=author.pk, affiliation_id=affiliations[2 * (i // 3) + i % 2].pk
            )
            for i, author in enumerate(authors)
        ]
        self.insert("author affiliations", links)
        self.committee(meetings, abstracts, members)

    def committee(self, meetings: list, abstracts: list, members: list) -> None:
        Review = self.model("meetings.Review")
        Nomination = self.model("meetings.SpeakerNomination")
        if Review is None or Nomination is None:
            self.out("  (meetings committee side not installed yet: no reviews or nominations)")
            return
        from django.contrib.auth.models import Group

        from accounts.enums import Role

        # Twelve members form the Program committee; each abstract gets two reviews.
        reviewers = members[:12]
        Group.objects.get(name=Role.PROGRAM_COMMITTEE).user_set.add(*reviewers)
        type(members[0]).objects.filter(pk__in=[m.pk for m in reviewers]).update(is_staff=True)
        reviews = []
        for abstract in abstracts:
            if abstract.state != "submitted":
                continue
            for reviewer in self.random.sample(reviewers, 2):
                reviews.append(
                    Review(
                        abstract=abstract,
                        meeting_id=abstract.meeting_id,  # bulk_create does not call save()
                        reviewer=reviewer,
                        score=self.random.randint(1, 5),
                        comment=self.text(1),
                    )
                )
        self.insert("reviews", reviews)
        statuses = [c for c, _ in Nomination._meta.get_field("status").choices]
        self.insert(
            "meeting speaker nominations",
            [
                Nomination(
                    meeting=meetings[i % len(meetings)],
                    nominator=self.random.choice(members),
                    status=self.random.choice(statuses),
                    nominee_name=self.name(),
                    nominee_affiliation=self.random.choice(PLACES),
                    nominee_email=f"invitee{i}@{EMAIL_DOMAIN}",
                    talk_title=self.title(),
                    rationale=self.text(3),
                    nominee_outside_us=self.random.random() < 0.4,
                )
                for i in range(100 * len(meetings))
            ],
        )

    def webinars(self, people: list, members: list) -> None:
        Webinar = self.model("webinars.Webinar")
        if Webinar is None:
            self.out("  (webinars: not installed yet, skipped)")
            return
        from webinars.services import webinar_reindex

        Topic, Slot = self.model("webinars.Topic"), self.model("webinars.WebinarSpeaker")
        topics = self.insert(
            "webinar topics",
            [
                Topic(name=t.capitalize(), slug=t.replace(" ", "-"), description=self.text(2))
                for t in TOPICS
            ],
        )
        count = 300 * self.scale
        webinars = []
        for i in range(count):
            # Every two weeks back from a few weeks ahead: the newest five are upcoming.
            start = (self.now + timedelta(weeks=10 - 2 * i)).replace(hour=16, minute=0, second=0)
            held = start < self.now
            title = self.title()
            webinars.append(
                Webinar(
                    title=title,
                    slug=f"{title.lower().replace(' ', '-')[:100]}-{i}",
                    kind=self.random.choice(["talk", "talk", "tutorial", "panel"]),
                    start_at=start,
                    description=self.paragraphs(2),
                    host=self.random.choice(people),
                    replay_url=f"https://www.youtube.com/watch?v=demo{i:07d}" if held else "",
                    registrant_count=self.random.randint(20, 400),
                    is_published=i % 20 != 7,
                )
            )
        webinars = self.insert("webinars", webinars)
        slots, links = [], []
        through = Webinar.topics.through
        for webinar in webinars:
            for order, person in enumerate(self.random.sample(people, self.random.randint(1, 2))):
                slots.append(
                    Slot(webinar=webinar, person=person, order=order, talk_title=self.title())
                )
            for topic in self.random.sample(topics, self.random.randint(1, 3)):
                links.append(through(webinar_id=webinar.pk, topic_id=topic.pk))
        self.insert("webinar speakers", slots)
        self.insert("webinar topics links", links)
        started = time.monotonic()
        ids = [w.pk for w in webinars]
        for start in range(0, len(ids), 500):
            webinar_reindex(webinar_ids=ids[start : start + 500])
        self.out(f"  webinar search documents: {len(ids):,} in {time.monotonic() - started:.1f} s")
        self.nominations(members, topics, webinars)
        from django.contrib.auth.models import Group

        from accounts.enums import Role

        # Three members form the Webinar committee (they work in the admin).
        committee = members[12:15]
        Group.objects.get(name=Role.WEBINAR_COMMITTEE).user_set.add(*committee)
        type(members[0]).objects.filter(pk__in=[m.pk for m in committee]).update(is_staff=True)

    def nominations(self, members: list, topics: list, webinars: list) -> None:
        Speaker = self.model("webinars.SpeakerNomination")
        Suggestion = self.model("webinars.TopicSuggestion")
        Host = self.model("webinars.HostVolunteer")
        statuses = ["new", "new", "under_review", "invited", "accepted", "declined", "withdrawn"]
        total = 1000 * self.scale
        speakers, suggestions, hosts = [], [], []
        for i in range(total):
            common = {
                "nominator": self.random.choice(members),
                "status": self.random.choice(statuses),
                "created_at": self.now - timedelta(days=self.random.randint(0, 1500)),
            }
            if i % 10 < 6:
                speakers.append(
                    Speaker(
                        **common,
                        nominee_name=self.name(),
                        affiliation=self.random.choice(PLACES),
                        email=f"nominee{i}@{EMAIL_DOMAIN}",
                        proposed_title=self.title(),
                        rationale=self.text(3),
                        nominee_outside_us=self.random.random() < 0.4,
                    )
                )
            elif i % 10 < 9:
                suggestions.append(
                    Suggestion(**common, title=self.title(), description=self.text(3))
                )
            else:
                hosts.append(Host(**common, availability="Most Tuesday afternoons (demo data)."))
        speakers = self.insert("speaker nominations", speakers)
        self.insert("topic suggestions", suggestions)
        self.insert("host volunteers", hosts)
        through = Speaker.topics.through
        self.insert(
            "nomination topics",
            [
                through(speakernomination_id=n.pk, topic_id=self.random.choice(topics).pk)
                for n in speakers
            ],
        )

    def crrg(self, members: list) -> None:
        Questionnaire = self.model("crrg.Questionnaire")
        if Questionnaire is None:
            self.out("  (crrg: no questionnaire model yet, skipped)")
            return
        Group, Question = self.model("crrg.InterestGroup"), self.model("crrg.Question")
        Choice, Response = self.model("crrg.Choice"), self.model("crrg.Response")
        Answer, Pick = self.model("crrg.Answer"), self.model("crrg.AnswerChoice")
        Membership = self.model("crrg.InterestGroupMembership")
        groups = self.insert(
            "interest groups",
            [
                Group(
                    name=topic.capitalize(),
                    slug=f"bench-{topic.replace(' ', '-')}",
                    description=self.text(3),
                    order=i,
                )
                for i, topic in enumerate(TOPICS[:8])
            ],
        )
        survey = self.insert(
            "questionnaires",
            [
                Questionnaire(
                    title="CRRG member survey (demo)",
                    slug="bench-crrg-survey",
                    introduction=self.text(2),
                    opens_at=self.now - timedelta(days=400),
                    grants_membership=True,
                )
            ],
        )[0]
        kinds = ["multiple_choice", "single_choice", "scale", "yes_no", "long_text"]
        questions = self.insert(
            "questions",
            [
                Question(
                    questionnaire=survey,
                    order=i,
                    text=f"Question {i + 1}: {self.title()}?",
                    kind=kind,
                    required=i == 0,
                )
                for i, kind in enumerate(kinds)
            ],
        )
        choices = self.insert(
            "choices",
            [
                Choice(question=questions[0], order=i, label=g.name, interest_group=g)
                for i, g in enumerate(groups)
            ]
            + [
                Choice(question=questions[1], order=i, label=label)
                for i, label in enumerate(["Student", "Postdoc", "Faculty", "Industry"])
            ],
        )
        picks_by_group, memberships = {}, []
        responders = self.random.sample(members, min(2000 * self.scale, len(members)))
        responses = self.insert(
            "questionnaire responses",
            [
                Response(
                    questionnaire=survey,
                    user=user,
                    consent_contact=self.random.random() < 0.6,
                    consent_listed=self.random.random() < 0.3,
                    created_at=self.now - timedelta(days=self.random.randint(0, 400)),
                )
                for user in responders
            ],
        )
        answers, chosen = [], []
        for response in responses:
            picked = self.random.sample(choices[: len(groups)], self.random.randint(1, 3))
            chosen.append([*picked, self.random.choice(choices[len(groups) :])])
            answers += [
                Answer(response=response, question=questions[0]),
                Answer(response=response, question=questions[1]),
                Answer(response=response, question=questions[2], number=self.random.randint(1, 5)),
                Answer(
                    response=response, question=questions[3], boolean=self.random.random() < 0.5
                ),
                Answer(response=response, question=questions[4], text=self.text(2)),
            ]
            for choice in picked:
                picks_by_group.setdefault(choice.interest_group_id, set()).add(response.user_id)
        answers = self.insert("answers", answers)
        links = []
        for index, picked in enumerate(chosen):
            multiple, single = answers[5 * index], answers[5 * index + 1]
            links += [Pick(answer=multiple, choice=c) for c in picked[:-1]]
            links.append(Pick(answer=single, choice=picked[-1]))
        self.insert("answer choices", links)
        for group_id, user_ids in picks_by_group.items():
            memberships += [
                Membership(group_id=group_id, user_id=u, source="answers") for u in sorted(user_ids)
            ]
        self.insert("interest group memberships", memberships)

    def run(self) -> None:
        started = time.monotonic()
        with transaction.atomic():
            members = self.members()
            people = self.people(300 * self.scale)
            self.newsletters(people)
            self.meetings(people, members)
            self.webinars(people, members)
            self.crrg(members)
        # No explicit page-cache invalidation: every write above goes through the
        # connection's SQL watch (gds_portal.pagecache), which bumps it on commit.
        self.analyze()
        # After ANALYZE: the check's plans need the statistics of the new rows.
        self.likely_duplicates()
        self.out(f"Generated scale {self.scale} in {time.monotonic() - started:.0f} s.")

    def likely_duplicates(self) -> None:
        """The committee's duplicate check over every numbered abstract, as the
        check_duplicates worker would run it, in batches of its own transactions (an
        interrupted run is finished by `manage.py check_duplicates --all`)."""
        Abstract = self.model("meetings.Abstract")
        LikelyDuplicate = self.model("meetings.LikelyDuplicate")
        if LikelyDuplicate is None:
            return
        from meetings.services.duplicates import check_due, check_pending

        started, total, done = time.monotonic(), check_due().count(), 0
        while checked := check_pending(limit=CHECK_BATCH):
            done += checked
            elapsed = time.monotonic() - started
            self.out(
                f"\r  duplicate check: {done:,}/{total:,} abstracts, {elapsed:.0f} s", ending=""
            )
        pairs = LikelyDuplicate.objects.count() // 2
        elapsed = time.monotonic() - started
        per_abstract = 1000 * elapsed / max(done, 1)
        self.out(
            f"\r  duplicate check: {done:,} abstracts, {pairs:,} likely-duplicate pairs in "
            f"{elapsed:.1f} s ({per_abstract:.1f} ms an abstract)"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LikelyDuplicate._meta.db_table}, {Abstract._meta.db_table}")

    def analyze(self) -> None:
        """Give the planner statistics for the new rows, as autovacuum would in production.

        Without them PostgreSQL plans every query as if the tables were nearly empty
        (sequential scans and hash joins where an index lookup is right), and with
        autovacuum off or not yet run the benchmark measures those plans instead.
        """
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.out(f"  planner statistics: {time.monotonic() - started:.1f} s")


def generate(*, scale: int, seed: int, out: Callable[..., None]) -> None:
    Generator(scale=scale, seed=seed, out=out).run()
