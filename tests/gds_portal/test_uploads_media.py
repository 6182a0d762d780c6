import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gds_portal.exports import neutralise
from gds_portal.uploads import clean_image, clean_pdf, random_upload_name

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_clean_image_strips_exif_and_renames():
    cleaned = clean_image(SimpleUploadedFile("me.jpeg", jpeg_with_gps()))
    assert cleaned.name.endswith(".jpg") and "me" not in cleaned.name
    with Image.open(cleaned) as image:
        assert dict(image.getexif()) == {}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("x.png", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_clean_image_refuses_what_is_not_a_raster_image(name, content):
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile(name, content))


def test_clean_pdf_checks_the_bytes_not_the_name():
    with pytest.raises(ValidationError):
        clean_pdf(SimpleUploadedFile("paper.pdf", b"<html>not a pdf</html>"))
    assert clean_pdf(SimpleUploadedFile("paper.pdf", b"%PDF-1.7\n...")).name.endswith(".pdf")


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "evil.HTM", "evil.js", "evil"])
def test_stored_names_never_keep_a_dangerous_extension(name):
    stored = random_upload_name("people")(None, name)
    assert stored.startswith("people/") and stored.endswith(".bin")


def test_media_serves_images_with_nosniff_and_never_html(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "a.png").write_bytes(b"\x89PNG...")
    (tmp_path / "people" / "a.html").write_bytes(b"<script>alert(1)</script>")
    (tmp_path / "people" / "a.bin").write_bytes(b"<script>alert(1)</script>")
    response = Client().get("/media/people/a.png")
    # Reading the stream to the end also closes the file.
    assert b"".join(response.streaming_content) == b"\x89PNG..."
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    for path in ["/media/people/a.html", "/media/people/a.bin", "/media/../settings.py"]:
        assert Client().get(path).status_code == 404


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0=1"])
def test_export_cells_never_start_a_formula(cell):
    assert neutralise(cell).startswith("'")


def test_csv_export_neutralises_formulas_and_quotes_the_file_name():
    from gds_portal.exports import csv_response

    response = csv_response('Talks "2021"', ["Title", "Count"], [["=HYPERLINK(1)", 3]])
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Title,Count",
        "'=HYPERLINK(1),3",
    ]
    assert response["Content-Disposition"] == 'attachment; filename="Talks \\"2021\\".csv"'


def test_xlsx_export_writes_text_never_a_formula():
    from openpyxl import load_workbook

    from gds_portal.exports import xlsx_bytes

    sheet = load_workbook(io.BytesIO(xlsx_bytes("s", ["A"], [["=1+1"], ["@x"]]))).active
    assert [cell.value for cell in sheet["A"]] == ["A", "'=1+1", "'@x"]
    assert all(cell.data_type == "s" for cell in sheet["A"])
