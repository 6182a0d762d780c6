"""An uploaded back-issue archive, kept between the dry run and its confirmation.

The archive is stored (default storage, under a random name ending in .zip, which
the media view never serves) and named to the browser only by a signed token
that carries the uploader's id and the archive's SHA-256: another user's token,
an expired one or a file changed since the preview are all "gone". So the
confirmation applies exactly the archive that was previewed, for its uploader
only. Archives older than MAX_AGE are swept on the next upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "newsletters/imports"
MAX_AGE = 2 * 60 * 60  # seconds: long enough to read the preview, short enough to forget
SALT = "newsletters.import-upload"


class UploadGone(Exception):
    """No usable upload for this token and user (expired, another user's, or tampered)."""


def upload_store(*, data: bytes, user) -> str:
    """Store an uploaded archive for `user`; return the token that names it.

    Side effects: one file in the default storage; stale uploads are deleted.
    """
    upload_sweep()
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.zip", ContentFile(data))
    digest = hashlib.sha256(data).hexdigest()
    return signing.dumps({"name": name, "user": user.pk, "sha256": digest}, salt=SALT)


def _claims(token: str, user) -> dict:
    try:
        claims = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        raise UploadGone from None
    if claims.get("user") != user.pk or not str(claims.get("name", "")).startswith(FOLDER):
        raise UploadGone
    return claims


def upload_load(*, token: str, user) -> bytes:
    """The archive behind `token`, if `user` uploaded it and it is unchanged; else UploadGone."""
    claims = _claims(token, user)
    try:
        with default_storage.open(claims["name"], "rb") as handle:
            data = handle.read()
    except OSError:
        raise UploadGone from None
    if hashlib.sha256(data).hexdigest() != claims["sha256"]:
        raise UploadGone
    return data


def upload_discard(*, token: str, user) -> None:
    """Delete the archive behind `token` (after it was applied)."""
    default_storage.delete(_claims(token, user)["name"])


def upload_sweep() -> None:
    """Delete stored archives older than MAX_AGE (their tokens have expired anyway)."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except (OSError, NotImplementedError):
        return  # nothing stored yet
    cutoff = timezone.now() - dt.timedelta(seconds=MAX_AGE)
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue
