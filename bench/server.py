"""The servers a `make bench` run talks to: one database and one gunicorn per scale, and
plain HTTP to them (wrk for throughput, http.client for single requests)."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bench.measures import ScaleResult

ROOT = Path(__file__).resolve().parent.parent
BASE_PORT = int(os.environ.get("BENCH_PORT", "8107"))
CONNECTIONS = 16
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gds_bench")
# The scale being talked to (at() switches it): its database (for this process's ORM too)
# and its port.
current = {"url": DATABASE_URL, "port": BASE_PORT}


def say(message: str) -> None:
    print(message, flush=True)


def bench_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=current["url"],
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

    url = current["url"]
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
        f"127.0.0.1:{current['port']}",
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
    raise SystemExit(f"gunicorn did not answer on port {current['port']}; see {log}")


def get(path: str, headers: dict | None = None, timeout: float = 300) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", current["port"], timeout=timeout)
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
        [*command, f"http://127.0.0.1:{current['port']}{path}"],
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


@contextmanager
def at(result: ScaleResult):
    """Talk to `result`'s scale: its gunicorn, and its database from this process too."""
    from django.db import connections

    connections.close_all()
    before = dict(current)
    current.update(url=result.url, port=result.port)
    connections["default"].settings_dict["NAME"] = urlsplit(result.url).path.lstrip("/")
    try:
        yield
    finally:
        connections.close_all()
        current.update(before)
