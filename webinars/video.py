"""Replay URLs: only YouTube and Vimeo, embedded through their privacy-friendly players.

A replay URL is stored as the editor pasted it (so it still links to the video
page) and turned into an embed URL on the player host the CSP `frame-src`
allows: youtube-nocookie.com, or player.vimeo.com with do-not-track on.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError

from gds_portal.validators import YOUTUBE_HOSTS

YOUTUBE_NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{6,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")


@dataclass(frozen=True)
class Video:
    provider: str  # "YouTube" or "Vimeo"
    video_id: str
    vimeo_hash: str = ""

    @property
    def embed_url(self) -> str:
        if self.provider == "YouTube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        suffix = f"&h={self.vimeo_hash}" if self.vimeo_hash else ""
        return f"https://player.vimeo.com/video/{self.video_id}?dnt=1{suffix}"


def _youtube_id(host: str, path: str, query: dict) -> str | None:
    parts = [p for p in path.split("/") if p]
    if host == "youtu.be":
        return parts[0] if parts else None
    if parts == ["watch"]:
        return (query.get("v") or [None])[0]
    if len(parts) == 2 and parts[0] in {"embed", "live", "shorts", "v"}:
        return parts[1]
    return None


def _vimeo(host: str, path: str, query: dict) -> tuple[str | None, str]:
    parts = [p for p in path.split("/") if p]
    if host == "player.vimeo.com":
        parts = parts[1:] if parts[:1] == ["video"] else []
    video_id = parts[0] if parts else None
    unlisted = parts[1] if len(parts) > 1 else (query.get("h") or [""])[0]
    return video_id, unlisted


def parse_replay_url(url: str) -> Video:
    """The video a replay URL points at; ValidationError for anything else."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query)
    if parts.scheme != "https" and parts.scheme != "http":
        raise ValidationError("A replay link must start with https://.", code="scheme")
    if host in YOUTUBE_HOSTS | YOUTUBE_NOCOOKIE_HOSTS:
        video_id = _youtube_id(host, parts.path, query)
        if video_id and YOUTUBE_ID.match(video_id):
            return Video("YouTube", video_id)
        raise ValidationError(
            "This YouTube link does not point at a single video; copy the video's "
            "address (youtube.com/watch?v=… or youtu.be/…).",
            code="youtube_id",
        )
    if host in VIMEO_HOSTS:
        video_id, unlisted = _vimeo(host, parts.path, query)
        if video_id and VIMEO_ID.match(video_id) and (not unlisted or VIMEO_HASH.match(unlisted)):
            return Video("Vimeo", video_id, unlisted)
        raise ValidationError(
            "This Vimeo link does not point at a single video; copy the video's "
            "address (vimeo.com/123456789).",
            code="vimeo_id",
        )
    raise ValidationError(
        f"Replays can only come from YouTube or Vimeo, not {host or 'this address'}.",
        code="host",
    )


def validate_replay_url(url: str) -> None:
    parse_replay_url(url)


def validate_web_link(url: str) -> None:
    """Links we print as <a href>: http(s) only (no javascript:, data:, ftp:)."""
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme not in {"http", "https"}:
        raise ValidationError("Enter a web address starting with https://.", code="scheme")
