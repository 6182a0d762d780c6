"""The one upload validator for images (and, later, PDFs).

Images are opened with Pillow (so the extension must match real image data),
size-limited, re-encoded — which drops EXIF, GPS and any appended payload —
scaled down, and stored under a random name. SVG is never accepted.
"""

import io
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name → the extension we store. MPO is how Pillow names the
# JPEGs many phone cameras write; GIFs are stored as PNG (first frame).
IMAGE_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
# The only extensions a stored upload can have; the media view serves only
# these (gds_portal.views.MEDIA_TYPES). Anything else is stored as .bin, which
# is never served, so no upload can ever become an .html or .svg page.
STORED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf"}
MAX_IMAGE_PIXELS = 40_000_000


@deconstructible
class RandomName:
    """An `upload_to` that keeps only a random name and the extension.

    Member-chosen file names never reach the disk or a URL, and the extension
    is kept only when it is one we serve (STORED_SUFFIXES).
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        if suffix not in STORED_SUFFIXES:
            suffix = ".bin"
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def random_upload_name(folder: str) -> RandomName:
    return RandomName(folder)


def clean_image(upload, *, max_side: int = 800) -> InMemoryUploadedFile:
    """Validate an uploaded image and return a re-encoded, resized copy.

    Raises ValidationError with a message fit for the form field.
    """
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This image is {upload.size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.0f} MB.",
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in IMAGE_FORMATS:
            raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.", code="format")
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError("This image has too many pixels.", code="too_large")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            "This file is not a readable image. Upload a JPEG, PNG, WebP or GIF.",
            code="invalid_image",
        ) from None
    try:
        return _reencode(image, max_side=max_side)
    finally:
        image.close()


def strip_metadata(image: Image.Image) -> Image.Image:
    """Forget everything the file said besides its pixels, so that saving writes none of it.

    Saving without `exif=` leaves EXIF (and its GPS position) out, but Pillow copies some
    of `Image.info` into the new file by itself: a JPEG's comment, a PNG's ICC profile.
    The ICC profile goes too: photos and figures are shown as sRGB, and a rare wide-gamut
    picture may look a little duller — a price for not passing on what a profile can say
    about the camera or the computer it came from.
    """
    image.info.clear()
    return image


def _reencode(image: Image.Image, *, max_side: int) -> InMemoryUploadedFile:
    fmt = {"GIF": "PNG", "MPO": "JPEG"}.get(image.format, image.format)
    # Turn the pixels upright first: the EXIF orientation tag is about to go.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    elif image.mode == "P":
        image = image.convert("RGBA")
    image.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    strip_metadata(image)
    image.save(buffer, format=fmt)
    extension = IMAGE_FORMATS[fmt]
    buffer.seek(0)
    return InMemoryUploadedFile(
        buffer,
        field_name=None,
        name=f"{uuid.uuid4().hex}.{extension}",
        content_type=Image.MIME[fmt],
        size=buffer.getbuffer().nbytes,
        charset=None,
    )


PDF_MAGIC = b"%PDF-"


def clean_pdf(upload, *, max_bytes: int | None = None):
    """Accept only a real PDF (by its bytes, not its name) under the size limit."""
    limit = max_bytes or settings.MAX_PDF_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This file is {upload.size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.0f} MB.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if (
        not head.lstrip().startswith(PDF_MAGIC)
        or not PurePath(upload.name).suffix.lower() == ".pdf"
    ):
        raise ValidationError("Upload a PDF file (.pdf).", code="not_pdf")
    upload.name = f"{uuid.uuid4().hex}.pdf"
    return upload
