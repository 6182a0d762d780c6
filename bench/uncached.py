"""Time the benchmarked pages rendered afresh, in-process, and explain their queries.

    GDS_ENV=local .venv/bin/python bench/uncached.py [--runs 20] [--explain]

Run it against a database filled by `BENCH_MODE=1 manage.py generate_bench_data --scale N`.
Each page is requested through Django's test Client with the page cache off
(PAGE_CACHE_SECONDS=0, which also makes `cached_fragment` compute every time)
and DEBUG off, the cache cleared before every request, one warm-up request
discarded; the median and the spread of `--runs` requests are printed with the
median CPU time of this process (the render without the database and without
time spent waiting for a busy machine's cores) and the page's query count.
With `--explain`, every query of one request is run again under
EXPLAIN (ANALYZE, BUFFERS) and summarised: execution time, buffers read, and
any sequential scan, sort or aggregate over more than a few hundred rows, which
is where a page's cost grows with the archive (`--verbose` prints the whole
plan of those). No network, no gunicorn: this
measures the render alone, so it complements `make bench` rather than replacing it.
Besides the public pages, the committee pages (`committee_pages`) are rendered for the
committee members `make bench` signs in as (never cached for anyone).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ["DEBUG"] = "false"
os.environ["STATIC_HASHED"] = "false"  # no collectstatic needed; same cost per page
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")

import django  # noqa: E402 -- the environment above must be set before Django loads

django.setup()

from django.core.cache import caches  # noqa: E402 -- after django.setup()
from django.db import connection  # noqa: E402 -- after django.setup()
from django.test import Client  # noqa: E402 -- after django.setup()
from django.test.utils import CaptureQueriesContext  # noqa: E402 -- after django.setup()

BIG_ROWS = 300  # a scan or sort over more rows than this is flagged


def pages() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import pages as bench_pages

    skipped = {"no-op ceiling", "no-op ceiling (again)", "search"}
    return [(name, path) for name, path in bench_pages() if name not in skipped]


def committee_pages() -> list[tuple[str, str, object]]:
    """The committee pages of issue 20 (item 4), each with the member `make bench` signs in
    as (bench/measures.py: the first generated member for the Program committee, the
    thirteenth for the Webinar committee): the dashboard, the review list and a review
    form of the newest meeting, the decisions page, the abstracts admin list and one
    abstract's admin page, and the webinar speaker nominations admin list."""
    from django.urls import reverse

    from accounts.models import User
    from meetings.models import Abstract, Meeting
    from meetings.selectors.reviews import committee_abstracts
    from webinars.models import SpeakerNomination

    members = User.objects.filter(email__startswith="member").order_by("email")
    member, webinars = members.first(), members[12:13].first()
    meeting = Meeting.objects.order_by("-starts_on").first()
    if member is None or meeting is None:
        return []
    first = committee_abstracts(meeting=meeting).first()
    slug = meeting.slug
    found: list[tuple[str, str, object]] = [
        ("dashboard", reverse("meetings:dashboard", args=[slug]), member),
        ("review list", reverse("meetings:review_list", args=[slug]), member),
        ("decisions", reverse("meetings:decisions", args=[slug]), member),
        ("admin abstracts", reverse("admin:meetings_abstract_changelist"), member),
    ]
    if first is not None:
        found.insert(2, ("review form", reverse("meetings:review", args=[slug, first.pk]), member))
    # One abstract of the current meeting that the member may open in the admin.
    shown = (
        Abstract.objects.filter(meeting=meeting, state="submitted")
        .exclude(submitter=member)
        .exclude(authors__email__iexact=member.email)
        .order_by("reference")
        .first()
    )
    if shown is not None:
        path = reverse("admin:meetings_abstract_change", args=[shown.pk])
        found.append(("admin abstract", path, member))
    if webinars is not None and SpeakerNomination.objects.exists():
        path = reverse("admin:webinars_speakernomination_changelist")
        found.append(("admin speaker noms", path, webinars))
    return found


def get(client: Client, path: str):
    for alias in caches:
        caches[alias].clear()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def timed(path: str, runs: int, user=None) -> tuple[float, float, float, float, int]:
    """Median, min and max wall time, median CPU time of this process (ms), queries."""
    client = client_for(user)
    get(client, path)  # warm-up: imports, template loading, connection
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        get(client, path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    return statistics.median(times), min(times), max(times), statistics.median(cpu), len(queries)


def walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def flags(plan: dict) -> list[str]:
    found = []
    for node in walk(plan):
        kind = node["Node Type"]
        rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
        if kind == "Seq Scan" and rows + removed > BIG_ROWS:
            found.append(f"seq scan {node['Relation Name']} ({rows + removed:,} rows read)")
        elif kind in {"Sort", "Incremental Sort"}:
            sorted_rows = node["Plans"][0].get("Actual Rows", 0)
            if sorted_rows > BIG_ROWS:
                found.append(f"sort of {sorted_rows:,} rows")
        elif kind in {"Aggregate", "HashAggregate", "GroupAggregate"}:
            inner = node["Plans"][0].get("Actual Rows", 0) * node["Plans"][0].get("Actual Loops", 1)
            if inner > BIG_ROWS:
                found.append(f"aggregate over {inner:,} rows")
    return found


def explain(path: str, *, verbose: bool, user=None) -> None:
    client = client_for(user)  # signed in first: the login's queries are not the page's
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    with connection.cursor() as cursor:
        for number, query in enumerate(queries.captured_queries, 1):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                print(f"    {number:2}. (not a SELECT) {sql[:90]}")
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            result = cursor.fetchone()[0]
            result = json.loads(result) if isinstance(result, str) else result
            plan = result[0]["Plan"]
            buffers = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
            notes = "; ".join(flags(plan)) or "bounded"
            print(
                f"    {number:2}. {result[0]['Execution Time']:7.2f} ms {buffers:6} buffers  "
                f"{notes}\n        {sql if verbose and notes != 'bounded' else sql[:150]}"
            )
            if verbose and notes != "bounded":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join("        | " + row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="full SQL and plan when flagged")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--committee", action="store_true", help="the committee pages only")
    args = parser.parse_args()
    public = [] if args.committee else [(n, p, None) for n, p in pages()]
    everything = public + committee_pages()
    chosen = [(n, p, u) for n, p, u in everything if not args.only or args.only in n]
    print(f"{'page':<20} {'p50 ms':>8} {'min':>7} {'max':>7} {'cpu p50':>7} {'queries':>7}  path")
    for name, path, user in chosen:
        p50, low, high, cpu, count = timed(path, args.runs, user)
        print(f"{name:<20} {p50:8.1f} {low:7.1f} {high:7.1f} {cpu:7.1f} {count:7}  {path}")
    if args.explain:
        for name, path, user in chosen:
            print(f"\n{name} ({path})")
            explain(path, verbose=args.verbose, user=user)


if __name__ == "__main__":
    main()
