"""Benchmark data for webinars: webinars with speakers and topics, the members'
nominations, topic suggestions and host volunteers, and the Webinar committee."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from bench.vocabulary import EMAIL_DOMAIN, PLACES, TOPICS

if TYPE_CHECKING:
    from bench.generate import Generator


def generate(g: Generator, people: list, members: list) -> None:
    Webinar = g.model("webinars.Webinar")
    if Webinar is None:
        g.out("  (webinars: not installed yet, skipped)")
        return
    from webinars.services import webinar_reindex

    Topic, Slot = g.model("webinars.Topic"), g.model("webinars.WebinarSpeaker")
    topics = g.insert(
        "webinar topics",
        [
            Topic(name=t.capitalize(), slug=t.replace(" ", "-"), description=g.text(2))
            for t in TOPICS
        ],
    )
    count = 300 * g.scale
    webinars = []
    for i in range(count):
        # Every two weeks back from a few weeks ahead: the newest five are upcoming.
        start = (g.now + timedelta(weeks=10 - 2 * i)).replace(hour=16, minute=0, second=0)
        held = start < g.now
        title = g.title()
        webinars.append(
            Webinar(
                title=title,
                slug=f"{title.lower().replace(' ', '-')[:100]}-{i}",
                kind=g.random.choice(["talk", "talk", "tutorial", "panel"]),
                start_at=start,
                description=g.paragraphs(2),
                host=g.random.choice(people),
                replay_url=f"https://www.youtube.com/watch?v=demo{i:07d}" if held else "",
                replay_views=g.random.randint(50, 2000) if held else None,
                replay_released_at=start if held else None,  # shown: release recorded
                is_published=i % 20 != 7,
            )
        )
    webinars = g.insert("webinars", webinars)
    slots, links = [], []
    through = Webinar.topics.through
    for webinar in webinars:
        for order, person in enumerate(g.random.sample(people, g.random.randint(1, 2))):
            slots.append(Slot(webinar=webinar, person=person, order=order, talk_title=g.title()))
        for topic in g.random.sample(topics, g.random.randint(1, 3)):
            links.append(through(webinar_id=webinar.pk, topic_id=topic.pk))
    g.insert("webinar speakers", slots)
    g.insert("webinar topics links", links)
    started = time.monotonic()
    ids = [w.pk for w in webinars]
    for start in range(0, len(ids), 500):
        webinar_reindex(webinar_ids=ids[start : start + 500])
    g.out(f"  webinar search documents: {len(ids):,} in {time.monotonic() - started:.1f} s")
    _nominations(g, members, topics, webinars)
    from django.contrib.auth.models import Group

    from accounts.enums import Role

    # Three members form the Webinar committee (they work in the admin).
    committee = members[12:15]
    Group.objects.get(name=Role.WEBINAR_COMMITTEE).user_set.add(*committee)
    type(members[0]).objects.filter(pk__in=[m.pk for m in committee]).update(is_staff=True)


def _nominations(g: Generator, members: list, topics: list, webinars: list) -> None:
    Speaker = g.model("webinars.SpeakerNomination")
    Suggestion = g.model("webinars.TopicSuggestion")
    Host = g.model("webinars.HostVolunteer")
    statuses = ["new", "new", "under_review", "invited", "accepted", "declined", "withdrawn"]
    total = 1000 * g.scale
    speakers, suggestions, hosts = [], [], []
    for i in range(total):
        common = {
            "nominator": g.random.choice(members),
            "status": g.random.choice(statuses),
            "created_at": g.now - timedelta(days=g.random.randint(0, 1500)),
        }
        if i % 10 < 6:
            speakers.append(
                Speaker(
                    **common,
                    nominee_name=g.name(),
                    affiliation=g.random.choice(PLACES),
                    email=f"nominee{i}@{EMAIL_DOMAIN}",
                    proposed_title=g.title(),
                    rationale=g.text(3),
                    nominee_outside_us=g.random.random() < 0.4,
                )
            )
        elif i % 10 < 9:
            suggestions.append(Suggestion(**common, title=g.title(), description=g.text(3)))
        else:
            hosts.append(Host(**common, availability="Most Tuesday afternoons (demo data)."))
    speakers = g.insert("speaker nominations", speakers)
    g.insert("topic suggestions", suggestions)
    g.insert("host volunteers", hosts)
    through = Speaker.topics.through
    g.insert(
        "nomination topics",
        [through(speakernomination_id=n.pk, topic_id=g.random.choice(topics).pk) for n in speakers],
    )
