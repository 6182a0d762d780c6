"""Backup and restore drill on a small dataset: dump while submissions flow, restore, compare."""

import queue
import threading
import uuid

import pytest
from django.db import connection

from meetings.models import Abstract
from meetings.services.abstracts import abstract_save
from scripts import backup as backups
from tests.factories.accounts import UserFactory
from tests.factories.meetings import abstract_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _database_url() -> str:
    params = connection.settings_dict
    host = params["HOST"] or "localhost"
    port = f":{params['PORT']}" if params["PORT"] else ""
    user = params["USER"] or "postgres"
    from urllib.parse import quote

    return f"postgres://{quote(user)}@{quote(host, safe='')}{port}/{params['NAME']}"


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    yield name
    admin = backups.connect(_database_url())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_backup_while_submitting_restores_exactly_what_the_dump_saw(
    focus, tmp_path, scratch_database
):
    media = tmp_path / "media"
    (media / "people").mkdir(parents=True)
    for n in range(5):
        (media / "people" / f"photo-{n}.jpg").write_bytes(bytes([n]) * (1000 + n))
    member = UserFactory()
    stop = threading.Event()
    submitted: list[str] = []
    progress: queue.Queue = queue.Queue()

    def flow():
        try:
            while not stop.is_set():
                outcome = abstract_save(
                    meeting=focus.meeting,
                    by=member,
                    data=abstract_data(focus),
                    token=uuid.uuid4(),
                    submit=True,
                )
                submitted.append(outcome.abstract.reference)
                progress.put(outcome.abstract.reference)
                (media / "people" / f"late-{len(submitted)}.jpg").write_bytes(b"x" * 50)
        finally:
            connection.close()

    writer = threading.Thread(target=flow)
    writer.start()
    try:
        for _ in range(3):  # the backup starts mid-flow
            progress.get(timeout=60)
        made = backups.backup(database_url=_database_url(), media_root=media, into=tmp_path / "b")
        while not progress.empty():
            progress.get()
        for _ in range(3):  # and the flow goes on after it
            progress.get(timeout=60)
    finally:
        stop.set()
        writer.join()

    dumped = made.manifest["tables"]["meetings_abstract"]
    assert 3 <= dumped < Abstract.objects.count()
    report = backups.restore(
        folder=made.folder,
        database_url=_database_url(),
        database=scratch_database,
        media_root=tmp_path / "restored",
    )
    assert report.differences == []
    assert report.tables["meetings_abstract"] == (dumped, dumped)
    assert report.tables["accounts_user"][1] >= 1
    assert len(report.media) == len(made.manifest["media"]) >= 5

    # A second restore into the same, now non-empty, targets is refused without --force.
    with pytest.raises(backups.BackupError, match="--force"):
        backups.restore(
            folder=made.folder,
            database_url=_database_url(),
            database=scratch_database,
            media_root=tmp_path / "restored",
        )
    forced = backups.restore(
        folder=made.folder,
        database_url=_database_url(),
        database=scratch_database,
        media_root=tmp_path / "restored",
        force=True,
    )
    assert forced.differences == []


def test_damaged_backup_is_refused_before_touching_the_target(focus, tmp_path, scratch_database):
    made = backups.backup(database_url=_database_url(), media_root=tmp_path / "m", into=tmp_path)
    with (made.folder / "db.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\xff\xff")
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.restore(
            folder=made.folder,
            database_url=_database_url(),
            database=scratch_database,
            media_root=tmp_path / "r",
        )
    assert not (tmp_path / "r").exists()
