"""Benchmark data for meetings: meetings, sorting categories, abstracts with authors and
affiliations, and the Program committee's reviews and speaker nominations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bench.abstracts import Writer
from bench.vocabulary import EMAIL_DOMAIN, PLACES, TOPICS

if TYPE_CHECKING:
    from bench.generate import Generator

# Share of abstracts that are an earlier abstract of the same meeting sent again with a
# few words changed (bench/abstracts.py): what the committee's duplicate check catches.
RESUBMITTED = 0.01


def generate(g: Generator, people: list, members: list) -> None:
    Meeting = g.model("meetings.Meeting")
    Category = g.model("meetings.SortingCategory")
    Abstract = g.model("meetings.Abstract")
    Affiliation = g.model("meetings.Affiliation")
    Author = g.model("meetings.AbstractAuthor")
    Counter = g.model("meetings.ReferenceCounter")
    count = 3 * g.scale
    meetings = []
    for i in range(count):
        # The newest meeting's call is open now; the others are past.
        year = g.now.year + 1 - (count - 1 - i)
        opens = datetime(year - 1, 9, 1, tzinfo=UTC)
        closes = datetime(year - 1, 10, 25, 23, 59, tzinfo=UTC)
        if i == count - 1:
            opens, closes = g.now - timedelta(days=30), g.now + timedelta(days=30)
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
                program_chair=g.random.choice(people),
                description=g.paragraphs(2),
            )
        )
    meetings = g.insert("meetings", meetings)
    categories = []
    for meeting in meetings:
        for n in range(25):
            kind = "focus" if n % 3 == 0 else "standard"
            categories.append(
                Category(
                    meeting=meeting,
                    code=f"{23 + n // 10:02d}.{n % 10 + 1:02d}.{n % 7 + 1:02d}",
                    title=g.title()[:200],
                    kind=kind,
                    accepts_contributed=True,
                    description=g.text(2),
                )
            )
    categories = g.insert("sorting categories", categories)
    by_meeting: dict[int, list] = {}
    for category in categories:
        by_meeting.setdefault(category.meeting_id, []).append(category)
    abstracts, numbers, earlier = [], {}, {}
    writer = Writer(g.random)
    for i in range(2000 * g.scale):
        meeting = meetings[i % count]
        submitter = g.random.choice(members)
        state = g.random.choices(["submitted", "draft", "withdrawn"], [90, 7, 3])[0]
        reference = None
        if state != "draft":
            numbers[meeting.pk] = numbers.get(meeting.pk, 0) + 1
            reference = f"MAR{meeting.year % 100:02d}-{numbers[meeting.pk]:06d}"
        mine = earlier.setdefault(meeting.pk, [])
        if mine and g.random.random() < RESUBMITTED:
            title, body = writer.resubmission(*g.random.choice(mine))
        else:
            title, body = writer.title(), writer.body()
        mine.append((title, body))
        abstracts.append(
            Abstract(
                meeting=meeting,
                category=g.random.choice(by_meeting[meeting.pk]),
                submitter=submitter,
                state=state,
                reference=reference,
                title=title,
                body=body,
                presentation="either",
                keywords=", ".join(g.random.sample(TOPICS, 3)),
                submitted_at=None if state == "draft" else g.now - timedelta(days=i % 300),
            )
        )
    abstracts = g.insert("abstracts", abstracts)
    g.insert(
        "reference counters",
        [Counter(meeting_id=pk, last_number=n) for pk, n in numbers.items()],
    )
    affiliations = []
    for abstract in abstracts:
        for position, place in enumerate(g.random.sample(PLACES, 2), start=1):
            affiliations.append(Affiliation(abstract=abstract, name=place, position=position))
    affiliations = g.insert("abstract affiliations", affiliations)
    authors = []
    for index, abstract in enumerate(abstracts):
        for position in range(1, 4):
            authors.append(
                Author(
                    abstract=abstract,
                    position=position,
                    name=g.name(),
                    email=f"coauthor{index}-{position}@{EMAIL_DOMAIN}",
                    is_presenting=position == 1,
                )
            )
    authors = g.insert("abstract authors", authors)
    through = Author.affiliations.through
    links = [
        through(abstractauthor_id=author.pk, affiliation_id=affiliations[2 * (i // 3) + i % 2].pk)
        for i, author in enumerate(authors)
    ]
    g.insert("author affiliations", links)
    _committee(g, meetings, abstracts, members)


def _committee(g: Generator, meetings: list, abstracts: list, members: list) -> None:
    Review = g.model("meetings.Review")
    Nomination = g.model("meetings.SpeakerNomination")
    if Review is None or Nomination is None:
        g.out("  (meetings committee side not installed yet: no reviews or nominations)")
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
        for reviewer in g.random.sample(reviewers, 2):
            score = g.random.randint(1, 5)
            reviews.append(
                Review(
                    abstract=abstract,
                    meeting_id=abstract.meeting_id,  # bulk_create does not call save()
                    reviewer=reviewer,
                    score=score,
                    weighted_score=score,  # nor derives this: a single-score review
                    confidence=g.random.randint(1, 3),
                    comment=g.text(1),
                )
            )
    g.insert("reviews", reviews)
    statuses = [c for c, _ in Nomination._meta.get_field("status").choices]
    g.insert(
        "meeting speaker nominations",
        [
            Nomination(
                meeting=meetings[i % len(meetings)],
                nominator=g.random.choice(members),
                status=g.random.choice(statuses),
                nominee_name=g.name(),
                nominee_affiliation=g.random.choice(PLACES),
                nominee_email=f"invitee{i}@{EMAIL_DOMAIN}",
                talk_title=g.title(),
                rationale=g.text(3),
                nominee_outside_us=g.random.random() < 0.4,
            )
            for i in range(100 * len(meetings))
        ],
    )
