"""An outside tester's findings on the editors' workflow, each fixed and kept fixed here."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.enums import Role
from community.photos import PHOTO_SIZES, build_photo_sizes, variant_name
from gds_portal.uploads import clean_image
from newsletters import selectors
from newsletters.enums import ArticleState, IssueStatus
from newsletters.models import Article
from newsletters.services import article_approve, article_submit
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.newsletters import AuthorshipFactory, IssueFactory, authored_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(db):
    return UserFactory(email="second.editor@example.org", roles=[Role.NEWSLETTER_EDITORS])


# 1. An unreviewed article in a published issue stays hidden until approved -------------


@pytest.fixture
def summer_2020(db):
    issue = IssueFactory(year=2020, season="summer", title="Summer 2020", slug="summer-2020")
    authored_article(issue=issue, slug="approved-one", title="Reviewed and approved")
    draft = authored_article(
        issue=issue,
        slug="never-reviewed",
        title="Never reviewed text",
        body="UNREVIEWEDMARKER body.",
        state=ArticleState.DRAFT,
    )
    return issue, draft


@pytest.mark.parametrize("state", [ArticleState.DRAFT, ArticleState.IN_REVIEW])
def test_an_unapproved_article_of_a_published_issue_is_nowhere_public(client, summer_2020, state):
    issue, draft = summer_2020
    Article.objects.filter(pk=draft.pk).update(state=state)
    issue_page = client.get(issue.get_absolute_url()).content.decode()
    assert "Reviewed and approved" in issue_page
    assert "Never reviewed text" not in issue_page
    article_url = reverse("newsletters:article", args=[issue.year, issue.season, "never-reviewed"])
    assert client.get(article_url).status_code == 404
    assert (
        client.get(reverse("newsletters:article_feed"))
        .content.decode()
        .count("Never reviewed text")
        == 0
    )
    assert list(Article.objects.visible().values_list("slug", flat=True)) == ["approved-one"]
    assert [a.slug for a in selectors.recent_articles()] == ["approved-one"]
    contents = [a.slug for _, group in selectors.issue_contents(issue) for a in group]
    assert contents == ["approved-one"]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "never-reviewed" not in sitemap


def test_the_unapproved_article_appears_once_approved(client, summer_2020, second_editor, personas):
    issue, draft = summer_2020
    article_submit(article=draft, by=personas.newsletter_editor)
    article_approve(article=draft, by=second_editor)
    article_url = reverse("newsletters:article", args=[issue.year, issue.season, "never-reviewed"])
    assert "UNREVIEWEDMARKER" in client.get(article_url).content.decode()


def test_the_editors_preview_still_shows_the_unapproved_article(summer_2020, personas, client_for):
    issue, _draft = summer_2020
    editor = client_for(personas.newsletter_editor)
    page = editor.get(reverse("newsletters:preview_issue", args=[issue.pk])).content.decode()
    assert "Never reviewed text" in page


def test_the_admin_says_an_unapproved_article_of_a_published_issue_is_hidden(
    summer_2020, personas, client_for
):
    _issue, draft = summer_2020
    url = reverse("admin:newsletters_article_change", args=[draft.pk])
    page = client_for(personas.newsletter_editor).get(url).content.decode()
    assert "hidden from readers until it is approved" in page


# 3. JPEG comments and GPS do not survive re-encoding -----------------------------------


def _jpeg_with_comment_and_gps(size=(600, 400)) -> bytes:
    image = Image.new("RGB", size, (10, 60, 110))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    exif[0x8825] = {1: "N", 2: (46.0, 12.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"SECRETCOMMENT")
    return buffer.getvalue()


def _assert_clean(data: bytes):
    assert b"SECRETCOMMENT" not in data
    assert b"SecretCamera" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "comment" not in image.info
        assert dict(image.getexif()) == {}


def test_the_test_jpeg_does_carry_a_comment():
    # Guard: the picture used below really has what must be removed.
    assert b"SECRETCOMMENT" in _jpeg_with_comment_and_gps()


def test_a_cleaned_upload_drops_the_jpeg_comment_and_gps():
    upload = SimpleUploadedFile("p.jpg", _jpeg_with_comment_and_gps(), "image/jpeg")
    cleaned = clean_image(upload)
    _assert_clean(cleaned.read())


def test_a_figure_upload_drops_the_jpeg_comment(personas, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    article = authored_article(issue=issue, state=ArticleState.DRAFT)
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    data = {
        "issue": issue.pk,
        "order": article.order,
        "kind": article.kind,
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": "Text.\n\n![fig:photo]",
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "figures-TOTAL_FORMS": "1",
        "figures-INITIAL_FORMS": "0",
        "figures-0-slug": "photo",
        "figures-0-alt": "The setup",
        "figures-0-image": SimpleUploadedFile(
            "photo.jpg", _jpeg_with_comment_and_gps(), "image/jpeg"
        ),
    }
    response = client_for(personas.newsletter_editor).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with article.figures.get().image.open("rb") as stored:
        _assert_clean(stored.read())


def test_a_person_photo_and_its_sizes_drop_the_jpeg_comment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory()
    cleaned = clean_image(
        SimpleUploadedFile("me.jpg", _jpeg_with_comment_and_gps(), "image/jpeg"), max_side=480
    )
    person.photo.save("me.jpg", ContentFile(cleaned.read()), save=True)
    assert build_photo_sizes(person.photo, force=True)
    names = [person.photo.name] + [variant_name(person.photo.name, s) for s in PHOTO_SIZES]
    for name in names:
        with default_storage.open(name, "rb") as stored:
            _assert_clean(stored.read())


def test_a_person_photo_saved_raw_still_gets_clean_sizes(settings, tmp_path):
    # The sizes are made from whatever the original holds: they are cleaned on their own.
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory()
    person.photo.save("raw.jpg", ContentFile(_jpeg_with_comment_and_gps()), save=True)
    assert build_photo_sizes(person.photo, force=True)
    for size in PHOTO_SIZES:
        with default_storage.open(variant_name(person.photo.name, size), "rb") as stored:
            _assert_clean(stored.read())


# 5. A refused approval says why, and that the edits were saved --------------------------


def test_the_submitter_is_told_why_they_may_not_approve(personas):
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    article = authored_article(issue=issue, state=ArticleState.DRAFT)
    article_submit(article=article, by=personas.newsletter_editor)
    with pytest.raises(PermissionDenied, match=r"You submitted .*another editor must approve"):
        article_approve(article=article, by=personas.newsletter_editor)


def test_an_author_is_told_why_they_may_not_approve(personas, second_editor):
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    article = authored_article(issue=issue, state=ArticleState.DRAFT)
    AuthorshipFactory(article=article, person=PersonFactory(user=second_editor))
    article_submit(article=article, by=personas.newsletter_editor)
    with pytest.raises(PermissionDenied, match=r"one of the authors .*another editor must"):
        article_approve(article=article, by=second_editor)


def test_the_admin_says_the_refused_approval_saved_the_changes(personas, client_for):
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    article = authored_article(issue=issue, state=ArticleState.DRAFT)
    article_submit(article=article, by=personas.newsletter_editor)
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    data = {
        "issue": issue.pk,
        "order": article.order,
        "kind": article.kind,
        "title": "A changed title",
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "_approve": "1",
    }
    for prefix in ("authorships", "references", "figures"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client_for(personas.newsletter_editor).post(url, data, follow=True)
    page = response.content.decode()
    assert "another editor must approve it. Your changes were saved." in page
    article.refresh_from_db()
    assert (article.title, article.state) == ("A changed title", ArticleState.IN_REVIEW)
