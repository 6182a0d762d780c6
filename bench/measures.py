"""What a `make bench` run measures at one scale: the public pages under wrk, abstract
submissions by logged-in members and search latency (the signed-in pages and the
committees' pages are in bench/signed_in.py)."""

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

from bench.server import CSRF_COOKIE, SESSION_COOKIE, current, get, say, timed_gets, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
COLD_SECONDS = int(os.environ.get("BENCH_COLD_SECONDS", "5"))
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
    # Committee page name -> (path, status, queries, p50 ms, worker and backend CPU ms per
    # request): bench/signed_in.py.
    committee: dict = field(default_factory=dict)
    generate_seconds: float = 0.0
    reused: bool = False  # BENCH_REUSE: the data of an earlier run
    server_pid: int = 0
    # The signed-in pages and the ceilings measured before each group (bench/signed_in.py).
    signed: list = field(default_factory=list)
    signed_ceilings: list = field(default_factory=list)


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


def signed_in(user) -> tuple[str, str]:
    """A session key and CSRF secret for `user`, signed in as a login does:
    django.contrib.auth.login on a request whose session is the configured SESSION_ENGINE's
    store, so the session row (and its cached copy under cached_db), the rotated CSRF
    secret and the last_login update are what a real sign-in leaves; through the backend
    allauth signs members in with."""
    import logging
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.test import RequestFactory

    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    # django-axes logs every sign-in (from loggers under "axes"): a line per session would
    # bury the bench's output.
    axes = logging.getLogger("axes")
    level = axes.level
    axes.setLevel(logging.WARNING)
    try:
        login(request, user, backend=login_backend())
    finally:
        axes.setLevel(level)
    request.session.save()
    return request.session.session_key, request.META.get("CSRF_COOKIE") or secrets.token_hex(16)


def login_backend() -> str:
    """The backend members sign in through (allauth's), as a session records it."""
    from django.conf import settings

    backends = settings.AUTHENTICATION_BACKENDS
    return next((b for b in backends if "allauth" in b), backends[-1])


def login_cookies(users: list) -> list[str]:
    """A `Cookie` header for each of `users`, signed in (signed_in())."""
    cookies = []
    for user in users:
        session, csrf = signed_in(user)
        cookies.append(f"{SESSION_COOKIE}={session}; {CSRF_COOKIE}={csrf}")
    return cookies


def member_sessions(count: int, offset: int = 0) -> list[str]:
    """Session keys for `count` generated members, signed in as a login would."""
    from accounts.models import User

    members = User.objects.filter(email__startswith="member").order_by("email")
    return [signed_in(user)[0] for user in members[offset : offset + count]]


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
            "Cookie": f"{SESSION_COOKIE}={session}; {CSRF_COOKIE}={csrf}",
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
