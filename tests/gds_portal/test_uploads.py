import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gds_portal.uploads import clean_image, clean_pdf


def _jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_clean_image_reencodes_resizes_and_strips_metadata():
    upload = SimpleUploadedFile("holiday photo.JPG", _jpeg_with_gps(), content_type="image/jpeg")
    cleaned = clean_image(upload, max_side=480)
    with Image.open(cleaned) as image:
        assert image.size == (480, 360)
        assert dict(image.getexif()) == {}
    assert cleaned.name.endswith(".jpg") and "holiday" not in cleaned.name


def test_clean_image_refuses_a_fake_image():
    upload = SimpleUploadedFile("me.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        clean_image(upload)
    assert error.value.code == "invalid_image"


def test_clean_image_refuses_svg():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml"))


def test_clean_image_refuses_oversized_file(settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="the limit is"):
        clean_image(upload)


def test_clean_pdf_checks_content_not_name():
    assert clean_pdf(SimpleUploadedFile("slides.pdf", b"%PDF-1.7\n...")).name.endswith(".pdf")
    with pytest.raises(ValidationError, match="Upload a PDF"):
        clean_pdf(SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>"))
    with pytest.raises(ValidationError, match="Upload a PDF"):
        clean_pdf(SimpleUploadedFile("slides.html", b"%PDF-1.7\n..."))
