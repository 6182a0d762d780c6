"""People's photos in fixed sizes (issue 19, item 2): square crops, no EXIF, srcset."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from community.models import Person
from community.photos import PHOTO_SIZES, variant_name
from tests.factories.community import PersonFactory
from tests.factories.newsletters import AuthorshipFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE = 0x010F


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _jpeg_with_exif(size=(900, 600)) -> bytes:
    image = Image.new("RGB", size, (10, 60, 110))
    exif = Image.Exif()
    exif[MAKE] = "Phone camera"
    exif[GPS_IFD] = {1: "N", 2: (46.0, 12.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _stored(name):
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        image.load()
        return image.size, dict(image.getexif()), image.info.get("exif")


def _person_with_old_photo(name="Sergei V. Kalinin") -> Person:
    """A photo stored before the sizes existed: the original only."""
    person = PersonFactory(name=name)
    person.photo.save("old.jpg", ContentFile(_jpeg_with_exif((480, 320))), save=True)
    return person


def test_admin_upload_makes_every_size_square_without_exif(personas, client_for):
    photo = SimpleUploadedFile("me.jpg", _jpeg_with_exif())
    response = client_for(personas.newsletter_editor).post(
        "/admin/community/person/add/", {"name": "Emine Küçükbenli", "slug": "", "photo": photo}
    )
    assert response.status_code == 302
    person = Person.objects.get()
    stored = [_stored(variant_name(person.photo.name, size)) for size in PHOTO_SIZES]
    assert stored == [((96, 96), {}, None), ((192, 192), {}, None), ((480, 480), {}, None)]


def test_command_makes_the_sizes_of_existing_photos_once():
    person = _person_with_old_photo()
    names = [variant_name(person.photo.name, size) for size in PHOTO_SIZES]
    assert [default_storage.exists(n) for n in names] == [False, False, False]
    out = io.StringIO()
    call_command("build_photo_sizes", stdout=out)
    assert out.getvalue() == "Made 3 photo sizes.\n"
    assert [_stored(n)[0] for n in names] == [(96, 96), (192, 192), (480, 480)]
    again = io.StringIO()
    call_command("build_photo_sizes", stdout=again)
    assert again.getvalue() == "Made 0 photo sizes.\n"


def _img(html: str, css_class: str) -> str:
    return re.search(rf'<img class="{css_class}[^"]*"[^>]*>', html)[0]


def test_person_page_shows_the_photo_with_size_and_srcset(client):
    person = _person_with_old_photo()
    AuthorshipFactory(person=person)  # public once the newsletter names them
    html = client.get(person.get_absolute_url()).content.decode()
    v = {size: "/media/" + variant_name(person.photo.name, size) for size in PHOTO_SIZES}
    assert _img(html, "person-photo") == (
        f'<img class="person-photo" src="{v[192]}" srcset="{v[192]} 192w, {v[480]} 480w" '
        f'sizes="160px" width="160" height="160" alt="Photo of Sergei V. Kalinin">'
    )
    # Made the first time a page asked for them: existing uploads keep working.
    assert _stored(variant_name(person.photo.name, 192))[0] == (192, 192)


def test_article_bio_box_shows_the_small_photo(client):
    person = _person_with_old_photo()
    authorship = AuthorshipFactory(person=person)
    html = client.get(authorship.article.get_absolute_url()).content.decode()
    v = {size: "/media/" + variant_name(person.photo.name, size) for size in PHOTO_SIZES}
    img = _img(html, "person-photo-sm")
    assert f'src="{v[96]}" srcset="{v[96]} 96w, {v[192]} 192w, {v[480]} 480w"' in img
    assert 'width="64" height="64"' in img


def test_an_unreadable_photo_is_shown_as_stored_and_breaks_no_page(client):
    person = PersonFactory(name="Ada Broken")
    person.photo.save("broken.jpg", ContentFile(b"not an image"), save=True)
    AuthorshipFactory(person=person)
    html = client.get(person.get_absolute_url()).content.decode()
    assert f'src="/media/{person.photo.name}"' in _img(html, "person-photo")
