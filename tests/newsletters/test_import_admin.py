"""The admin's "Import a back issue": upload, dry run, confirm — editors only."""

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletters.demo import DEMO_FOLDER
from newsletters.import_uploads import upload_store
from newsletters.importer import Action, parse_files, plan_import
from newsletters.models import Article, Issue

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:newsletters_issue_import")
CHANGELIST = reverse("admin:newsletters_issue_changelist")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def demo_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(DEMO_FOLDER.glob("*.md"))}


def archive(files: dict[str, bytes] | None = None, **extra: bytes) -> bytes:
    files = files or demo_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in {**files, **extra}.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def upload(client, data: bytes, **headers):
    file = SimpleUploadedFile("summer-2020.zip", data, content_type="application/zip")
    return client.post(IMPORT, {"archive": file}, headers=headers)


def article(title: str, order: int) -> bytes:
    return f"---\ntitle: {title}\nkind: feature\norder: {order}\n---\nBody.\n".encode()


def test_changelist_links_the_import_for_editors_only(client_for, personas):
    link = f'<a href="{IMPORT}">Import a back issue</a>'
    assert link in client_for(personas.newsletter_editor).get(CHANGELIST).content.decode()
    assert link in client_for(personas.staff).get(CHANGELIST).content.decode()


def test_editor_uploads_previews_and_confirms(client_for, personas):
    client = client_for(personas.newsletter_editor)
    response = upload(client, archive())
    preview = response["Location"]
    assert preview.startswith(IMPORT) and preview != IMPORT
    assert Issue.objects.count() == 0  # the upload alone writes nothing
    page = client.get(preview).content.decode()
    assert "This is a dry run" in page
    people = plan_import(parse_files(demo_files())).count("person", Action.CREATED)
    assert page.count('class="import-created"') == 1 + 10 + people  # issue, articles, people
    assert Issue.objects.count() == 0
    response = client.post(preview)
    issue = Issue.objects.get()
    assert response["Location"] == reverse("admin:newsletters_issue_change", args=[issue.pk])
    assert issue.history.get().history_user == personas.newsletter_editor
    message = client.get(response["Location"]).content.decode()
    assert "Imported “Summer 2020”. Articles: 10 created, 0 changed, 0 unchanged" in message
    # The archive is gone once applied: the same confirmation cannot run twice.
    assert client.post(preview).status_code == 404


def test_reupload_of_an_unchanged_archive_says_nothing_changed(client_for, personas):
    client = client_for(personas.newsletter_editor)
    client.post(upload(client, archive())["Location"])
    page = client.get(upload(client, archive())["Location"]).content.decode()
    assert "Nothing changed: the stored issue “Summer 2020” is exactly" in page
    assert "Import: make these changes" not in page


def test_preview_lists_per_file_errors_and_offers_no_confirmation(client_for, personas):
    client = client_for(personas.newsletter_editor)
    bad = {"issue.md": (DEMO_FOLDER / "issue.md").read_bytes(), "01-a.md": article("A", 1)}
    bad["02-<b>bold.md"] = b"---\ntitle: [unclosed\n---\n"
    preview = upload(client, archive(bad))["Location"]
    page = client.get(preview).content.decode()
    assert "<code>02-&lt;b&gt;bold.md</code>" in page
    assert "the front matter is not valid YAML" in page
    assert "<b>bold" not in page
    assert "Import: make these changes" not in page
    assert client.post(preview).status_code == 403
    assert Issue.objects.count() == 0


def test_text_from_the_archive_is_escaped_in_the_plan(client_for, personas):
    client = client_for(personas.newsletter_editor)
    files = {
        "issue.md": (DEMO_FOLDER / "issue.md").read_bytes(),
        "01-a.md": article('"<img src=x onerror=alert(1)>"', 1),
    }
    page = client.get(upload(client, archive(files))["Location"]).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_another_user_cannot_preview_or_confirm_an_upload(client_for, personas):
    preview = upload(client_for(personas.newsletter_editor), archive())["Location"]
    expected = [
        (personas.staff, 404),  # another editor (a superuser): not theirs, as if it never was
        (personas.program_committee, 403),  # another committee: no import at all
        (personas.member, 302),  # not staff: the admin's login page
    ]
    for user, status in expected:
        client = client_for(user)
        assert [client.get(preview).status_code, client.post(preview).status_code] == [status] * 2
    assert Issue.objects.count() == 0


def test_expired_or_tampered_token_is_gone(client_for, personas):
    client = client_for(personas.newsletter_editor)
    token = upload_store(data=archive(), user=personas.newsletter_editor)
    url = reverse("admin:newsletters_issue_import_preview", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(url.replace(token, token[:-2] + "xx")).status_code == 404
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=3)):
        assert client.post(url).status_code == 404
    assert Issue.objects.count() == 0


def test_upload_form_refuses_a_file_that_is_not_a_zip(client_for, personas):
    client = client_for(personas.newsletter_editor)
    response = upload(client, b"%PDF-1.4 a pdf, not a zip")
    assert response.status_code == 200
    assert "This file is not a zip archive." in response.content.decode()


def test_upload_with_progress_answers_where_to_go(client_for, personas):
    client = client_for(personas.newsletter_editor)
    response = upload(client, archive(), **{"X-Upload-Progress": "1"})
    assert response.json()["next"].startswith(IMPORT)
    assert client.get(response.json()["next"]).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_import_preview(client_for, personas, django_assert_num_queries, n):
    client = client_for(personas.newsletter_editor)
    files = {"issue.md": (DEMO_FOLDER / "issue.md").read_bytes()}
    for number in range(1, n + 1):
        files[f"{number:02}-a.md"] = article(f"Article {number}", number).replace(
            b"order:",
            f"authors:\n  - name: Author {number}\nreferences:\n  - citation: R\norder:".encode(),
        )
    preview = upload(client, archive(files))["Location"]
    client.post(preview)  # stored: the plan compares every article
    files["01-a.md"] = files["01-a.md"].replace(b"Body.", b"New body.")
    preview = upload(client, archive(files))["Location"]
    with django_assert_num_queries(14):
        page = client.get(preview).content.decode()
    assert len(re.findall(r'class="import-(?:changed|unchanged)"', page)) == 1 + n
    assert Article.objects.count() == n
