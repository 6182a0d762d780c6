#!/usr/bin/env python
"""Where an abstract submission spends its CPU, in-process, without gunicorn.

    GDS_ENV=local DATABASE_URL=postgres://… .venv/bin/python bench/profile_submit.py
        [--submissions 300] [--profile 40]

Prepares the rush drill's database (<current database>_drill: members with sessions,
a meeting whose call is open) and drives complete submissions through Django's WSGI
handler exactly as gunicorn would call it (same settings, middleware, session cookie
and form as `bench/drill_rush.py`), one after another. Prints this process's CPU per
submission (Django, the forms, the templates and the database driver's client side,
not PostgreSQL's) and the queries of one submission; `--profile N` then runs N more
under cProfile (CPU time) and prints the functions with the most cumulative and own
time.
The drill measures capacity under load; this measures the cost of one request, which
is what the capacity divides.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from drill_rush import form, prepare, recreate_database  # noqa: E402

from scripts.backup import database_name, with_database  # noqa: E402


def environ(path: str, body: bytes, cookie: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8110",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    drill_url = with_database(base, f"{database_name(base)}_drill")
    os.environ.update(
        DATABASE_URL=drill_url, DEBUG="false", STATIC_HASHED="false", ALLOWED_HOSTS="127.0.0.1"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")
    recreate_database(drill_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    total = args.submissions + args.profile + 1
    members, slug, _ = prepare(total, rush=3600, late=1)
    for member in members:
        member.at = 0.0

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = get_wsgi_application()
    path = f"/meetings/my/abstracts/new/{slug}/"
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def submit(member) -> None:
        csrf = "c" * 32
        body = urlencode(form(member, csrf)).encode()
        cookie = f"sessionid={member.session}; csrftoken={csrf}"
        response = app(environ(path, body, cookie), start_response)
        b"".join(response)
        response.close()

    with CaptureQueriesContext(connection) as queries:
        submit(members[0])  # warm-up, and the query list of one submission
    if not statuses[-1].startswith("302"):
        raise SystemExit(f"the warm-up submission answered {statuses[-1]}")
    cpu = []
    for member in members[1 : args.submissions + 1]:
        started = time.process_time()
        submit(member)
        cpu.append(time.process_time() - started)
    bad = [s for s in statuses if not s.startswith("302")]
    print(f"{len(cpu)} submissions, answers other than 302: {len(bad)}")
    print(
        f"CPU ms per submission (this process): median {1000 * statistics.median(cpu):.2f}, "
        f"mean {1000 * statistics.fmean(cpu):.2f}, p90 "
        f"{1000 * statistics.quantiles(cpu, n=10)[8]:.2f}"
    )
    print(f"queries per submission: {len(queries.captured_queries)}")
    for query in queries.captured_queries:
        print("  ", query["sql"][:150])
    if args.profile:
        # CPU time, not wall time: waiting for PostgreSQL is not what capacity divides.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for member in members[args.submissions + 1 :]:
            submit(member)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            print(f"\n--- {args.profile} submissions by {order} time ---")
            stats = pstats.Stats(profiler).strip_dirs().sort_stats(order)
            stats.print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
