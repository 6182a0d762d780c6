"""What a `make bench` run measures at one scale: the public pages under wrk, abstract
submissions by logged-in members, the committees' list pages and search latency."""

from __future__ import annotations

import http.client
import os
import secrets
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.server import current, get, say, timed_gets, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
COLD_SECONDS = int(os.environ.get("BENCH_COLD_SECONDS", "5"))
COMMITTEE_TIMEOUT = 60
# Timed requests per committee page at each scale (after one untimed, which also counts
# the queries): sequential, so each is one request's cost, not a queue.
COMMITTEE_RUNS = 15
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


def pages() -> list[tuple[str, str]]:
    """The pages measured, as (name, path), picked from the generated data."""
    from django.apps import apps

    from meetings.models import Meeting
    from newsletters.models import Issue

    issue = Issue.objects.visible().order_by("-year", "-published_at").first()
    # Articles have their own review state: a draft one answers 404 to readers.
    article = issue.articles.visible().order_by("order").first()
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
    connection = http.client.HTTPConnection("127.0.0.1", current["port"], timeout=60)
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
