import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import Person

pytestmark = pytest.mark.django_db


def _png(size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 60, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


def _post(client, photo, name="Emine Küçükbenli"):
    return client.post(
        "/admin/community/person/add/",
        {"name": name, "slug": "", "affiliation": "Harvard University", "photo": photo},
    )


def test_person_admin_creates_person_with_slug_and_resized_photo(
    personas, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = _post(client_for(personas.newsletter_editor), SimpleUploadedFile("e.png", _png()))
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.slug == "emine-kucukbenli"
    with Image.open(person.photo.path) as stored:
        assert stored.size == (480, 320)
    # The upload keeps none of its own name: a random one (which may end in "e" by chance).
    assert re.fullmatch(r"people/[0-9a-f]{32}\.png", person.photo.name), person.photo.name


def test_person_admin_refuses_fake_image_and_keeps_typed_fields(personas, client_for):
    fake = SimpleUploadedFile("e.png", b"GIF89a<script>alert(1)</script>")
    response = _post(client_for(personas.newsletter_editor), fake)
    assert response.status_code == 200
    assert Person.objects.count() == 0
    assert "image" in " ".join(response.context["adminform"].form.errors["photo"]).lower()
    assert 'value="Harvard University"' in response.text


def test_person_admin_refuses_oversized_image(personas, client_for, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 2000
    response = _post(client_for(personas.newsletter_editor), SimpleUploadedFile("e.png", _png()))
    assert response.status_code == 200
    assert Person.objects.count() == 0
    assert "the limit is" in " ".join(response.context["adminform"].form.errors["photo"])
