"""Replay views imported from the video host's statistics export.

YouTube Studio's "Table data.csv" (and Vimeo's export, or any CSV with a video
column and a views column) lists views per video. Each row's video — an ID or a
video address — is matched to the webinar whose replay is that video, and its
`replay_views` set to the number. As with attendance: a preview first, then all
rows in one transaction or none; the same file again changes nothing. Rows for
videos that are no webinar's replay (other uploads of the channel, the "Total"
row) are listed and left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from webinars.attendance import (
    MAX_ROWS,
    AttendanceFileError,
    RowMessage,
    csv_rows,
    header_key,
)
from webinars.models import Webinar
from webinars.video import VIMEO_ID, YOUTUBE_ID, parse_replay_url

VIDEO_HEADERS = {"content", "video", "video id", "video url", "url", "link"}
VIEWS_HEADERS = {"views", "plays", "total plays", "unique views"}


@dataclass
class ViewsRow:
    line: int
    webinar: Webinar
    views: int

    @property
    def changes(self) -> bool:
        return self.webinar.replay_views != self.views


@dataclass
class ViewsPlan:
    rows: list[ViewsRow] = field(default_factory=list)
    errors: list[RowMessage] = field(default_factory=list)
    unmatched: list[RowMessage] = field(default_factory=list)

    @property
    def changed(self) -> list[ViewsRow]:
        return [row for row in self.rows if row.changes]

    @property
    def can_import(self) -> bool:
        return not self.errors and bool(self.changed)


def _video_id(text: str) -> str:
    """The video an export's cell names: an ID as it is, an address parsed."""
    if YOUTUBE_ID.match(text) or VIMEO_ID.match(text):
        return text
    try:
        return parse_replay_url(text).video_id
    except ValidationError:
        return ""


def _replays() -> dict[str, Webinar]:
    """Webinars by their replay's video ID (one query)."""
    found = {}
    for webinar in Webinar.objects.exclude(replay_url="").only(
        "pk", "title", "replay_url", "replay_views"
    ):
        # The committee's own record: views count for a replay whether or not its release
        # is signed yet (Webinar.video would hide an unreleased one, and read a deferred
        # field per webinar).
        try:
            found[parse_replay_url(webinar.replay_url).video_id] = webinar
        except ValidationError:
            continue
    return found


def _columns(cells: list[str]) -> tuple[int, int] | None:
    keys = [header_key(cell) for cell in cells]
    video = next((i for i, key in enumerate(keys) if key in VIDEO_HEADERS), None)
    views = next((i for i, key in enumerate(keys) if key in VIEWS_HEADERS), None)
    return None if video is None or views is None else (video, views)


def plan_views(text: str) -> ViewsPlan:
    """What importing the export would change; writes nothing. One query."""
    plan = ViewsPlan()
    columns: tuple[int, int] | None = None
    replays = _replays()
    for line, cells in csv_rows(text):
        if columns is None:
            columns = _columns(cells)
            continue
        if line > MAX_ROWS:
            raise AttendanceFileError(f"The file has more than {MAX_ROWS:,} rows.")
        _read(line, cells, columns, replays, plan)
    if columns is None:
        raise AttendanceFileError(
            "No header row with a video column (“Content”, “Video” or “Video URL”) and a "
            "“Views” column."
        )
    return plan


def _read(
    line: int,
    cells: list[str],
    columns: tuple[int, int],
    replays: dict[str, Webinar],
    plan: ViewsPlan,
) -> None:
    video_cell, views_cell = (cells[i].strip() if i < len(cells) else "" for i in columns)
    if not video_cell and not views_cell:
        return
    webinar = replays.get(_video_id(video_cell))
    if webinar is None:
        plan.unmatched.append(RowMessage(line, f"Line {line}: “{video_cell[:80]}” is no replay."))
        return
    try:
        views = int(views_cell.replace(",", ""))
        if views < 0:
            raise ValueError
    except ValueError:
        plan.errors.append(RowMessage(line, f"Line {line}: views “{views_cell[:40]}” is no count."))
        return
    plan.rows.append(ViewsRow(line, webinar, views))


def replay_views_import(*, text: str) -> ViewsPlan:
    """Set each matched webinar's `replay_views`, all or none; returns the plan carried
    out. Raises AttendanceFileError for an unreadable file; nothing is written while any
    row has an error (the plan says which)."""
    with transaction.atomic():
        plan = plan_views(text)
        if plan.errors:
            return plan
        for row in plan.changed:
            Webinar.objects.filter(pk=row.webinar.pk).update(replay_views=row.views)
    return plan
