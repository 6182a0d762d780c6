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

Each app's part is in bench/generators/<app>.py, the invented names, places and
sentences in bench/vocabulary.py.

Everything comes from one seeded random generator, so two runs with the same
scale and seed produce the same rows. Rows go in with bulk_create in batches
(signals do not fire; the page cache is emptied once at the end), then the
whole database is ANALYZEd so the planner sees the data as production would.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.generators import crrg, meetings, newsletters, webinars
from bench.vocabulary import EMAIL_DOMAIN, FAMILY, GIVEN, PLACES, SENTENCES, TOPICS

BATCH = 2000
# Abstracts per transaction of the duplicate check run after generating: a batch costs
# mostly its meetings' abstracts, so about a meeting's worth at a time: smaller batches
# compare each meeting again and again.
CHECK_BATCH = 1000
PASSWORD = "bench-password-1"  # noqa: S105 -- bench database only; every generated member's password (bench database only)


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

    def run(self) -> None:
        started = time.monotonic()
        with transaction.atomic():
            members = self.members()
            people = self.people(300 * self.scale)
            newsletters.generate(self, people)
            meetings.generate(self, people, members)
            webinars.generate(self, people, members)
            crrg.generate(self, members)
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
