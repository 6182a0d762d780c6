"""The servers a `make bench` run talks to: one database and one gunicorn per scale, and
plain HTTP to them (wrk for throughput, http.client for single requests)."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import tempfile
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
# The scale being talked to (at() switches it): its database (for this process's ORM too),
# its port and its gunicorn master's pid (whose workers' CPU is read from /proc).
current = {"url": DATABASE_URL, "port": BASE_PORT, "pid": 0}
# The cookie names the bench's servers use: bench_env() turns SECURE_COOKIES off, which
# drops the __Host- prefix (settings.py), whatever this process's own settings say.
SESSION_COOKIE = "sessionid"
CSRF_COOKIE = "csrftoken"
# utime and stime in /proc/<pid>/stat are in clock ticks.
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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


# One member per wrk connection: wrk runs `setup` once per thread in its main Lua state
# (so the counter walks the list) and `init` in the thread's own state, before the request
# is formatted; with as many threads as connections, each connection keeps its cookie.
SESSIONS_LUA = """
local cookies = {%s}
local handed = 0
function setup(thread)
  handed = handed + 1
  thread:set("cookie", cookies[(handed - 1) %% #cookies + 1])
end
function init(args)
  wrk.headers["Host"] = "127.0.0.1"
  if cookie ~= nil and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
end
"""


def wrk_as(path: str, seconds: int, cookies: list[str]) -> dict:
    """wrk with one thread per connection, each connection sending its own `Cookie` header
    (an empty string: none), and the server's CPU meanwhile: req/s, p50 and p99 ms,
    non-2xx/3xx responses, requests, and CPU ms per request of the gunicorn workers and
    of this scale's PostgreSQL backends (None where /proc does not show them)."""
    quoted = ", ".join('"' + c.replace("\\", "").replace('"', "") + '"' for c in cookies or [""])
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-sessions-") as script:
        script.write(SESSIONS_LUA % quoted)
        script.flush()
        command = [
            "wrk",
            f"-t{CONNECTIONS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{current['port']}{path}",
        ]
        before = cpu_snapshot()
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        after = cpu_snapshot()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    workers, database = cpu_per_request(before, after, requests)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(output, "50%"),
        "p99_ms": _ms(output, "99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "requests": requests,
        "cpu_ms": workers,
        "db_cpu_ms": database,
    }


# --- server-side CPU, from /proc ------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, utime + stime in ticks) of `pid`, or None if it is gone or hidden."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and brackets: split after its last ")".
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def _pids() -> list[int]:
    proc = Path("/proc")
    return [int(p.name) for p in proc.iterdir() if p.name.isdigit()] if proc.is_dir() else []


def _is_backend_of(pid: int, database: str) -> bool:
    """A PostgreSQL backend connected to `database`: its title is `postgres: [cluster:]
    user database host(port) state` (update_process_title, on by default)."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, UnicodeDecodeError):
        return False
    words = title.split()
    return bool(words) and words[0] == "postgres:" and database in words[1:4]


def cpu_snapshot() -> dict[str, dict[int, int]]:
    """CPU ticks so far of the current scale's gunicorn workers (the master's children) and
    of the PostgreSQL backends connected to its database (when PostgreSQL runs on this
    machine and /proc shows its processes)."""
    parts = urlsplit(current["url"])
    database = parts.path.lstrip("/")
    local_db = (parts.hostname or "localhost") in {"127.0.0.1", "localhost", "::1"}
    workers, backends = {}, {}
    for pid in _pids():
        stat = _stat(pid)
        if stat is None:
            continue
        if current["pid"] and stat[0] == current["pid"]:
            workers[pid] = stat[1]
        elif local_db and _is_backend_of(pid, database):
            backends[pid] = stat[1]
    return {"workers": workers, "backends": backends}


def cpu_per_request(before: dict, after: dict, requests: int) -> tuple[float | None, float | None]:
    """CPU ms per request between two snapshots, of the workers and of the backends. A
    process that appeared meanwhile counts whole; one that ended takes its last ticks
    along (rare: the workers keep their connections for DB_CONN_MAX_AGE)."""
    result = []
    for kind in ("workers", "backends"):
        if not after[kind] or not requests:
            result.append(None)
            continue
        ticks = sum(now - before[kind].get(pid, 0) for pid, now in after[kind].items())
        result.append(1000 * ticks / CLOCK_TICKS / requests)
    return result[0], result[1]


def _ms(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


@contextmanager
def at(result: ScaleResult):
    """Talk to `result`'s scale: its gunicorn, and its database from this process too."""
    from django.db import connections

    connections.close_all()
    before = dict(current)
    current.update(url=result.url, port=result.port, pid=result.server_pid)
    connections["default"].settings_dict["NAME"] = urlsplit(result.url).path.lstrip("/")
    try:
        yield
    finally:
        connections.close_all()
        current.update(before)
