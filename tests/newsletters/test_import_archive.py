"""The back-issue import: zip safety, the dry run, all-or-nothing, "nothing changed"."""

import io
import stat
import zipfile

import pytest
from django.core.management import call_command
from PIL import Image

from community.models import Person
from newsletters import importer
from newsletters.demo import DEMO_FOLDER
from newsletters.importer import (
    Action,
    ImportFolderError,
    ImportProblems,
    apply_import,
    import_issue,
    parse_files,
    plan_import,
    zip_files,
)
from newsletters.models import Article, Authorship, Issue, Reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def demo_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(DEMO_FOLDER.glob("*.md"))}


def zip_of(files: dict[str, bytes | str], *, top: str = "summer-2020/") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(top + name, data)
    buffer.seek(0)
    return buffer


def from_zip(files: dict[str, bytes | str], **kwargs):
    return parse_files(zip_files(zip_of(files, **kwargs)))


def database() -> tuple:
    """Every row the import can write, with every history row: a dry run must leave all."""
    return (
        list(Issue.objects.values_list("slug", "title", "status", "published_at", "cover", "pdf")),
        list(Article.objects.order_by("pk").values_list("pk", "slug", "title", "body", "order")),
        list(Authorship.objects.order_by("pk").values_list("pk", "person", "order", "role")),
        list(Reference.objects.order_by("pk").values_list("pk", "citation", "doi")),
        list(Person.objects.order_by("pk").values_list("pk", "name", "bio", "affiliation")),
        Issue.history.count(),
        Article.history.count(),
        Person.history.count(),
    )


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def with_attachments(cover: bytes = b"", pdf: bytes = b"") -> dict[str, bytes]:
    files = demo_files()
    extra = "cover: cover.png\n" * bool(cover) + "pdf: summer-2020.pdf\n" * bool(pdf)
    files["issue.md"] = files["issue.md"].replace(
        b"slug: summer-2020\n", extra.encode() + b"slug: summer-2020\n"
    )
    if cover:
        files["cover.png"] = cover
    if pdf:
        files["summer-2020.pdf"] = pdf
    return files


# --- The dry run ---------------------------------------------------------------------


def test_dry_run_of_a_new_issue_changes_nothing():
    before = database()
    plan = plan_import(from_zip(demo_files()))
    assert database() == before
    assert [(c.what, c.action) for c in plan.changes[:2]] == [
        ("issue", Action.CREATED),
        ("article", Action.CREATED),
    ]
    assert plan.count("article", Action.CREATED) == 10
    assert plan.count("person", Action.CREATED) == len(
        {c.name for c in plan.changes if c.what == "person"}
    )


def test_dry_run_of_an_edited_archive_lists_fields_and_changes_nothing():
    import_issue(folder=DEMO_FOLDER)
    files = demo_files()
    name = "10-bayesian-inference.md"
    files[name] = (
        files[name]
        .replace(b"kind: perspective", b"kind: feature")
        .replace(b"Corporate Fellow, CNMS ORNL", b"Fellow, CNMS")
    )
    del files["09-learning-machines-atomistic-modelling.md"]
    before = database()
    plan = plan_import(from_zip(files))
    assert database() == before
    changed = [(c.filename, c.action, c.fields) for c in plan.changes if c.action != "unchanged"]
    assert changed == [
        (name, Action.CHANGED, ["kind", "authors"]),
        ("", Action.REMOVED, []),
    ]
    assert plan.count("article", Action.UNCHANGED) == 8


# --- All or nothing ------------------------------------------------------------------


def test_broken_file_aborts_everything_with_its_name():
    import_issue(folder=DEMO_FOLDER)
    files = demo_files()
    files["01-message-from-the-editor.md"] = files["01-message-from-the-editor.md"].replace(
        b"order: 1\n", b"order: 1\nstandfirst: A fresh standfirst.\n"
    )
    files["04-covid-research-and-resources-group.md"] = b"---\ntitle: [unclosed\n---\nBody\n"
    files["07-broken-kind.md"] = b"---\ntitle: x\nkind: op-ed\norder: 7\n---\nx\n"
    before = database()
    with pytest.raises(ImportProblems) as error:
        apply_import(from_zip(files))
    assert [(p.filename, p.problem[:36]) for p in error.value.problems] == [
        ("04-covid-research-and-resources-group.md", "the front matter is not valid YAML ("),
        ("07-broken-kind.md", "unknown kind 'op-ed'; use one of edi"),
    ]
    assert database() == before


def test_a_broken_file_in_a_new_issue_writes_nothing():
    files = demo_files()
    files["05-2021-meeting-program-planning.md"] = b"No front matter.\n"
    before = database()
    with pytest.raises(ImportFolderError, match=r"05-2021-meeting-program-planning\.md: the file"):
        apply_import(from_zip(files))
    assert database() == before


def test_markdown_that_is_not_utf8_is_named():
    files = {**demo_files(), "11-latin1.md": "---\ntitle: Café\n---\n".encode("latin-1")}
    with pytest.raises(ImportProblems, match=r"11-latin1\.md: is not UTF-8 text"):
        from_zip(files)


# --- Re-import -----------------------------------------------------------------------


def test_reimport_of_the_demo_archive_is_nothing_changed(capsys):
    first = apply_import(from_zip(demo_files()))
    assert not first.nothing_changed
    before = database()
    again = apply_import(from_zip(demo_files()))
    assert again.nothing_changed
    assert {c.action for c in again.changes} == {Action.UNCHANGED}
    assert database() == before  # not one row or history version written
    call_command("import_issue", str(DEMO_FOLDER))
    assert capsys.readouterr().out.startswith("Nothing changed: issue “Summer 2020”")
    assert database() == before


def test_cover_and_pdf_are_compared_by_content():
    files = with_attachments(cover=png("navy"), pdf=PDF)
    plan = apply_import(from_zip(files))
    issue = Issue.objects.get()
    assert issue.cover.name.endswith(".png") and issue.pdf.name.endswith(".pdf")
    assert ("cover", Action.CREATED) in [(c.what, c.action) for c in plan.changes]
    assert apply_import(from_zip(files)).nothing_changed
    before = database()
    plan = plan_import(from_zip(with_attachments(cover=png("teal"), pdf=PDF)))
    assert [(c.what, c.action) for c in plan.changes if c.action != "unchanged"] == [
        ("cover", Action.CHANGED)
    ]
    assert database() == before


def test_cover_goes_through_the_image_checks_and_pdf_by_its_bytes():
    files = with_attachments(cover=b"GIF89a not really", pdf=b"<html>not a pdf</html>")
    with pytest.raises(ImportProblems) as error:
        from_zip(files)
    assert [p.filename for p in error.value.problems] == ["cover.png", "summer-2020.pdf"]


def test_a_file_the_issue_does_not_name_is_refused():
    files = {**demo_files(), "stray.png": png("red")}
    with pytest.raises(ImportProblems, match=r"stray\.png: is not used"):
        from_zip(files)


# --- Unsafe archives -----------------------------------------------------------------


def _zip_with(info: zipfile.ZipInfo, data: bytes = b"x") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in demo_files().items():
            archive.writestr(name, content)
        archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    buffer.seek(0)
    return buffer


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("info", "problem"),
    [
        (zipfile.ZipInfo("../escape.md"), "../escape.md: points outside the archive"),
        (zipfile.ZipInfo("/etc/cron.md"), "/etc/cron.md: has an absolute path"),
        (zipfile.ZipInfo("C:/evil.md"), "C:/evil.md: has an absolute path"),
        (_symlink("11-link.md"), "11-link.md: is a symbolic link"),
        (zipfile.ZipInfo("page.html"), "page.html: has an unexpected file type"),
        (zipfile.ZipInfo("deep/er.md"), "deep/er.md: is in a subfolder"),
    ],
)
def test_unsafe_members_are_refused_by_name(info, problem):
    with pytest.raises(ImportProblems) as error:
        zip_files(_zip_with(info, b"/etc/passwd"))
    assert problem in str(error.value)


def test_zip_bomb_member_is_refused():
    bomb = zipfile.ZipInfo("11-bomb.md")
    with pytest.raises(ImportProblems, match=r"11-bomb\.md: is compressed \d+ to 1"):
        zip_files(_zip_with(bomb, b"\0" * 5_000_000))


def test_archive_limits_on_count_and_total_size(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ARCHIVE_FILES", 5)
    with pytest.raises(ImportProblems, match=r"the archive: holds 11 files; the limit is 5"):
        zip_files(zip_of(demo_files()))
    monkeypatch.setattr(importer, "MAX_ARCHIVE_FILES", 200)
    monkeypatch.setattr(importer, "MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(ImportProblems, match=r"the archive: unpacks to more than"):
        zip_files(zip_of(demo_files()))


def test_not_a_zip_is_one_clear_problem():
    with pytest.raises(ImportProblems, match=r"the archive: is not a readable zip file"):
        zip_files(io.BytesIO(b"PK\x03\x04 but nothing else"))


def test_files_at_the_top_or_in_one_folder_read_the_same():
    assert zip_files(zip_of(demo_files(), top="")) == zip_files(zip_of(demo_files()))
