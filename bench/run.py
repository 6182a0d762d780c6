"""`make bench`: the portal under gunicorn, measured with wrk at scale 1 and scale 10.

Both scales are prepared first, each in its own fresh database (BENCH_DATABASE_URL
plus `_s1` / `_s10`, default gds_bench_s1 and gds_bench_s10 on the machine's
PostgreSQL: migrate, generate_bench_data), and each is served by its own gunicorn
started exactly as `make serve` starts it (DEBUG off, hashed static files, 2
workers), with BENCH_MODE=1 for the no-op ceiling page and the X-Bench-Queries header.
Then every page is measured at both scales back to back (the order alternates
from page to page), so the ratio of the two is taken within the same minute and a
drifting machine cancels out: wrk, 16 connections, BENCH_SECONDS each, once as an
anonymous reader gets the page (page cache on) and once rendered afresh
(X-Bench-Cold: the cache is skipped). Then, per scale, abstract submissions by
logged-in members (sequential and 8 in parallel), the committees' list pages and
search latency on 20 queries. One table per scale and a table of the targets are
printed, and the run is appended to bench/RESULTS.md.

Run with GDS_ENV=local (the Makefile does), so Django settings load env/local.env.
"""

from __future__ import annotations

import http.client
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "RESULTS.md"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
COLD_SECONDS = int(os.environ.get("BENCH_COLD_SECONDS", "5"))
BASE_PORT = int(os.environ.get("BENCH_PORT", "8107"))
CONNECTIONS = 16
COMMITTEE_TIMEOUT = 60
# Timed requests per committee page at each scale (after one untimed, which also counts
# the queries): sequential, so each is one request's cost, not a queue.
COMMITTEE_RUNS = 15
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gds_bench")
# The scale being talked to: its database (for this process's ORM too) and its port.
_current = {"url": DATABASE_URL, "port": BASE_PORT}
SEARCHES = [
    "machine learning",
    "Bayesian inference",
    "neural networks",
    "turbulence",
    "gravitational waves",
    "protein folding",
    '"graph neural networks"',
    "materials discovery",
    "uncertainty quantification",
    "symbolic regression",
    "climate models",
    "anomaly detection",
    "Gaussian processes",
    "generative models",
    "inverse problems",
    "reproducible workflows",
    "active learning -climate",
    "quantum many-body systems",
    "time series OR turbulence",
    "data curation",
]


@dataclass
class Row:
    name: str
    path: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    queries: str = "?"
    cold_rps: float = 0.0
    cold_p50_ms: float = 0.0
    cold_queries: str = "?"
    status: int = 0


@dataclass
class ScaleResult:
    scale: int
    url: str = ""
    port: int = 0
    rows: list[Row] = field(default_factory=list)
    submissions: dict = field(default_factory=dict)
    search: dict = field(default_factory=dict)
    committee: dict = field(default_factory=dict)
    generate_seconds: float = 0.0


def say(message: str) -> None:
    print(message, flush=True)


def bench_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_current["url"],
        DEBUG="false",
        WHITENOISE_USE_FINDERS="false",
        BENCH_MODE="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
    )
    return env


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=bench_env(), check=True)


def fresh_database() -> None:
    import psycopg2

    url = _current["url"]
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(url.replace(parts.path, "/postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def start_gunicorn(log: Path) -> subprocess.Popen:
    # The same command line as `make serve`.
    command = [
        "gunicorn",
        "gds_portal.wsgi",
        "--bind",
        f"127.0.0.1:{_current['port']}",
        "--workers",
        os.environ.get("WEB_CONCURRENCY", "2"),
        "--access-logfile",
        "-",
        # Not in `make serve`: a slow uncached search under wrk's backlog must not get
        # a worker killed at gunicorn's default 30 s.
        "--timeout",
        "300",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=bench_env(), stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get("/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn did not answer on port {_current['port']}; see {log}")


def get(path: str, headers: dict | None = None, timeout: float = 300) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", _current["port"], timeout=timeout)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def timed_gets(path: str, headers: dict, runs: int, timeout: float = 300) -> tuple[list, int, dict]:
    """`runs` GETs one after another: each one's time in ms, and the last one's status and
    headers."""
    times = []
    for _ in range(runs):
        started = time.monotonic()
        status, answer, _ = get(path, headers, timeout)
        times.append(1000 * (time.monotonic() - started))
    return times, status, answer


def wrk(path: str, seconds: int, cold: bool = False) -> tuple[float, float, float, int]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if cold:
        command += ["-H", "X-Bench-Cold: 1"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{_current['port']}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, _ms(output, "50%"), _ms(output, "99%"), int(errors.group(1)) if errors else 0


def _ms(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def pages() -> list[tuple[str, str]]:
    """The pages measured, as (name, path), picked from the generated data."""
    from django.apps import apps

    from meetings.models import Meeting
    from newsletters.models import Issue

    issue = Issue.objects.visible().order_by("-year", "-published_at").first()
    article = issue.articles.order_by("order").first()
    meeting = Meeting.objects.order_by("-starts_on").first()
    chosen = [
        ("no-op ceiling", "/bench/ceiling/"),
        ("home", "/"),
        ("newsletter archive", "/newsletters/"),
        ("an issue", issue.get_absolute_url()),
        ("an article", article.get_absolute_url()),
    ]
    webinar_model = apps.all_models.get("webinars", {}).get("webinar")
    if webinar_model is not None:
        chosen.append(("webinar archive", "/webinars/"))
        webinar = webinar_model.objects.filter(is_published=True).order_by("-start_at").first()
        if webinar is not None:
            chosen.append(("a webinar", webinar.get_absolute_url()))
    chosen += [
        ("call page", meeting.get_call_url()),
        ("search", "/search/?" + urlencode({"q": "machine learning"})),
        ("no-op ceiling (again)", "/bench/ceiling/"),
    ]
    return chosen


def measure_page(name: str, path: str) -> Row:
    row = Row(name, path)
    for _ in range(8):  # warm: each worker fills its own local-memory page cache
        row.status, headers, _ = get(path)
    row.queries = headers.get("X-Bench-Queries", "?")
    _, cold_headers, _ = get(path, {"X-Bench-Cold": "1"})
    row.cold_queries = cold_headers.get("X-Bench-Queries", "?")
    row.rps, row.p50_ms, row.p99_ms, row.errors = wrk(path, SECONDS)
    row.cold_rps, row.cold_p50_ms, _, cold_errors = wrk(path, COLD_SECONDS, cold=True)
    row.errors += cold_errors
    get("/healthz")  # wait until the workers have drained wrk's last slow requests
    return row


# --- abstract submissions --------------------------------------------------------


def member_sessions(count: int, offset: int = 0) -> list[str]:
    """Session cookies for `count` generated members, created as a login would."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    keys = []
    members = User.objects.filter(email__startswith="member").order_by("email")
    for user in members[offset : offset + count]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


# Three authors sharing two affiliations, as on a typical abstract.
AFFILIATIONS = [
    "University of Maryland",
    "University of Maryland\nFlatiron Institute",
    "Flatiron Institute",
]


def submission_form(csrf: str, category: str, n: int) -> bytes:
    fields = {
        "csrfmiddlewaretoken": csrf,
        "token": str(uuid.uuid4()),
        "action": "submit",
        "category": category,
        "title": f"Benchmark abstract {n} on graph neural networks for turbulence",
        "body": "We measure how the portal copes with the night of an abstract deadline. " * 8,
        "presentation": "either",
        "funding": "Demo data for load testing.",
        "keywords": "benchmark, load, demo",
        "authors-TOTAL_FORMS": "3",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "30",
    }
    for i in range(3):
        fields |= {
            f"authors-{i}-name": f"Bench Author {n}-{i}",
            f"authors-{i}-email": f"bench{n}-{i}@bench.gds.example.org",
            f"authors-{i}-affiliations": AFFILIATIONS[i],
            f"authors-{i}-orcid": "",
        }
    fields["authors-0-is_presenting"] = "on"
    return urlencode(fields).encode()


def submit(path: str, session: str, category: str, n: int) -> tuple[int, int, float]:
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    connection = http.client.HTTPConnection("127.0.0.1", _current["port"], timeout=60)
    started = time.monotonic()
    connection.request(
        "POST",
        path,
        body=submission_form(csrf, category, n),
        headers={
            "Host": "127.0.0.1",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
        },
    )
    response = connection.getresponse()
    response.read()
    elapsed = time.monotonic() - started
    connection.close()
    return response.status, int(response.getheader("X-Bench-Queries", "-1")), elapsed


def measure_submissions() -> dict:
    from meetings.models import Meeting

    meeting = Meeting.objects.order_by("-starts_on").first()
    category = meeting.categories.filter(accepts_contributed=True).order_by("code").first().code
    path = f"/meetings/my/abstracts/new/{meeting.slug}/"
    sessions = member_sessions(64)
    counter = iter(range(10**9))
    lock = threading.Lock()
    results: list[tuple[int, int, float]] = []

    def worker(total: int, offset: int) -> None:
        for i in range(total):
            with lock:
                n = next(counter)
            outcome = submit(path, sessions[(offset + i) % len(sessions)], category, n)
            with lock:
                results.append(outcome)

    report = {}
    for label, threads, each in (("sequential", 1, 100), ("8 in parallel", 8, 40)):
        results.clear()
        started = time.monotonic()
        pool = [threading.Thread(target=worker, args=(each, t * 8)) for t in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.monotonic() - started
        statuses = [s for s, _, _ in results]
        queries = sorted({q for _, q, _ in results})
        latencies = sorted(t for _, _, t in results)
        report[label] = {
            "count": len(results),
            "per_second": len(results) / elapsed,
            "redirects": statuses.count(302),
            "other": len(statuses) - statuses.count(302),
            "queries": queries,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        }
        say(
            f"  submissions {label}: {report[label]['per_second']:.1f}/s, "
            f"{report[label]['redirects']}/{len(results)} accepted (302), queries {queries}"
        )
    return report


def measure_committee() -> dict:
    """The committees' list pages (logged in; never cached): status, queries, p50 ms."""
    from django.urls import NoReverseMatch, reverse

    from meetings.models import Meeting

    meeting = Meeting.objects.order_by("-starts_on").first()
    program, webinars = member_sessions(1, 0)[0], member_sessions(1, 12)[0]
    pages = [
        ("meetings: committee dashboard", "meetings:dashboard", {"slug": meeting.slug}, program),
        ("meetings: review list", "meetings:review_list", {"slug": meeting.slug}, program),
        (
            "meetings: nominations",
            "meetings:nominations",
            {"slug": meeting.slug},
            program,
        ),
        ("admin: abstracts", "admin:meetings_abstract_changelist", {}, program),
        (
            "admin: webinar speaker nominations",
            "admin:webinars_speakernomination_changelist",
            {},
            webinars,
        ),
    ]
    found = {}
    for name, url_name, kwargs, session in pages:
        try:
            path = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        try:
            status, headers, _ = get(path, {"Cookie": f"sessionid={session}"}, COMMITTEE_TIMEOUT)
        except TimeoutError:
            # A page that does not answer is a finding, not a reason to lose the run.
            found[name] = (path, f"no answer within {COMMITTEE_TIMEOUT} s", "?", None)
            say(f"  {name}: NO ANSWER within {COMMITTEE_TIMEOUT} s")
            continue
        # Then timed, one request after another as a committee member browses: the p50
        # at both scales says whether the page's cost grows with the data.
        times, _, _ = timed_gets(
            path, {"Cookie": f"sessionid={session}"}, COMMITTEE_RUNS, COMMITTEE_TIMEOUT
        )
        p50 = statistics.median(times)
        found[name] = (path, status, headers.get("X-Bench-Queries", "?"), p50)
        say(f"  {name}: {status}, {found[name][2]} queries, p50 {p50:.1f} ms")
    return found


def measure_search() -> dict:
    samples, per_query = [], {}
    for query in SEARCHES:
        path = "/search/?" + urlencode({"q": query})
        get(path, {"X-Bench-Cold": "1"})
        times, status, headers = timed_gets(path, {"X-Bench-Cold": "1"}, 5)
        per_query[query] = (statistics.median(times), headers.get("X-Bench-Queries", "?"), status)
        samples += times
    samples.sort()
    result = {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[int(0.99 * (len(samples) - 1))],
        "max_ms": samples[-1],
        "per_query": per_query,
    }
    say(
        f"  search (uncached, 20 queries x 5): p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms"
    )
    return result


# --- one scale -------------------------------------------------------------------


@contextmanager
def at(result: ScaleResult):
    """Talk to `result`'s scale: its gunicorn, and its database from this process too."""
    from django.db import connections

    connections.close_all()
    before = dict(_current)
    _current.update(url=result.url, port=result.port)
    connections["default"].settings_dict["NAME"] = urlsplit(result.url).path.lstrip("/")
    try:
        yield
    finally:
        connections.close_all()
        _current.update(before)


def prepare(scale: int, index: int) -> ScaleResult:
    result = ScaleResult(scale, url=f"{DATABASE_URL}_s{scale}", port=BASE_PORT + 10 * index)
    with at(result):
        say(f"\n== Scale {scale}: fresh database, migrate, generate ==")
        fresh_database()
        manage("migrate", "--noinput", "-v0")
        started = time.monotonic()
        manage("generate_bench_data", "--scale", str(scale))
        result.generate_seconds = time.monotonic() - started
    return result


def measure(results: list[ScaleResult]) -> None:
    """Every page at every scale back to back, then the per-scale measurements."""
    chosen = {}
    for result in results:
        with at(result):
            chosen[result.scale] = pages()
    say(f"\n== Pages (wrk, {CONNECTIONS} connections, {SECONDS} s each), scales interleaved ==")
    for index in range(len(chosen[results[0].scale])):
        # Alternate which scale goes first, so neither always measures a warmer machine.
        for result in results if index % 2 == 0 else results[::-1]:
            name, path = chosen[result.scale][index]
            with at(result):
                row = measure_page(name, path)
            result.rows.append(row)
            say(
                f"  scale {result.scale:>2} {name:22} {row.rps:7.0f} req/s  "
                f"p50 {row.p50_ms:6.2f} ms  cold {row.cold_rps:6.0f} req/s "
                f"p50 {row.cold_p50_ms:7.2f} ms  queries {row.queries}/{row.cold_queries}"
            )
    for result in results:
        with at(result):
            say(f"== Scale {result.scale}: abstract submissions ==")
            result.submissions = measure_submissions()
            say(f"== Scale {result.scale}: committee list pages ==")
            result.committee = measure_committee()
            say(f"== Scale {result.scale}: search latency ==")
            result.search = measure_search()


# --- report ----------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return (
        f"{socket.gethostname()}: {os.cpu_count()} CPUs ({cpu}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; "
        f"load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f} at the end of the run"
    )


def ceiling_rps(rows: list[Row]) -> float:
    """The ceiling, measured first and last: the mean of both, as the machine's load drifts."""
    runs = [r.rps for r in rows if r.name.startswith("no-op ceiling")]
    return sum(runs) / len(runs) if runs else 0.0


def table(result: ScaleResult) -> str:
    ceiling = ceiling_rps(result.rows)
    lines = [
        f"### Scale {result.scale} (data generated in {result.generate_seconds:.0f} s)",
        "",
        "| page | req/s | p50 ms | p99 ms | non-2xx/3xx | queries (cached / uncached) "
        "| ratio to ceiling (mean of both runs) "
        "| uncached req/s | uncached p50 ms | uncached ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result.rows:
        ratio = row.rps / ceiling if ceiling else 0
        cold_ratio = row.cold_rps / ceiling if ceiling else 0
        lines.append(
            f"| {row.name} (`{row.path}`) | {row.rps:.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f} "
            f"| {row.errors} | {row.queries} / {row.cold_queries} | {ratio:.2f} "
            f"| {row.cold_rps:.0f} | {row.cold_p50_ms:.2f} | {cold_ratio:.2f} |"
        )
    lines.append("")
    for label, s in result.submissions.items():
        lines.append(
            f"- Abstract submissions, {label}: {s['count']} complete abstracts (3 authors each), "
            f"{s['per_second']:.1f} submissions/s, {s['redirects']} accepted (302), "
            f"{s['other']} other; p50 {s['p50_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms; "
            f"queries per submission {s['queries']}"
        )
    for name, (path, status, queries, p50) in result.committee.items():
        timing = f", p50 {p50:.1f} ms ({COMMITTEE_RUNS} requests)" if p50 is not None else ""
        lines.append(
            f"- Committee list, {name} (`{path}`): HTTP {status}, {queries} queries{timing}"
        )
    search = result.search
    if search:
        lines.append(
            f"- Search, uncached, 20 queries x 5 requests: p50 {search['p50_ms']:.1f} ms, "
            f"p99 {search['p99_ms']:.1f} ms, max {search['max_ms']:.1f} ms"
        )
        worst = sorted(search["per_query"].items(), key=lambda item: -item[1][0])[:3]
        lines.append(
            "  (slowest medians: "
            + "; ".join(f"`{q}` {ms:.1f} ms, {queries} queries" for q, (ms, queries, _) in worst)
            + ")"
        )
    return "\n".join(lines)


def _growth(large: float, small: float) -> float:
    return large / small if small else 0.0


def targets(results: list[ScaleResult]) -> str:
    by_scale = {r.scale: r for r in results}
    if 1 not in by_scale or 10 not in by_scale:
        return "(targets need both scale 1 and scale 10)"
    small, large = by_scale[1], by_scale[10]
    ceiling = ceiling_rps(large.rows)

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    lines = [
        "| page | ratio to ceiling at scale 10 (≥ 0.5) | p50 scale 10 / scale 1 (≤ 1.1) "
        "| uncached p50 scale 10 / scale 1 (≤ 1.1) | queries uncached (≤ 10) |",
        "|---|---|---|---|---|",
    ]
    for row in large.rows:
        if row.name.startswith("no-op ceiling"):
            continue
        before = next(r for r in small.rows if r.name == row.name)
        ratio = row.rps / ceiling
        growth = _growth(row.p50_ms, before.p50_ms)
        cold_growth = _growth(row.cold_p50_ms, before.cold_p50_ms)
        queries_ok = row.cold_queries.isdigit() and int(row.cold_queries) <= 10
        lines.append(
            f"| {row.name} | {ratio:.2f} {verdict(ratio >= 0.5)} "
            f"| {growth:.2f} {verdict(growth <= 1.1)} "
            f"| {cold_growth:.2f} {verdict(cold_growth <= 1.1)} "
            f"| {row.cold_queries} {verdict(queries_ok)} |"
        )
    for name, (_, status, queries, p50) in large.committee.items():
        few = queries.isdigit() and int(queries) <= 20
        small_p50 = small.committee.get(name, (None, None, None, None))[3]
        if p50 is not None and small_p50:
            growth = _growth(p50, small_p50)
            flat = f"; p50 scale 10 / scale 1 {growth:.2f} ({verdict(growth <= 1.1)} ≤ 1.1)"
        else:
            flat = "; p50 not measured at both scales (NOT MET)"
        lines.append(
            f"\nCommittee list {name} (scale 10): HTTP {status}, {queries} queries "
            f"({verdict(few)} ≤ 20){flat}"
        )
    for label, s in large.submissions.items():
        fast = s["per_second"] >= 50
        few = max(s["queries"]) <= 15
        lines.append(
            f"\nSubmissions ({label}, scale 10): {s['per_second']:.1f}/s "
            f"({verdict(fast)} ≥ 50/s), queries {s['queries']} ({verdict(few)} ≤ 15)"
        )
    if small.search and large.search:
        growth = _growth(large.search["p50_ms"], small.search["p50_ms"])
        lines.append(
            f"\nSearch, uncached, 20 queries: p50 {small.search['p50_ms']:.1f} ms at scale 1, "
            f"{large.search['p50_ms']:.1f} ms at scale 10 ({growth:.2f}, {verdict(growth <= 1.1)} "
            "≤ 1.1)"
        )
    return "\n".join(lines)


def main() -> None:
    import django

    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    started = datetime.now(UTC)
    results = [prepare(scale, index) for index, scale in enumerate(SCALES)]
    manage("collectstatic", "--noinput", "-v0")
    servers = []
    try:
        for result in results:
            with at(result):
                log = ROOT / "var" / f"bench-gunicorn-{result.scale}.log"
                log.parent.mkdir(exist_ok=True)
                servers.append(start_gunicorn(log))
        measure(results)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report = "\n\n".join(
        [
            f"## Run of {started:%Y-%m-%d %H:%M} UTC (commit {commit})",
            f"Machine: {machine()}. One gunicorn per scale, each with "
            f"{os.environ.get('WEB_CONCURRENCY', '2')} workers (the idle one waits); wrk with "
            f"{CONNECTIONS} connections for {SECONDS} s per page ({COLD_SECONDS} s uncached); "
            "each page measured at both scales back to back, so the scale-10/scale-1 ratios "
            "are taken within the same minute.",
            *[table(r) for r in results],
            "### Targets\n\n" + targets(results),
        ]
    )
    say("\n" + report)
    with RESULTS.open("a") as handle:
        handle.write("\n\n" + report + "\n")
    say(f"\nAppended to {RESULTS}.")


if __name__ == "__main__":
    main()
