#!/usr/bin/env python
"""Run a command against PostgreSQL: the server in DATABASE_URL, or an embedded one.

    python scripts/with_db.py --env local -- python manage.py migrate

With DATABASE_URL unset, an embedded PostgreSQL (the `pgserver` package) is
started with its data under var/pgdata and left running, so the next call
reuses it in well under a second. `--env NAME` loads env/NAME.env first
without overriding variables that are already set.
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "gds_portal"


def load_env_file(name: str) -> None:
    for line in (ROOT / "env" / f"{name}.env").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip())


def embedded_database_url() -> str:
    (ROOT / "var" / "run").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "run").chmod(0o700)
    # pgserver asks platformdirs for a runtime dir, which warns when this is unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(ROOT / "var" / "run"))
    import pgserver
    import psycopg2

    server = pgserver.get_server(ROOT / "var" / "pgdata", cleanup_mode=None)
    uri = urlsplit(server.get_uri())
    socket_dir = dict(p.split("=", 1) for p in uri.query.split("&") if "=" in p)["host"]
    connection = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DB_NAME}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--env", help="load env/NAME.env (existing variables win)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [c for c in args.command if c != "--"] if args.command[:1] == ["--"] else args.command
    if args.env:
        load_env_file(args.env)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = embedded_database_url()
    venv_bin = str(ROOT / ".venv" / "bin")
    os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")
    if not command:
        print(os.environ["DATABASE_URL"])
        return
    # Replace this process, so signals (Ctrl-C) reach the command directly.
    os.execvp(command[0], command)  # noqa: S606 -- the developer's own command line


if __name__ == "__main__":
    sys.exit(main())
