#!/usr/bin/env python
"""Restore drill: back up while submissions flow, restore into a scratch database, compare.

    make drill-restore DRILL_ARGS='--abstracts 2000'

Works on its own databases (<current>_restoredrill and <current>_restoredrill_restored)
and a scratch media folder under var/, so the developer's data is never touched.
Prints the backup and restore times and the comparison (row counts per table as the
dump's snapshot saw them; SHA-256 of every media file): the target is a 100 % match.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.drill_rush import recreate_database  # noqa: E402
from scripts import backup as backups  # noqa: E402


def seed(abstracts: int, media: Path):
    """A meeting, a few hundred members and `abstracts` submitted abstracts, with media."""
    import django

    django.setup()
    from accounts.models import User
    from meetings.services.abstracts import abstract_save
    from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, abstract_data

    meeting = MeetingFactory(slug="restore-drill", body_max_length=2000)
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01")
    members = User.objects.bulk_create(
        User(email=f"restore{n}@drill.example.org", full_name=f"Member {n}") for n in range(300)
    )
    for n in range(abstracts):
        member = members[n % len(members)]
        data = abstract_data(category)
        abstract_save(meeting=meeting, by=member, data=data, token=uuid.uuid4(), submit=True)
    (media / "people").mkdir(parents=True, exist_ok=True)
    for n in range(200):
        (media / "people" / f"photo-{n}.jpg").write_bytes(os.urandom(20_000))
    return meeting, category, members


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--abstracts", type=int, default=500)
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    source = backups.with_database(base, f"{backups.database_name(base)}_restoredrill")
    target = f"{backups.database_name(source)}_restored"
    os.environ["DATABASE_URL"] = source
    os.environ["DJANGO_SETTINGS_MODULE"] = "gds_portal.settings"
    scratch = ROOT / "var" / "restore-drill"
    shutil.rmtree(scratch, ignore_errors=True)
    media = scratch / "media"
    media.mkdir(parents=True)
    recreate_database(source)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    meeting, category, members = seed(args.abstracts, media)

    from django.db import connection

    from meetings.services.abstracts import abstract_save
    from tests.factories.meetings import abstract_data

    stop, flowed = threading.Event(), []

    def flow():
        try:
            while not stop.is_set():
                abstract_save(
                    meeting=meeting,
                    by=members[len(flowed) % 300],
                    data=abstract_data(category),
                    token=uuid.uuid4(),
                    submit=True,
                )
                flowed.append(1)
                (media / "people" / f"new-{len(flowed)}.jpg").write_bytes(os.urandom(5_000))
        finally:
            connection.close()

    writer = threading.Thread(target=flow)
    writer.start()
    try:
        made = backups.backup(database_url=source, media_root=media, into=scratch / "backups")
    finally:
        stop.set()
        writer.join()
    rows = sum(made.manifest["tables"].values())
    size = sum(p.stat().st_size for p in made.folder.iterdir()) / 1e6
    files, seconds = len(made.manifest["media"]), made.manifest["seconds"]
    print(
        f"Backup while {len(flowed)} submissions flowed: {rows:,} rows, "
        f"{files} media files, {size:.1f} MB, {seconds} s."
    )
    started = time.monotonic()
    report = backups.restore(
        folder=made.folder,
        database_url=source,
        database=target,
        media_root=scratch / "restored-media",
        force=True,
    )
    print(f"Restore into {target}: {time.monotonic() - started:.1f} s.")
    backups.print_report(report)
    return 1 if report.differences else 0


if __name__ == "__main__":
    sys.exit(main())
