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
from newsletters.importer import ImportProblems, apply_import, parse_files
from newsletters.models import Article, Issue
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
    found = client.get(reverse("search"), {"q": "UNREVIEWEDMARKER"}).content.decode()
    assert "Never reviewed text" not in found


def test_search_does_find_the_article_once_approved(client, summer_2020):
    # Guard for the search assertion above: the marker is searchable at all.
    _issue, draft = summer_2020
    Article.objects.filter(pk=draft.pk).update(state=ArticleState.APPROVED)
    found = client.get(reverse("search"), {"q": "UNREVIEWEDMARKER"}).content.decode()
    assert "Never reviewed text" in found


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


# 2. An import never approves an existing article, nor publishes past the review ---------

EDITOR_FILE = "01-message-from-the-editor.md"


def _demo_files(*, published: bool, body_marker: str = "") -> dict[str, bytes]:
    from tests.newsletters.test_import_admin import demo_files

    files = demo_files()
    if not published:
        files["issue.md"] = b"\n".join(
            line for line in files["issue.md"].split(b"\n") if not line.startswith(b"published_at")
        )
    if body_marker:
        files[EDITOR_FILE] += f"\n{body_marker}\n".encode()
    return files


def _upload_and_preview(client, files):
    from tests.newsletters.test_import_admin import archive, upload

    preview = upload(client, archive(files))["Location"]
    return preview, client.get(preview).content.decode()


def test_a_reimport_cannot_publish_an_article_under_review(
    personas, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.newsletter_editor)
    preview, page = _upload_and_preview(client, _demo_files(published=False))
    assert "will be marked approved" not in page  # a draft import approves nothing
    client.post(preview)
    issue = Issue.objects.get()
    assert issue.status == IssueStatus.DRAFT
    submitted = issue.articles.get(slug="message-from-the-editor")
    assert submitted.state == ArticleState.DRAFT
    article_submit(article=submitted, by=personas.newsletter_editor)
    Article.objects.filter(issue=issue).exclude(pk=submitted.pk).update(state=ArticleState.APPROVED)
    # The same editor re-uploads with published_at and a changed body.
    preview, page = _upload_and_preview(
        client, _demo_files(published=True, body_marker="SNEAKEDIN")
    )
    assert EDITOR_FILE in page and "approve the article in the admin first" in page
    assert client.post(preview).status_code == 403
    issue.refresh_from_db()
    submitted.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert submitted.state == ArticleState.IN_REVIEW
    assert "SNEAKEDIN" not in submitted.body
    # The command refuses the same way (it shares plan_import).
    with pytest.raises(ImportProblems):
        apply_import(parse_files(_demo_files(published=True, body_marker="SNEAKEDIN")))


def test_a_published_back_issue_marks_only_its_new_articles_approved(
    personas, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.newsletter_editor)
    preview, page = _upload_and_preview(client, _demo_files(published=True))
    assert page.count("will be marked approved: back issue as printed") == 10
    client.post(preview)
    issue = Issue.objects.get()
    assert issue.status == IssueStatus.PUBLISHED
    assert set(issue.articles.values_list("state", flat=True)) == {ArticleState.APPROVED}


def test_an_import_without_published_at_leaves_existing_review_states(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    apply_import(parse_files(_demo_files(published=True)))
    issue = Issue.objects.get()
    Article.objects.filter(issue=issue, slug="message-from-the-editor").update(
        state=ArticleState.DRAFT
    )
    apply_import(parse_files(_demo_files(published=False, body_marker="EDITED")))
    article = issue.articles.get(slug="message-from-the-editor")
    assert (article.state, "EDITED" in article.body) == (ArticleState.DRAFT, True)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED  # still published: the draft is hidden


# 4. Confirming the same upload twice ---------------------------------------------------


def test_confirming_twice_answers_404_the_second_time(personas, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.newsletter_editor)
    preview, _page = _upload_and_preview(client, _demo_files(published=True))
    assert client.post(preview).status_code == 302
    second = client.post(preview)
    assert second.status_code == 404
    assert Issue.objects.count() == 1


# 6. Display maths inside a paragraph keeps the paragraph whole ---------------------------


def test_display_maths_inside_a_paragraph_stays_in_the_paragraph():
    from gds_portal.markdown import render_markdown, render_markdown_for_mail

    html = render_markdown("$E = mc^2$ and $$\\frac{a}{b}$$ and more")
    assert html.count("<p>") == 1 and html.count("</p>") == 1
    assert html.strip().endswith("and more</p>")
    assert "<p></p>" not in html and "<div" not in html and "<pre" not in html
    assert 'display="block"' in html
    mail = render_markdown_for_mail("$E = mc^2$ and $$\\frac{a}{b}$$ and more", site_url="x")
    assert "<pre" not in mail and mail.strip().endswith("and more</p>")


# 7. Duplicate names refused; each file reported once, encoding problems with the others --


def _zip(members: list[tuple[str, bytes]]) -> io.BytesIO:
    import warnings
    import zipfile

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(buffer, "w") as zipped:
            for name, data in members:
                zipped.writestr(name, data)
    buffer.seek(0)
    return buffer


def _problems(members) -> list[tuple[str, str]]:
    from newsletters.importer import zip_files

    with pytest.raises(ImportProblems) as refused:
        zip_files(_zip(members))
    return [(p.filename, p.problem) for p in refused.value.problems]


def test_a_zip_with_the_same_file_twice_is_refused_per_file():
    problems = _problems([("issue.md", b"a"), ("a.md", b"one"), ("a.md", b"two")])
    assert problems == [("a.md", "is in the archive more than once; keep one of them.")]


def test_each_bad_file_is_reported_once_with_encoding_problems_among_them():
    problems = _problems(
        [
            ("../evil.md", b"x"),
            ("sub/inner.md", b"x"),
            ("latin.md", "caf\u00e9".encode("latin-1")),
            ("issue.md", b"fine"),
        ]
    )
    names = [name for name, _ in problems]
    assert sorted(names) == ["../evil.md", "latin.md", "sub/inner.md"]
    assert dict(problems)["latin.md"] == "is not UTF-8 text; save it as UTF-8."


# 8. Many figure lines render in one pass (lheading no longer looks ahead from each) -----


def test_many_figure_lines_render_each_figure_in_order():
    from gds_portal.markdown import FigureImage, render_citing_markdown

    n = 300
    figures = {
        f"f{i}": FigureImage(src=f"/m/{i}.png", width=10, height=10, alt=f"alt {i}", caption="")
        for i in range(n)
    }
    body = "\n".join(f"![fig:f{i}]" for i in range(n))
    html = str(render_citing_markdown(body, reference_count=0, figures=figures))
    assert html.count("<figure") == n and "<p>" not in html and "<h2>" not in html
    positions = [html.index(f'id="figure-f{i}"') for i in range(n)]
    assert positions == sorted(positions)
    missing = render_citing_markdown(body + "\n![fig:nope]", reference_count=0, figures=figures)
    assert missing.missing_figures == ("nope",)
