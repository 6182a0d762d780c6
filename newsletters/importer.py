"""Import an issue from Markdown files with YAML front matter (a folder or a zip).

The format is documented in docs/newsletters.md. The command (a folder) and the
admin (an uploaded zip) share every step here:

1. the files: `folder_files` or `zip_files` (which refuses unsafe archives, per file);
2. `parse_files` reads and validates every file and raises ImportProblems listing
   each broken file, so nothing is written unless every file is good;
3. `plan_import` compares the files with the database (read-only: the dry run)
   and says, per issue, article, person and attached file, what would be
   created, changed (and which fields), left unchanged or removed;
4. `apply_import` writes exactly the changes of a fresh plan, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from community.models import Person
from community.services import person_find_or_create
from gds_portal.uploads import clean_image, clean_pdf
from newsletters.enums import ArticleKind, ArticleState, IssueStatus, Season
from newsletters.models import Article, Authorship, Issue, Reference

ISSUE_FILE = "issue.md"
ISSUE_KEYS = {
    "title",
    "slug",
    "season",
    "year",
    "volume",
    "number",
    "published_at",
    "cover",
    "pdf",
}
ARTICLE_KEYS = {"title", "slug", "kind", "order", "standfirst", "authors", "references"}
AUTHOR_KEYS = {"name", "slug", "role", "affiliation", "position", "bio", "website", "orcid"}
REFERENCE_KEYS = {
    "citation",
    "doi",
    "url",
    "authors",
    "title",
    "journal",
    "volume",
    "pages",
    "year",
}
PERSON_FIELDS = ["affiliation", "position", "bio", "website", "orcid"]
ISSUE_FIELDS = ["title", "season", "year", "volume", "number", "summary"]
ARTICLE_FIELDS = ["title", "kind", "order", "standfirst", "body"]
REFERENCE_FIELDS = [
    "order",
    "citation",
    "doi",
    "url",
    "authors",
    "title",
    "journal",
    "volume",
    "pages",
    "year",
]
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
ALLOWED_SUFFIXES = {".md", ".pdf", *IMAGE_SUFFIXES}
COVER_MAX_SIDE = 1200  # as the issue form (newsletters/admin.py)
# Limits of an uploaded archive, each checked before anything is unpacked, and again
# while reading (a zip's declared sizes are not trusted): a zip bomb stops here.
MAX_ARCHIVE_FILES = 200
MAX_MARKDOWN_BYTES = 1_000_000
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # text compresses ~5:1; a bomb 1000:1
ARCHIVE = "the archive"
# Noise that zip tools add: skipped without a word.
ZIP_NOISE = ("__MACOSX/", ".DS_Store", "Thumbs.db")


class ImportFolderError(Exception):
    """A problem in one file of the folder; str() names the file and the problem."""

    def __init__(self, filename: str, problem: str):
        self.filename, self.problem = filename, problem
        super().__init__(f"{filename}: {problem}")


class ImportProblems(ImportFolderError):
    """Every broken file at once (the first problem of each); str() lists them all."""

    def __init__(self, problems: list[ImportFolderError]):
        self.problems = problems
        self.filename, self.problem = problems[0].filename, problems[0].problem
        Exception.__init__(self, "; ".join(str(problem) for problem in problems))


Files = dict[str, bytes]


def split_front_matter(text: str, *, filename: str) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, Markdown body) of a file that starts with `---`."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ImportFolderError(filename, "the file must start with a '---' line (front matter).")
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if closing is None:
        raise ImportFolderError(filename, "the front matter has no closing '---' line.")
    try:
        data = yaml.safe_load("".join(lines[1:closing])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise ImportFolderError(filename, f"the front matter is not valid YAML{where}.") from None
    if not isinstance(data, dict):
        raise ImportFolderError(filename, "the front matter must be a set of 'key: value' lines.")
    return data, "".join(lines[closing + 1 :]).strip() + "\n"


@dataclass
class ParsedArticle:
    filename: str
    article: Article
    authors: list[dict[str, Any]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


@dataclass
class Attachment:
    """A cover or PDF from the files, already cleaned (re-encoded, checked by its bytes)."""

    filename: str
    upload: Any  # the cleaned file, ready for a FileField
    sha256: str


@dataclass
class ParsedIssue:
    issue: Issue
    published_at: dt.datetime | None
    articles: list[ParsedArticle]
    cover: Attachment | None = None
    pdf: Attachment | None = None


APPROVED_NOTE = "will be marked approved: back issue as printed"


class Action:
    CREATED, CHANGED, UNCHANGED, REMOVED = "created", "changed", "unchanged", "removed"


@dataclass
class Change:
    """One object of the plan: what it is, where it comes from, and what happens to it."""

    what: str  # "issue", "article", "person", "cover", "PDF"
    name: str
    filename: str
    action: str
    fields: list[str] = field(default_factory=list)
    # A state change the dry run names explicitly (an imported back issue's new articles).
    note: str = ""


@dataclass
class ImportPlan:
    parsed: ParsedIssue
    changes: list[Change]
    issue: Issue | None = None  # the stored issue, if there is one (after apply: always)

    @property
    def nothing_changed(self) -> bool:
        return all(change.action == Action.UNCHANGED for change in self.changes)

    def count(self, what: str, action: str) -> int:
        return sum(1 for c in self.changes if c.what == what and c.action == action)


@dataclass
class ImportResult:
    issue: Issue
    created: bool
    articles_created: int
    articles_updated: int
    articles_removed: int
    articles_unchanged: int = 0
    plan: ImportPlan | None = None

    @property
    def nothing_changed(self) -> bool:
        return self.plan is not None and self.plan.nothing_changed


def _unknown_keys(data: dict, allowed: set[str], *, filename: str, where: str = "") -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ImportFolderError(
            filename,
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}{where}; "
            f"allowed: {', '.join(sorted(allowed))}.",
        )


def _required(data: dict, key: str, *, filename: str, where: str = "") -> Any:
    value = data.get(key)
    if value in (None, ""):
        raise ImportFolderError(filename, f"'{key}' is missing{where}.")
    return value


def _as_int(value: Any, key: str, *, filename: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportFolderError(filename, f"'{key}' must be a whole number, not {value!r}.")
    return value


def _as_datetime(value: Any, *, filename: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        when = dt.datetime.combine(value, dt.time(12, 0))
    else:
        when = parse_datetime(str(value))
        if when is None:
            raise ImportFolderError(
                filename,
                f"'published_at' must be a date and time such as 2020-08-15T12:00:00Z, "
                f"not {value!r}.",
            )
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _validation_problem(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _text(files: Files, filename: str) -> str:
    data = files[filename]
    if len(data) > MAX_MARKDOWN_BYTES:
        raise ImportFolderError(filename, "is larger than 1 MB; is it really one article?")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFolderError(filename, "is not UTF-8 text; save it as UTF-8.") from None


def _parse_issue(files: Files) -> tuple[Issue, dt.datetime | None, dict[str, str]]:
    data, summary = split_front_matter(_text(files, ISSUE_FILE), filename=ISSUE_FILE)
    _unknown_keys(data, ISSUE_KEYS, filename=ISSUE_FILE)
    title = str(_required(data, "title", filename=ISSUE_FILE))
    season = str(_required(data, "season", filename=ISSUE_FILE)).lower()
    if season not in Season.values:
        raise ImportFolderError(
            ISSUE_FILE, f"unknown season {season!r}; use one of {', '.join(Season.values)}."
        )
    issue = Issue(
        title=title,
        slug=str(data.get("slug") or slugify(title)),
        season=season,
        year=_as_int(_required(data, "year", filename=ISSUE_FILE), "year", filename=ISSUE_FILE),
        volume=_as_int(data.get("volume"), "volume", filename=ISSUE_FILE),
        number=_as_int(data.get("number"), "number", filename=ISSUE_FILE),
        summary=summary.strip(),
    )
    try:
        issue.full_clean(
            exclude=["cover", "pdf", "published_at"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ImportFolderError(ISSUE_FILE, _validation_problem(error)) from None
    clash = Issue.objects.filter(year=issue.year, season=issue.season).exclude(slug=issue.slug)
    if clash.exists():
        raise ImportFolderError(
            ISSUE_FILE,
            f"another issue ({clash.first().slug}) is already {season} {issue.year}; "
            "use its slug to update it.",
        )
    attached = {key: str(data[key]) for key in ("cover", "pdf") if data.get(key)}
    return issue, _as_datetime(data.get("published_at"), filename=ISSUE_FILE), attached


def _parse_authors(raw: Any, *, filename: str) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFolderError(filename, "'authors' must be a list of '- name: …' entries.")
    authors = []
    for number, entry in enumerate(raw, 1):
        where = f" in author {number}"
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            raise ImportFolderError(filename, f"author {number} must be a 'name: …' mapping.")
        _unknown_keys(entry, AUTHOR_KEYS, filename=filename, where=where)
        _required(entry, "name", filename=filename, where=where)
        authors.append({key: str(value).strip() for key, value in entry.items() if value})
    names = [a.get("slug") or a["name"].lower() for a in authors]
    if len(set(names)) != len(names):
        raise ImportFolderError(filename, "the same author is listed twice.")
    return authors


def _parse_references(raw: Any, *, filename: str) -> list[Reference]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFolderError(filename, "'references' must be a list of '- citation: …' entries.")
    references = []
    for number, entry in enumerate(raw, 1):
        where = f" in reference {number}"
        if isinstance(entry, str):
            entry = {"citation": entry}
        if not isinstance(entry, dict):
            raise ImportFolderError(
                filename, f"reference {number} must be a 'citation: …' mapping."
            )
        _unknown_keys(entry, REFERENCE_KEYS, filename=filename, where=where)
        authors = entry.get("authors") or []
        year = entry.get("year")
        reference = Reference(
            order=number,
            citation=str(_required(entry, "citation", filename=filename, where=where)).strip(),
            doi=str(entry.get("doi") or "").strip(),
            url=str(entry.get("url") or "").strip(),
            # A list of "Family, Given" names, or one name a line.
            authors="\n".join(
                str(name).strip() for name in (authors if isinstance(authors, list) else [authors])
            ).strip(),
            title=str(entry.get("title") or "").strip(),
            journal=str(entry.get("journal") or "").strip(),
            volume=str(entry.get("volume") or "").strip(),
            pages=str(entry.get("pages") or "").strip(),
            year=year,
        )
        try:
            reference.full_clean(exclude=["article"])
        except ValidationError as error:
            problem = f"reference {number}: {_validation_problem(error)}"
            raise ImportFolderError(filename, problem) from None
        references.append(reference)
    return references


def _parse_article(filename: str, files: Files) -> ParsedArticle:
    data, body = split_front_matter(_text(files, filename), filename=filename)
    _unknown_keys(data, ARTICLE_KEYS, filename=filename)
    title = str(_required(data, "title", filename=filename))
    kind = str(_required(data, "kind", filename=filename))
    if kind not in ArticleKind.values:
        raise ImportFolderError(
            filename, f"unknown kind {kind!r}; use one of {', '.join(ArticleKind.values)}."
        )
    article = Article(
        title=title,
        slug=str(data.get("slug") or slugify(title)[:120]),
        kind=kind,
        order=_as_int(_required(data, "order", filename=filename), "order", filename=filename),
        standfirst=str(data.get("standfirst") or "").strip(),
        body=body,
    )
    try:
        article.full_clean(exclude=["issue"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ImportFolderError(filename, _validation_problem(error)) from None
    return ParsedArticle(
        filename=filename,
        article=article,
        authors=_parse_authors(data.get("authors"), filename=filename),
        references=_parse_references(data.get("references"), filename=filename),
    )


def _attachment(files: Files, key: str, filename: str) -> Attachment:
    """The cover (an image, re-encoded as every upload) or the PDF (checked by its bytes)."""
    if filename not in files:
        raise ImportFolderError(ISSUE_FILE, f"'{key}' names {filename!r}, which is not there.")
    suffixes = IMAGE_SUFFIXES if key == "cover" else {".pdf"}
    if PurePosixPath(filename).suffix.lower() not in suffixes:
        wanted = "a JPEG, PNG, WebP or GIF image" if key == "cover" else "a .pdf file"
        raise ImportFolderError(ISSUE_FILE, f"'{key}' must name {wanted}, not {filename!r}.")
    upload = SimpleUploadedFile(filename, files[filename])
    try:
        cleaned = (
            clean_image(upload, max_side=COVER_MAX_SIDE) if key == "cover" else clean_pdf(upload)
        )
    except ValidationError as error:
        raise ImportFolderError(filename, " ".join(error.messages)) from None
    cleaned.seek(0)
    digest = hashlib.sha256(cleaned.read()).hexdigest()
    cleaned.seek(0)
    return Attachment(filename=filename, upload=cleaned, sha256=digest)


def parse_files(files: Files, *, where: str = ARCHIVE) -> ParsedIssue:
    """Parse and validate every file; raise ImportProblems naming each broken file.

    Reads the database only to refuse an issue whose season and year belong to another.
    """
    problems: list[ImportFolderError] = []

    def attempt(read, *args):
        try:
            return read(*args)
        except ImportFolderError as error:
            problems.append(error)
            return None

    head = None
    if ISSUE_FILE in files:
        head = attempt(_parse_issue, files)
    else:
        problems.append(ImportFolderError(ISSUE_FILE, f"no {ISSUE_FILE} in {where}."))
    names = [n for n in sorted(files) if n != ISSUE_FILE and n.lower().endswith(".md")]
    articles, seen = [], {}
    for name in names:
        parsed = attempt(_parse_article, name, files)
        if parsed is None:
            continue
        slug = parsed.article.slug
        if slug in seen:
            problems.append(
                ImportFolderError(
                    name, f"the article slug {slug!r} is already used by {seen[slug]}."
                )
            )
            continue
        seen[slug] = name
        articles.append(parsed)
    if not names:
        problems.append(ImportFolderError(where, "has no article files (*.md besides issue.md)."))
    attached = head[2] if head else {}
    cover = attempt(_attachment, files, "cover", attached["cover"]) if "cover" in attached else None
    pdf = attempt(_attachment, files, "pdf", attached["pdf"]) if "pdf" in attached else None
    for name in sorted(files):
        if not name.lower().endswith(".md") and name not in attached.values() and head:
            problems.append(
                ImportFolderError(name, "is not used: name it in issue.md as 'cover:' or 'pdf:'.")
            )
    if problems:
        raise ImportProblems(problems)
    issue, published_at, _ = head  # type: ignore[misc]  # no problems: the issue was read
    return ParsedIssue(
        issue=issue, published_at=published_at, articles=articles, cover=cover, pdf=pdf
    )


def folder_files(folder: Path) -> Files:
    """The files of a folder on the editor's disk: Markdown, images and PDFs at its top."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFolderError(str(folder), "is not a folder.")
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix.lower() in ALLOWED_SUFFIXES
    }


def read_folder(folder: Path) -> ParsedIssue:
    """Parse and validate every file of a folder; raise ImportProblems on any problem."""
    return parse_files(folder_files(folder), where=str(folder))


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why this archive member may not be unpacked, or None."""
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "has an absolute path; the archive may hold only plain file names."
    if ".." in path.parts:
        return "points outside the archive ('..'); it was not unpacked."
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link; the archive may hold only plain files."
    if info.flag_bits & 0x1:
        return "is encrypted; upload an archive without a password."
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        return (
            "has an unexpected file type; the archive may hold Markdown (.md), images "
            "(.jpg, .png, .webp, .gif) and a PDF only."
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
        return f"is compressed {ratio:.0f} to 1, which only a zip bomb is; it was not unpacked."
    return None


def _archive_names(infos: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Member name → name in the issue: one common top folder (as zip tools add) is dropped."""
    names = {info.filename: info.filename for info in infos}
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    if len(tops) == 1 and all("/" in name for name in names):
        top = tops.pop() + "/"
        names = {name: name.removeprefix(top) for name in names}
    return names


def zip_files(archive: BinaryIO) -> Files:
    """The files of an uploaded zip, unpacked in memory after every safety check.

    Refuses (ImportProblems, one line per file) path traversal, absolute paths,
    symbolic links, encrypted members, subfolders, unexpected file types, and zip
    bombs: too many files, too many bytes in all, a member compressed beyond any
    real document, or a member larger than it declared.
    """
    try:
        with zipfile.ZipFile(archive) as zipped:
            return _unpack(zipped)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise ImportProblems([ImportFolderError(ARCHIVE, "is not a readable zip file.")]) from None


def _unpack(zipped: zipfile.ZipFile) -> Files:
    infos = [
        info
        for info in zipped.infolist()
        if not info.is_dir() and not any(noise in info.filename for noise in ZIP_NOISE)
    ]
    if len(infos) > MAX_ARCHIVE_FILES:
        raise ImportProblems(
            [
                ImportFolderError(
                    ARCHIVE, f"holds {len(infos)} files; the limit is {MAX_ARCHIVE_FILES}."
                )
            ]
        )
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        limit = MAX_UNCOMPRESSED_BYTES // 1_048_576
        raise ImportProblems(
            [ImportFolderError(ARCHIVE, f"unpacks to more than {limit} MB; it was not unpacked.")]
        )
    # One problem per file, the first that applies: a traversal path is not also "in a
    # subfolder", and a file named twice is named once.
    found: dict[str, str] = {}
    for info in infos:
        if info.filename not in found and (problem := _member_problem(info)):
            found[info.filename] = problem
    names = _archive_names(infos)
    seen: dict[str, int] = {}
    for info in infos:
        seen[names[info.filename]] = seen.get(names[info.filename], 0) + 1
    for info in infos:
        if info.filename in found:
            continue
        if seen[names[info.filename]] > 1:
            found[info.filename] = "is in the archive more than once; keep one of them."
        elif "/" in names[info.filename]:
            found[info.filename] = "is in a subfolder; put every file at the top."
    files = {}
    if len(found) < len({info.filename for info in infos}):
        for info in infos:
            if info.filename in found:
                continue
            data = _read_member(zipped, info)
            # Reported with the others, not after them: Markdown must be UTF-8.
            if info.filename.lower().endswith(".md"):
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError:
                    found[info.filename] = "is not UTF-8 text; save it as UTF-8."
                    continue
            files[names[info.filename]] = data
    if found:
        raise ImportProblems([ImportFolderError(name, problem) for name, problem in found.items()])
    return files


def _read_member(zipped: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zipped.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size:  # lied about its size: never read on
        raise ImportProblems([ImportFolderError(info.filename, "is larger than it declares.")])
    return data


# --- The plan (the dry run) -----------------------------------------------------------


def _person_key(author: dict[str, Any]) -> tuple[str, str]:
    return ("slug", author["slug"]) if author.get("slug") else ("name", author["name"].lower())


def _matching_people(parsed: ParsedIssue) -> dict[tuple[str, str], Person]:
    """The existing Person of each author, in one query (as `person_find_or_create` matches)."""
    keys = {_person_key(a) for article in parsed.articles for a in article.authors}
    slugs = [value for kind, value in keys if kind == "slug"]
    names = [value for kind, value in keys if kind == "name"]
    people = (
        Person.objects.annotate(lower_name=Lower("name"))
        .filter(Q(slug__in=slugs) | Q(lower_name__in=names))
        .order_by("-pk")  # so the oldest of several with one name is kept
    )
    found: dict[tuple[str, str], Person] = {}
    for person in people:
        found[("slug", person.slug)] = person
        found[("name", person.lower_name)] = person
    return {key: found[key] for key in keys if key in found}


def _stored_digest(stored) -> str | None:
    if not stored:
        return None
    try:
        with stored.storage.open(stored.name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None  # gone from the storage: the import puts it back


def _issue_change(parsed: ParsedIssue, stored: Issue | None) -> list[Change]:
    new = parsed.issue
    if stored is None:
        changes = [Change("issue", new.title, ISSUE_FILE, Action.CREATED)]
    else:
        fields = [name for name in ISSUE_FIELDS if getattr(stored, name) != getattr(new, name)]
        if parsed.published_at is not None:
            if stored.published_at != parsed.published_at:
                fields.append("published_at")
            if stored.status != _status_for(parsed.published_at):
                fields.append("status")
        action = Action.CHANGED if fields else Action.UNCHANGED
        changes = [Change("issue", new.title, ISSUE_FILE, action, fields)]
    for what, attachment, current in [
        ("cover", parsed.cover, stored.cover if stored else None),
        ("PDF", parsed.pdf, stored.pdf if stored else None),
    ]:
        if attachment is None:
            continue
        if not current:
            action = Action.CREATED
        elif _stored_digest(current) == attachment.sha256:
            action = Action.UNCHANGED
        else:
            action = Action.CHANGED
        changes.append(Change(what, attachment.filename, attachment.filename, action))
    return changes


def _status_for(published_at: dt.datetime) -> str:
    return IssueStatus.SCHEDULED if published_at > timezone.now() else IssueStatus.PUBLISHED


def _reference_values(reference: Reference) -> tuple:
    return tuple(getattr(reference, name) for name in REFERENCE_FIELDS)


def _article_fields(
    parsed: ParsedArticle, stored: Article, people: dict[tuple[str, str], Person]
) -> list[str]:
    fields = [n for n in ARTICLE_FIELDS if getattr(stored, n) != getattr(parsed.article, n)]
    byline = [(a.person_id, a.order, a.role) for a in stored.authorships.all()]
    wanted = [
        (getattr(people.get(_person_key(a)), "pk", None), n, a.get("role", ""))
        for n, a in enumerate(parsed.authors, 1)
    ]
    if byline != wanted:
        fields.append("authors")
    stored_refs = [_reference_values(r) for r in stored.references.all()]
    if stored_refs != [_reference_values(r) for r in parsed.references]:
        fields.append("references")
    return fields


def _people_changes(parsed: ParsedIssue, people: dict[tuple[str, str], Person]) -> list[Change]:
    changes, seen = [], set()
    for article in parsed.articles:
        for author in article.authors:
            key = _person_key(author)
            if key in seen:
                continue
            seen.add(key)
            person = people.get(key)
            if person is None:
                changes.append(Change("person", author["name"], article.filename, Action.CREATED))
                continue
            blanks = [n for n in PERSON_FIELDS if author.get(n) and not getattr(person, n)]
            if blanks:
                changes.append(
                    Change("person", person.name, article.filename, Action.CHANGED, blanks)
                )
    return changes


def _stored_issue(parsed: ParsedIssue, *, lock: bool = False) -> Issue | None:
    issues = Issue.objects.select_for_update() if lock else Issue.objects.all()
    return issues.filter(slug=parsed.issue.slug).first()


def _stored_articles(issue: Issue | None) -> dict[str, Article]:
    if issue is None:
        return {}
    articles = issue.articles.order_by("order", "pk").prefetch_related("authorships", "references")
    return {article.slug: article for article in articles}


def plan_import(parsed: ParsedIssue, *, lock: bool = False) -> ImportPlan:
    """What importing `parsed` would do, object by object; writes nothing (the dry run).

    Fields are compared with the stored values (bylines and references as lists, the
    cover and PDF by a SHA-256 of their content), so an unchanged archive plans only
    "unchanged". A fixed number of queries, whatever the number of articles.
    """
    issue = _stored_issue(parsed, lock=lock)
    stored = _stored_articles(issue)
    people = _matching_people(parsed)
    changes = _issue_change(parsed, issue)
    publishes = parsed.published_at is not None
    problems = []
    for article in parsed.articles:
        current = stored.get(article.article.slug)
        if current is None:
            note = APPROVED_NOTE if publishes else ""
            changes.append(
                Change(
                    "article", article.article.title, article.filename, Action.CREATED, note=note
                )
            )
            continue
        if publishes and current.state != ArticleState.APPROVED:
            # The import never approves an article someone is reviewing: a second editor does.
            problems.append(
                ImportFolderError(
                    article.filename,
                    f"“{current.title}” is {current.get_state_display().lower()} in the stored "
                    "issue, and the import would publish or schedule the issue (published_at): "
                    "approve the article in the admin first, or leave published_at out.",
                )
            )
        fields = _article_fields(article, current, people)
        action = Action.CHANGED if fields else Action.UNCHANGED
        changes.append(Change("article", article.article.title, article.filename, action, fields))
    keep = {article.article.slug for article in parsed.articles}
    changes += [
        Change("article", article.title, "", Action.REMOVED)
        for slug, article in stored.items()
        if slug not in keep
    ]
    if problems:
        raise ImportProblems(problems)
    changes += _people_changes(parsed, people)
    return ImportPlan(parsed=parsed, changes=changes, issue=issue)


# --- Applying the plan ----------------------------------------------------------------


def _person_for(author: dict[str, Any]) -> Person:
    """The existing person (by slug, else by name) or a new one; fills only blank fields."""
    return person_find_or_create(
        name=author["name"],
        slug=author.get("slug", ""),
        by_name=not author.get("slug"),
        details={name: author.get(name, "") for name in PERSON_FIELDS},
        fill_blanks=True,
    )


def _save_issue(plan: ImportPlan, *, by, reason: str) -> Issue:
    parsed, head = plan.parsed, plan.changes[0]
    issue = plan.issue or parsed.issue
    attachments = [c for c in plan.changes if c.what in {"cover", "PDF"}]
    if head.action == Action.UNCHANGED and all(c.action == Action.UNCHANGED for c in attachments):
        return issue
    for name in ISSUE_FIELDS:
        setattr(issue, name, getattr(parsed.issue, name))
    if parsed.published_at is not None:
        issue.published_at = parsed.published_at
        issue.status = _status_for(parsed.published_at)
    for change, attachment, name in [
        (c, parsed.cover if c.what == "cover" else parsed.pdf, c.what.lower()) for c in attachments
    ]:
        if change.action != Action.UNCHANGED:
            setattr(issue, name, attachment.upload)
    issue._history_user = by
    issue._change_reason = reason
    issue.save()
    return issue


def _save_article(issue: Issue, parsed: ParsedArticle, change: Change, stored) -> None:
    if change.action == Action.UNCHANGED:
        return
    new = parsed.article
    article = stored or Article(issue=issue, slug=new.slug)
    if change.action == Action.CREATED or set(change.fields) & set(ARTICLE_FIELDS):
        for name in ARTICLE_FIELDS:
            setattr(article, name, getattr(new, name))
        # Only an article the import creates in an issue it publishes or schedules (a back
        # issue, as printed) is approved; existing articles keep their review state.
        if change.note == APPROVED_NOTE:
            article.state = ArticleState.APPROVED
        article.save()
    # Bylines and references are replaced wholesale: the file is the source of truth.
    if change.action == Action.CREATED or "authors" in change.fields:
        article.authorships.all().delete()
        Authorship.objects.bulk_create(
            Authorship(article=article, person=_person_for(a), order=n, role=a.get("role", ""))
            for n, a in enumerate(parsed.authors, 1)
        )
    if change.action == Action.CREATED or "references" in change.fields:
        article.references.all().delete()
        for reference in parsed.references:
            reference.article = article
        Reference.objects.bulk_create(parsed.references)


def _fill_people(parsed: ParsedIssue, changes: Iterable[Change]) -> None:
    """Create the people the plan creates, fill the blanks it fills (only those are saved)."""
    if any(change.what == "person" for change in changes):
        for article in parsed.articles:
            for author in article.authors:
                _person_for(author)


def apply_import(
    parsed: ParsedIssue, *, by=None, reason: str = "Imported by import_issue"
) -> ImportPlan:
    """Write what a fresh plan of `parsed` says, in one transaction; return that plan.

    Side effects: the Issue row (saved, with one history version, only if one of its
    fields, its cover or its PDF changed; its publication time and state only if the
    files give `published_at`), created and changed Articles (one history version
    each; removed articles are deleted), their Authorships and References (replaced
    when they differ), People created for new authors (existing people only get blank
    fields filled). Unchanged objects are not written at all. Never mails subscribers.
    """
    with transaction.atomic():
        # Two imports of the same issue at once (a double click on the confirmation) wait
        # for each other here instead of both creating the issue (a unique-slug clash).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"newsletters.import:{parsed.issue.slug}"],
            )
        plan = plan_import(parsed, lock=True)
        stored = _stored_articles(plan.issue)
        _fill_people(parsed, plan.changes)
        issue = _save_issue(plan, by=by, reason=reason)
        article_changes = [c for c in plan.changes if c.what == "article"]
        for article, change in zip(parsed.articles, article_changes, strict=False):
            _save_article(issue, article, change, stored.get(article.article.slug))
        keep = [article.article.slug for article in parsed.articles]
        issue.articles.exclude(slug__in=keep).delete()
    plan.issue = issue
    return plan


def import_issue(*, folder: Path, by=None) -> ImportResult:
    """Create or update the issue described by `folder` (see `apply_import`); idempotent.

    Raises ImportProblems (an ImportFolderError), naming each broken file, and writes
    nothing on any problem.
    """
    plan = apply_import(read_folder(folder), by=by)
    return result_of(plan)


def result_of(plan: ImportPlan) -> ImportResult:
    """The counts of an applied plan, for the command's one-line report."""
    issue = plan.issue or plan.parsed.issue
    return ImportResult(
        issue=issue,
        created=plan.changes[0].action == Action.CREATED,
        articles_created=plan.count("article", Action.CREATED),
        articles_updated=plan.count("article", Action.CHANGED),
        articles_removed=plan.count("article", Action.REMOVED),
        articles_unchanged=plan.count("article", Action.UNCHANGED),
        plan=plan,
    )
