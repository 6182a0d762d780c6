"""An editor imports a back issue in the admin: upload, dry run with an error, fix, confirm."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from newsletters.demo import DEMO_FOLDER
from newsletters.models import Issue
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory

BROKEN = "05-2021-meeting-program-planning.md"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"summer-2020/{name}", data)
    return buffer.getvalue()


def upload(page, data: bytes) -> None:
    page.get_by_label("Archive (.zip)").set_input_files(
        {"name": "summer-2020.zip", "mimeType": "application/zip", "buffer": data}
    )
    page.get_by_role("button", name="Upload and show what would change").click()


def test_editor_fixes_a_broken_file_and_imports_the_issue(page):
    editor = UserFactory(email="kyle@example.org", roles=[Role.NEWSLETTER_EDITORS])
    files = {path.name: path.read_bytes() for path in sorted(DEMO_FOLDER.glob("*.md"))}
    good = files[BROKEN]
    files[BROKEN] = good.replace(b"kind: announcement", b"kind: op-ed")
    assert files[BROKEN] != good
    uploads = []  # the uploads the page sent, and whether through the progress-bar path
    page.on(
        "request",
        lambda request: (
            uploads.append(request.headers.get("x-upload-progress"))
            if request.method == "POST" and request.url.endswith("/issue/import/")
            else None
        ),
    )
    login(page, editor.email, PASSWORD)

    page.goto(page.live_url + "/admin/newsletters/issue/")
    page.get_by_role("link", name="Import a back issue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a back issue")
    assert_accessible(page)
    upload(page, zipped(files))

    problems = page.locator("#import-problems")
    expect(problems).to_contain_text(BROKEN)
    expect(problems).to_contain_text("unknown kind 'op-ed'")
    expect(page.get_by_role("button", name="Import: make these changes")).to_have_count(0)
    assert_accessible(page)
    assert Issue.objects.count() == 0

    page.get_by_role("link", name="Upload the fixed archive").click()
    files[BROKEN] = good
    upload(page, zipped(files))
    expect(page.locator("#import-summary")).to_contain_text("This is a dry run")
    expect(page.locator("#import-plan tr.import-created")).to_have_count(
        1
        + 10
        + len(
            {
                line
                for line in b"".join(files.values()).split(b"\n")
                if line.startswith(b"  - name: ")
            }
        )
    )
    assert_accessible(page)
    assert Issue.objects.count() == 0

    page.get_by_role("button", name="Import: make these changes").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Imported “Summer 2020”. Articles: 10 created"
    )
    assert Issue.objects.get().articles.count() == 10
    assert uploads == ["1", "1"]  # both went through the upload with a progress bar
