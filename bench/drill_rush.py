#!/usr/bin/env python
"""Deadline rush drill: N members submit complete abstracts in the last minute of a call.

    make drill-rush MEMBERS=5000
    ... --kill-connections   (terminate every app connection twice during the rush)

Uses its own database (<current database>_drill, recreated and migrated), pre-creates
the members with verified addresses and logged-in sessions (written straight into the
session table), starts gunicorn as `make serve` does (2 workers), and fires the
submissions under bounded concurrency with a lean asyncio HTTP/1.1 client (a few
hundred microseconds of CPU per request, so the simulated members take as little as
possible of the cores the server runs on). Each member has one idempotency token and
retries any 5xx or connection error with it. About 5 % submit deliberately after the
close. Prints: accepted, refused as late, lost (first sent before the close but not
stored), doubled, 5xx/connection errors before retry, p50/p95/p99 latency, and where
the CPU went (gunicorn workers and the drill's client per request, the machine's load).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx  # only to wait for the server to come up

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.backup import connect, database_name, with_database  # noqa: E402

RETRY_PAUSE = 0.2
MAX_ATTEMPTS = 50


@dataclass
class Member:
    id: int
    email: str
    session: str
    token: uuid.UUID = field(default_factory=uuid.uuid4)
    at: float = 0.0  # seconds after the rush starts
    first_sent: float | None = None
    final: int | None = None
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # seconds after the start, per request


def recreate_database(url: str) -> None:
    admin = connect(with_database(url, "postgres"))
    admin.autocommit = True
    name = database_name(url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def prepare(members: int, rush: float, late: float) -> tuple[list[Member], str, float]:
    """Members with sessions, and a meeting whose call closes `rush` s from now."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.models import User
    from meetings.models import Meeting, SortingCategory

    users = User.objects.bulk_create(
        User(
            email=f"rush{n}@drill.example.org",
            full_name=f"Member {n}",
            password="!",  # noqa: S106 -- Django's unusable-password marker; no one logs in
        )
        for n in range(members)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions, result = [], []
    backend = "django.contrib.auth.backends.ModelBackend"
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        result.append(Member(user.pk, user.email, key))
    Session.objects.bulk_create(sessions, batch_size=1000)
    now = timezone.now()
    meeting = Meeting.objects.create(
        name="Drill Meeting",
        slug="drill",
        kind="march",
        year=2021,
        starts_on=(now + timedelta(days=60)).date(),
        ends_on=(now + timedelta(days=64)).date(),
        is_virtual=True,
        time_zone="America/New_York",
        call_opens_at=now - timedelta(days=30),
        call_closes_at=now + timedelta(seconds=rush),
        title_max_length=300,
        body_max_length=2000,
    )
    SortingCategory.objects.create(
        meeting=meeting,
        code="23.01.01",
        title="Big Data in Physics",
        kind="focus",
        accepts_contributed=True,
    )
    # 0.2 s early: a send the drill counts as on time is never one the server calls late.
    close_in = (meeting.call_closes_at - timezone.now()).total_seconds() - 0.2
    random.seed(10)
    for member in result:
        if random.random() < 0.05:  # deliberately late: 1 to `late` s after the close
            member.at = close_in + random.uniform(1.0, late)
        else:  # in the last minute, at least a second before the close
            member.at = random.uniform(max(close_in - 60, 0.5), close_in - 1.0)
    return result, meeting.slug, close_in


def form(member: Member, csrf: str) -> dict:
    n = member.id
    return {
        "csrfmiddlewaretoken": csrf,
        "token": str(member.token),
        "action": "submit",
        "category": "23.01.01",
        "title": f"Learning phase transitions, part {n}",
        "body": f"We study $E = mc^2$ in system {n}.\r\nSecond line of the abstract.",
        "presentation": "either",
        "funding": "",
        "keywords": "phases, learning",
        "authors-TOTAL_FORMS": "2",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "30",
        "authors-0-name": f"Rush Member {n}",
        "authors-0-email": member.email,
        "authors-0-affiliations": "Drill University",
        "authors-0-is_presenting": "on",
        "authors-1-name": "Ana Coauthor",
        "authors-1-affiliations": "Drill University\r\nLab B",
    }


class NoAnswer(Exception):
    """The connection failed or closed before a status line came back."""


async def post(port: int, path: str, body: bytes, cookie: str, timeout: float = 30) -> int:
    """One POST on its own connection; the response's status code."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, TimeoutError) as error:
        raise NoAnswer(str(error)) from error
    try:
        writer.write(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
            ).encode()
            + body
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # the rest, until the server closes
        return int(status_line.split()[1])
    except (OSError, TimeoutError, IndexError, ValueError) as error:
        raise NoAnswer(str(error) or type(error).__name__) from error
    finally:
        writer.close()


async def submit(
    port: int, path: str, gate: asyncio.Semaphore, member: Member, start: float
) -> None:
    await asyncio.sleep(max(0.0, start + member.at - time.monotonic()))
    csrf = secrets.token_hex(16)  # a 32-character secret is its own unmasked token
    cookie = f"sessionid={member.session}; csrftoken={csrf}"
    body = urlencode(form(member, csrf)).encode()
    for _ in range(MAX_ATTEMPTS):
        async with gate:
            sent = time.monotonic()
            if member.first_sent is None:
                member.first_sent = sent - start
            try:
                status = await post(port, path, body, cookie)
            except NoAnswer:
                member.errors += 1
                await asyncio.sleep(RETRY_PAUSE)
                continue
            finally:
                member.latencies.append(time.monotonic() - sent)
                member.sent_at.append(sent - start)
        if status >= 500:
            member.errors += 1
            await asyncio.sleep(RETRY_PAUSE)
            continue
        member.final = status
        return


async def kill_connections(url: str, start: float, times: list[float], killed: list[int]):
    for at in times:
        await asyncio.sleep(max(0.0, start + at - time.monotonic()))
        connection = connect(url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            killed.append(cursor.fetchone()[0])
        connection.close()


async def rush(members, port, path, concurrency, drill_url, kill_at) -> tuple[float, list[int]]:
    gate = asyncio.Semaphore(concurrency)
    killed: list[int] = []
    start = time.monotonic()
    tasks = [submit(port, path, gate, m, start) for m in members]
    if kill_at:
        tasks.append(kill_connections(drill_url, start, kill_at, killed))
    began = time.monotonic()
    await asyncio.gather(*tasks)
    return time.monotonic() - began, killed


# --- where the CPU went ----------------------------------------------------------


def cpu_of_children(parent: int) -> float:
    """CPU seconds used so far by the processes whose parent is `parent` (the workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(parent):  # ppid; utime and stime follow at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


@dataclass
class CpuSample:
    workers: float
    client: float
    busy: tuple[int, int]

    @classmethod
    def take(cls, server: subprocess.Popen) -> CpuSample:
        own = os.times()
        return cls(cpu_of_children(server.pid), own.user + own.system, machine_busy())


def start_gunicorn(port: int, drill_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": drill_url,
        "DEBUG": "false",
        "STATIC_HASHED": "false",
        "WHITENOISE_USE_FINDERS": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "gds_portal.settings",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "gds_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not come up")


def report(
    members: list[Member],
    close_in: float,
    seconds: float,
    killed: list[int],
    before: CpuSample,
    after: CpuSample,
) -> dict:
    from django.db.models import Count

    from meetings.models import Abstract

    stored = dict(
        Abstract.objects.filter(state="submitted")
        .values_list("submitter_id")
        .annotate(n=Count("id"))
    )
    from meetings.models import Meeting

    closes_at = Meeting.objects.get(slug="drill").call_closes_at
    late_ids = set(
        Abstract.objects.filter(submitted_at__gte=closes_at).values_list("submitter_id", flat=True)
    )
    on_time = [m for m in members if m.first_sent is not None and m.first_sent < close_in]
    on_time_ids = {m.id for m in on_time}
    latencies = sorted(x for m in members for x in m.latencies)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    figures = {
        "members": len(members),
        "sent before the close": len(on_time),
        "sent after the close": len(members) - len(on_time),
        "accepted": sum(1 for m in members if stored.get(m.id)),
        "refused as late": sum(1 for m in members if m.final == 409),
        "lost": sum(1 for m in on_time if not stored.get(m.id)),
        "doubled": sum(1 for n in stored.values() if n > 1),
        "accepted late": len(
            late_ids | {m.id for m in members if m.id not in on_time_ids and stored.get(m.id)}
        ),
        "5xx/connection errors before retry": sum(m.errors for m in members),
        "connections terminated": killed,
        "requests": len(latencies),
        "p50 ms": round(q[49] * 1000),
        "p95 ms": round(q[94] * 1000),
        "p99 ms": round(q[98] * 1000),
        "rush seconds": round(seconds, 1),
        "gunicorn workers' CPU ms per request": round(
            1000 * (after.workers - before.workers) / max(len(latencies), 1), 1
        ),
        "drill client's CPU ms per request": round(
            1000 * (after.client - before.client) / max(len(latencies), 1), 1
        ),
        "machine CPU busy during the rush %": round(
            100 * (after.busy[0] - before.busy[0]) / max(after.busy[1] - before.busy[1], 1)
        ),
    }
    for name, value in figures.items():
        print(f"{name:>36}: {value}")
    print_timeline(members)
    return figures


def print_timeline(members: list[Member], window: float = 5.0) -> None:
    """Requests and p95 per `window` seconds of sending: shows when a slow spell happened
    (a stall after killed connections looks different from a machine that is short of CPU
    all along)."""
    buckets: dict[int, list[float]] = {}
    for member in members:
        for at, latency in zip(member.sent_at, member.latencies, strict=True):
            buckets.setdefault(int(at // window), []).append(latency)
    cells = []
    for index in sorted(buckets):
        values = sorted(buckets[index])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        cells.append(f"{index * window:.0f}s:{len(values)}/{1000 * p95:.0f}ms")
    print(f"{'requests/p95 per ' + str(int(window)) + ' s sent':>36}: " + "  ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--kill-connections", action="store_true")
    args = parser.parse_args()
    # Refusals (409) and every request would otherwise be logged line by line.
    for name in ("httpx", "django.request"):
        logging.getLogger(name).setLevel(logging.ERROR)
    base = os.environ["DATABASE_URL"]
    drill_url = with_database(base, f"{database_name(base)}_drill")
    os.environ["DATABASE_URL"] = drill_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
    print(f"Drill database {database_name(drill_url)}: recreating and migrating …")
    recreate_database(drill_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    server = start_gunicorn(args.port, drill_url)
    # Stopping the drill (kill, Ctrl-C) also stops its gunicorn, through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        # close_in is measured once the members are ready, just before the rush starts.
        members, slug, close_in = prepare(args.members, rush=65, late=8)
        print(f"{len(members)} members ready; the call closes in {close_in:.0f} s.")
        path = f"/meetings/my/abstracts/new/{slug}/"
        kill_at = [close_in - 40, close_in - 15] if args.kill_connections else []
        before = CpuSample.take(server)
        seconds, killed = asyncio.run(
            rush(members, args.port, path, args.concurrency, drill_url, kill_at)
        )
        after = CpuSample.take(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    from django.db import connections

    connections.close_all()
    figures = report(members, close_in, seconds, killed, before, after)
    ok = figures["lost"] == figures["doubled"] == figures["accepted late"] == 0
    print("targets (0 lost, 0 doubled, 0 accepted late):", "met" if ok else "MISSED")
    print("p95 <= 300 ms:", "met" if figures["p95 ms"] <= 300 else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
