#!/usr/bin/env python
"""Where the signed-in pages spend their CPU: cProfile over each page `make bench` measures
signed in (issue 20), rendered in-process.

    GDS_ENV=local .venv/bin/python bench/profile_pages.py [--scale 1 | --database-url URL]
        [--only NAME] [--runs 10] [--top 15] [--cold]
    make profile [PROFILE_ARGS="--scale 10 --only call"]

The database: `--database-url`, else the bench's database of `--scale` (BENCH_DATABASE_URL
plus `_sN`, as `make bench` leaves it: gds_bench_s1 / gds_bench_s10), else DATABASE_URL from
the environment, else the scale-1 bench database. Any database with members works: the
pages and the people are chosen as `make bench` chooses them (bench/signed_in.py), and a
page the data cannot give is left out.

Each page is requested through Django's test Client, signed in with force_login (the
configured SESSION_ENGINE) as the persona `make bench` uses for it (a member, a member yet
to answer the questionnaire, a Program or Webinar committee member), with DEBUG off.
Signed-in requests never come from the anonymous page cache; content fragments are cached
as in production (PAGE_CACHE_SECONDS as configured), or, with `--cold`, every cache is
cleared before each request. One request warms up; then `--runs` requests are timed
(this process's CPU time: the render without the database server and without waiting for
a busy machine's cores), one more counts the queries, and `--runs` more run under
cProfile, whose overhead the CPU figure does not carry. Per page: CPU ms per request,
wall ms, queries, the share of own time in project code, libraries and builtins, and
the top functions by own and by cumulative time, each marked project / library / builtin.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import sysconfig
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_BENCH_URL = "postgres://postgres@127.0.0.1:5432/gds_bench"
KINDS = ("project", "library", "builtin")
CHAIN = 0.9
LIBRARY_ROOTS = {
    Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib", "stdlib")
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, help="the bench database of this scale")
    parser.add_argument("--database-url", help="any database (wins over --scale)")
    parser.add_argument("--only", help="profile only pages whose name contains this")
    parser.add_argument("--runs", type=int, default=10, help="requests timed and profiled")
    parser.add_argument("--top", type=int, default=15, help="functions listed per ranking")
    parser.add_argument("--cold", action="store_true", help="clear every cache before each")
    parser.add_argument(
        "--wall", action="store_true", help="profile wall time (with the database's) not CPU"
    )
    return parser.parse_args()


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return args.database_url
    bench = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_URL)
    if args.scale is not None:
        return f"{bench}_s{args.scale}"
    return os.environ.get("DATABASE_URL") or f"{bench}_s1"


def setup(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = database_url(args)
    os.environ["DEBUG"] = "false"
    os.environ["STATIC_HASHED"] = "false"  # no collectstatic needed; same cost per page
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
    # WhiteNoise looks for the collected static files, which profiling does not need.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()


# --- requests ------------------------------------------------------------------------


def request(client, path: str, cold: bool):
    from django.core.cache import caches

    if cold:
        for alias in caches:
            caches[alias].clear()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    # "hit" is the anonymous cache; member-hit / member-miss are the pages signed-in
    # members share (gds_portal/sharedpages.py), which is what a member gets.
    if response.get("X-Page-Cache") == "hit":
        raise RuntimeError(f"{path} came from the anonymous page cache: not signed in?")
    return response


def clients() -> dict:
    """A test Client per persona, signed in as its first person."""
    import logging

    from django.test import Client

    from bench.measures import login_backend
    from bench.signed_in import personas

    signed_in = {}
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
    for persona, users in personas(1).items():
        if users:
            client = Client()
            client.force_login(users[0], backend=login_backend())
            signed_in[persona] = client
    return signed_in


def count_queries(client, path: str, cold: bool) -> int:
    """The statements one request runs, counted as the bench's X-Bench-Queries counts them
    (devtools.middleware.QueryCountMiddleware)."""
    from django.db import connection

    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        request(client, path, cold)
    return count


def measure(client, path: str, runs: int, cold: bool, timer) -> dict:
    request(client, path, cold)  # warm-up: imports, templates, connection
    cpu, wall = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        request(client, path, cold)
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    queries = count_queries(client, path, cold)
    profiler = cProfile.Profile(timer)
    for _ in range(runs):
        profiler.enable()
        request(client, path, cold)
        profiler.disable()
    return {
        "cpu_ms": statistics.median(cpu),
        "wall_ms": statistics.median(wall),
        "queries": queries,
        "stats": pstats.Stats(profiler),
        "timer": "wall" if timer is time.perf_counter else "CPU",
    }


# --- the report ------------------------------------------------------------------------


def origin(filename: str) -> tuple[str, str]:
    """("project" | "library" | "builtin", a short file name)."""
    if filename.startswith("<") or filename == "~":
        return "builtin", filename
    path = Path(filename).resolve()
    for root in LIBRARY_ROOTS:
        if path.is_relative_to(root):
            return "library", str(path.relative_to(root))
    if path.is_relative_to(ROOT):
        return "project", str(path.relative_to(ROOT))
    return "library", filename


def label(key: tuple) -> tuple[str, str]:
    filename, line, function = key
    kind, short = origin(filename)
    if kind == "builtin":
        return kind, function
    return kind, f"{short}:{line}({function})"


def shares(stats: pstats.Stats) -> dict[str, float]:
    own: dict[str, float] = {"project": 0.0, "library": 0.0, "builtin": 0.0}
    for key, (_, _, tottime, _, _) in stats.stats.items():
        own[label(key)[0]] += tottime
    total = sum(own.values()) or 1.0
    return {kind: 100 * value / total for kind, value in own.items()}


def ranking(
    stats: pstats.Stats, column: int, runs: int, top: int, kinds: tuple = KINDS
) -> list[str]:
    """The `top` functions of `kinds` by own time (column 2) or cumulative time (column 3),
    in ms per request. By cumulative time, the chain every request passes through (the
    test client, the handler, each middleware: over CHAIN of the whole) is left out, as
    it says only what the total already says."""
    total = max(cumtime for _, _, _, cumtime, _ in stats.stats.values())
    rows = [
        (key, row)
        for key, row in stats.stats.items()
        if label(key)[0] in kinds and (column == 2 or row[3] < CHAIN * total)
    ]
    rows = sorted(rows, key=lambda item: -item[1][column])[:top]
    lines = [f"    {'own ms':>8} {'cum ms':>8} {'calls':>7}  {'code':8} function"]
    for key, (_, calls, tottime, cumtime, _) in rows:
        kind, where = label(key)
        lines.append(
            f"    {1000 * tottime / runs:8.2f} {1000 * cumtime / runs:8.2f} "
            f"{calls // runs:7}  {kind:8} {where}"
        )
    return lines


def report(name: str, path: str, persona: str, found: dict, runs: int, top: int) -> str:
    split = shares(found["stats"])
    lines = [
        f"\n== {name} ({path}) as {persona}: {found['cpu_ms']:.1f} ms CPU per request "
        f"(median of {runs}), {found['wall_ms']:.1f} ms wall, {found['queries']} queries",
        f"   own {found['timer']} time (profiled): project {split['project']:.0f} %, libraries "
        f"{split['library']:.0f} %, builtins {split['builtin']:.0f} %",
        f"  top {top} by own time (per request):",
        *ranking(found["stats"], 2, runs, top),
        f"  top {top} by cumulative time (per request; the request's own chain left out):",
        *ranking(found["stats"], 3, runs, top),
        f"  top {top} project functions by cumulative time (per request):",
        *ranking(found["stats"], 3, runs, top, kinds=("project",)),
    ]
    return "\n".join(lines)


def main() -> int:
    args = arguments()
    setup(args)
    from django.conf import settings

    from bench.signed_in import CEILING, signed_in_pages

    database = settings.DATABASES["default"]["NAME"]
    caches = "every cache cleared before each request" if args.cold else "fragments cached"
    print(f"Database {database}; sessions {settings.SESSION_ENGINE}; {caches}.")
    # CPU time by default: what a worker's core spends, without waiting for PostgreSQL.
    timer = time.perf_counter if args.wall else time.process_time
    signed_in = clients()
    summary = []
    for page in signed_in_pages():
        if args.only and args.only.lower() not in page.name.lower():
            continue
        client = signed_in.get(page.persona)
        if page.path == CEILING and "devtools" not in settings.INSTALLED_APPS:
            print(f"\n== {page.name}: no ceiling page without BENCH_MODE=1, skipped")
            continue
        if client is None:
            print(f"\n== {page.name}: no {page.persona} in this database, skipped")
            continue
        try:
            found = measure(client, page.path, args.runs, args.cold, timer)
        except RuntimeError as refused:
            print(f"\n== {page.name}: {refused}, skipped")
            continue
        print(report(page.name, page.path, page.persona, found, args.runs, args.top))
        summary.append((page.name, found["cpu_ms"], found["wall_ms"], found["queries"]))
    print(f"\n{'page':<36} {'CPU ms':>8} {'wall ms':>8} {'queries':>7}")
    for name, cpu, wall, queries in summary:
        print(f"{name:<36} {cpu:8.1f} {wall:8.1f} {queries:7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
