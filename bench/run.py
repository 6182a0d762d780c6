"""`make bench`: the portal under gunicorn, measured with wrk at scale 1 and scale 10.

Both scales are prepared first, each in its own fresh database (BENCH_DATABASE_URL
plus `_s1` / `_s10`, default gds_bench_s1 and gds_bench_s10 on the machine's
PostgreSQL: migrate, generate_bench_data), and each is served by its own gunicorn
started exactly as `make serve` starts it (DEBUG off, hashed static files, 2
workers), with BENCH_MODE=1 for the no-op ceiling page and the X-Bench-Queries header.
First the path members take (bench/signed_in.py): every public page as a signed-in
member (a real session per wrk connection), the member pages and the committee pages,
with the server's CPU per request read from /proc. Then the anonymous part: every page
at both scales back to back (the order alternates from page to page), so the ratio of
the two is taken within the same minute and a drifting machine cancels out: wrk, 16
connections, BENCH_SECONDS each, once as an anonymous reader gets the page (page cache
on) and once rendered afresh (X-Bench-Cold: the cache is skipped); then, per scale,
abstract submissions by logged-in members (sequential and 8 in parallel) and search
latency on 20 queries. One table per scale and part and the targets are printed, and
the run is appended to bench/RESULTS.md (BENCH_RESULTS names another file).

BENCH_PARTS chooses the parts (comma-separated): `anonymous` (the pages under the page
cache and uncached, submissions, search) and `signed-in`; both by default.
`BENCH_PARTS=signed-in` alone measures for about 10 minutes at BENCH_SECONDS=10
(generating both scales first adds about 6: BENCH_REUSE=1 skips that). BENCH_REUSE=1
keeps the databases a previous run left (gds_bench_s1 / _s10) instead of generating them
again, when they hold generated data (with the abstracts a previous anonymous part
submitted: compare such runs with each other, not with fresh ones); BENCH_SECONDS and
BENCH_SCALES are honoured.

Run as `python -m bench.run` from the project folder with GDS_ENV=local (the Makefile does),
so Django settings load env/local.env. The servers are in bench/server.py, the measurements
in bench/measures.py, the tables in bench/report.py.
"""

from __future__ import annotations

import os
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.measures import (
    COLD_SECONDS,
    SECONDS,
    ScaleResult,
    measure_page,
    measure_search,
    measure_submissions,
    pages,
)
from bench.report import machine, signed_table, signed_targets, table, targets
from bench.server import (
    BASE_PORT,
    CONNECTIONS,
    DATABASE_URL,
    ROOT,
    SCALES,
    at,
    fresh_database,
    manage,
    say,
    start_gunicorn,
)
from bench.signed_in import GROUP, measure_signed_in

RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "RESULTS.md"))
PARTS = {"anonymous", "signed-in"}
REUSE = os.environ.get("BENCH_REUSE", "") not in {"", "0", "false"}


def parts() -> set[str]:
    chosen = {p.strip() for p in os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",")}
    if not chosen or chosen - PARTS:
        raise SystemExit(f"BENCH_PARTS: a comma-separated choice of {sorted(PARTS)}")
    return chosen


def generated() -> bool:
    """Whether the current scale's database already holds generated data (BENCH_REUSE)."""
    from django.db import DatabaseError

    from accounts.models import User

    try:
        return User.objects.filter(email__startswith="member").exists()
    except DatabaseError:
        return False


def prepare(scale: int, index: int) -> ScaleResult:
    result = ScaleResult(scale, url=f"{DATABASE_URL}_s{scale}", port=BASE_PORT + 10 * index)
    with at(result):
        if REUSE and generated():
            say(f"\n== Scale {scale}: reusing {result.url} (BENCH_REUSE) ==")
            manage("migrate", "--noinput", "-v0")
            result.reused = True
            return result
        say(f"\n== Scale {scale}: fresh database, migrate, generate ==")
        fresh_database()
        manage("migrate", "--noinput", "-v0")
        started = time.monotonic()
        manage("generate_bench_data", "--scale", str(scale))
        result.generate_seconds = time.monotonic() - started
    return result


def measure(results: list[ScaleResult]) -> None:
    """Every page at every scale back to back, then the per-scale measurements of the
    anonymous part."""
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
            say(f"== Scale {result.scale}: search latency ==")
            result.search = measure_search()


def main() -> None:
    import django

    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
    django.setup()
    chosen = parts()
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
                result.server_pid = servers[-1].pid
        # Signed in first: the submissions of the anonymous part add abstracts (to the
        # committee's lists too) and sign members in.
        if "signed-in" in chosen:
            measure_signed_in(results)
        if "anonymous" in chosen:
            measure(results)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    sections = [
        f"## Run of {started:%Y-%m-%d %H:%M} UTC (commit {commit}; parts: "
        f"{', '.join(sorted(chosen))})",
        f"Machine: {machine()}. One gunicorn per scale, each with "
        f"{os.environ.get('WEB_CONCURRENCY', '2')} workers (the idle one waits); wrk with "
        f"{CONNECTIONS} connections for {SECONDS} s per page ({COLD_SECONDS} s uncached); "
        "each page measured at both scales back to back, so the scale-10/scale-1 ratios "
        "are taken within the same minute.",
    ]
    if "anonymous" in chosen:
        sections += [*[table(r) for r in results], "### Targets\n\n" + targets(results)]
    if "signed-in" in chosen:
        sections += [
            f"Signed in: wrk with {CONNECTIONS} threads and {CONNECTIONS} connections, each "
            "connection a different member's session (created through SESSION_ENGINE as a "
            f"login does); the no-op ceiling measured the same way, without a cookie, before "
            f"every {GROUP} pages, and each page divided by the ceiling of its group. CPU per "
            "request is the utime + stime that the gunicorn workers (and the PostgreSQL "
            "backends of the scale's database) spent during the wrk run, read from /proc, "
            "divided by the requests wrk made.",
            *[signed_table(r) for r in results],
            "### Targets (issue 20, signed in)\n\n" + signed_targets(results),
        ]
    report = "\n\n".join(sections)
    say("\n" + report)
    with RESULTS.open("a") as handle:
        handle.write("\n\n" + report + "\n")
    say(f"\nAppended to {RESULTS}.")


if __name__ == "__main__":
    main()
