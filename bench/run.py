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
    measure_committee,
    measure_page,
    measure_search,
    measure_submissions,
    pages,
)
from bench.report import machine, table, targets
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

RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "RESULTS.md"))


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


def main() -> None:
    import django

    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
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
