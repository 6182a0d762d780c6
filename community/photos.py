"""A person's photo in fixed sizes: square crops made on the server with Pillow.

The admin stores each upload re-encoded at most 480 px on a side, EXIF stripped
(`gds_portal.uploads.clean_image`). From it come square crops of PHOTO_SIZES
pixels, stored beside it as `<name>-<size>.<ext>` (people/3f…9a-96.jpg), each
re-encoded again, with no EXIF. They are made when the admin saves a new photo,
by `manage.py build_photo_sizes` for photos uploaded before (run once after
deploying; it is idempotent), and, should one still be missing, the first time a
page shows it. Pages ask for them through `{% person_photo %}`
(community/templatetags/community_photos.py), with width, height and srcset.
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps, UnidentifiedImageError

from gds_portal.uploads import strip_metadata

log = logging.getLogger(__name__)

PHOTO_SIZES = (96, 192, 480)
# Pillow's format for each stored extension (uploads.IMAGE_FORMATS stores only these).
_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# Variants known to exist, so a page asks the storage once per process, not per view.
_known: set[str] = set()


def variant_name(name: str, size: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{size}{path.suffix.lower()}"))


def build_photo_sizes(photo: FieldFile, *, force: bool = False) -> list[str]:
    """Make the missing square crops of `photo` (all of them with `force`).

    Returns the names written. Side effects: files in the default storage only.
    A photo that cannot be read (missing file, not an image) gets none, logged.
    """
    names = {size: variant_name(photo.name, size) for size in PHOTO_SIZES}
    wanted = [s for s, n in names.items() if force or not default_storage.exists(n)]
    fmt = _FORMATS.get(PurePosixPath(photo.name).suffix.lower())
    if not wanted or fmt is None:
        _known.update(names.values())
        return []
    try:
        with default_storage.open(photo.name, "rb") as handle, Image.open(handle) as image:
            image.load()
            written = [_save_square(image, size, names[size], fmt) for size in wanted]
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        log.warning("Photo %s: no sizes made (%s).", photo.name, error)
        return []
    _known.update(names.values())
    return written


def _save_square(image: Image.Image, size: int, name: str, fmt: str) -> str:
    upright = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and upright.mode not in {"RGB", "L"}:
        upright = upright.convert("RGB")
    # A centred square, a little above the middle: where a portrait's face is.
    square = ImageOps.fit(upright, (size, size), Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    buffer = io.BytesIO()
    strip_metadata(square)  # no EXIF, comment or profile carried over
    square.save(buffer, format=fmt)
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def photo_url(photo: FieldFile, size: int) -> str:
    """The URL of the `size` crop of `photo`, made now if it is missing."""
    name = variant_name(photo.name, size)
    if name not in _known:
        build_photo_sizes(photo)
        if not default_storage.exists(name):
            return photo.url  # unreadable original: the page shows it as it is
    return default_storage.url(name)
