"""Import an issue from a folder of Markdown files with YAML front matter.

The format is documented in docs/newsletters.md. Everything is read and
validated before anything is written, and the writes run in one transaction:
a folder with any problem writes nothing and the error names the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from community.models import Person
from community.services import person_find_or_create
from newsletters.enums import ArticleKind, ArticleState, IssueStatus, Season
from newsletters.models import Article, Authorship, Issue, Reference

ISSUE_FILE = "issue.md"
ISSUE_KEYS = {"title", "slug", "season", "year", "volume", "number", "published_at"}
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


class ImportFolderError(Exception):
    """A problem in one file of the folder; str() names the file and the problem."""

    def __init__(self, filename: str, problem: str):
        self.filename, self.problem = filename, problem
        super().__init__(f"{filename}: {problem}")


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
class ParsedIssue:
    issue: Issue
    published_at: dt.datetime | None
    articles: list[ParsedArticle]


@dataclass
class ImportResult:
    issue: Issue
    created: bool
    articles_created: int
    articles_updated: int
    articles_removed: int


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


def _parse_issue(folder: Path) -> tuple[Issue, dt.datetime | None]:
    path = folder / ISSUE_FILE
    if not path.is_file():
        raise ImportFolderError(ISSUE_FILE, f"no {ISSUE_FILE} in {folder}.")
    data, summary = split_front_matter(path.read_text(encoding="utf-8"), filename=ISSUE_FILE)
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
    return issue, _as_datetime(data.get("published_at"), filename=ISSUE_FILE)


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


def _parse_article(path: Path) -> ParsedArticle:
    filename = path.name
    data, body = split_front_matter(path.read_text(encoding="utf-8"), filename=filename)
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


def read_folder(folder: Path) -> ParsedIssue:
    """Parse and validate every file; raise ImportFolderError on the first problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFolderError(str(folder), "is not a folder.")
    issue, published_at = _parse_issue(folder)
    articles, seen = [], {}
    for path in sorted(folder.glob("*.md")):
        if path.name == ISSUE_FILE:
            continue
        parsed = _parse_article(path)
        slug = parsed.article.slug
        if slug in seen:
            raise ImportFolderError(
                path.name, f"the article slug {slug!r} is already used by {seen[slug]}."
            )
        seen[slug] = path.name
        articles.append(parsed)
    if not articles:
        raise ImportFolderError(str(folder), "has no article files (*.md besides issue.md).")
    return ParsedIssue(issue=issue, published_at=published_at, articles=articles)


def _person_for(author: dict[str, Any]) -> Person:
    """The existing person (by slug, else by name) or a new one; fills only blank fields."""
    return person_find_or_create(
        name=author["name"],
        slug=author.get("slug", ""),
        by_name=not author.get("slug"),
        details={name: author.get(name, "") for name in PERSON_FIELDS},
        fill_blanks=True,
    )


def _save_issue(parsed: ParsedIssue, *, by) -> tuple[Issue, bool]:
    fields = ["title", "season", "year", "volume", "number", "summary"]
    issue = Issue.objects.select_for_update().filter(slug=parsed.issue.slug).first()
    created = issue is None
    issue = issue or parsed.issue
    for name in fields:
        setattr(issue, name, getattr(parsed.issue, name))
    if parsed.published_at is not None:
        issue.published_at = parsed.published_at
        future = parsed.published_at > timezone.now()
        issue.status = IssueStatus.SCHEDULED if future else IssueStatus.PUBLISHED
    issue._history_user = by
    issue._change_reason = "Imported by import_issue"
    issue.save()
    return issue, created


def _save_article(issue: Issue, parsed: ParsedArticle) -> bool:
    new = parsed.article
    article = Article.objects.filter(issue=issue, slug=new.slug).first()
    created = article is None
    article = article or Article(issue=issue, slug=new.slug)
    for name in ["title", "kind", "order", "standfirst", "body"]:
        setattr(article, name, getattr(new, name))
    if issue.status != IssueStatus.DRAFT:
        # An issue the import publishes or schedules (a back issue, as printed) was
        # approved by its editors then; a draft import goes through review like any draft.
        article.state = ArticleState.APPROVED
    article.save()
    # Bylines and references are replaced wholesale: the file is the source of truth.
    article.authorships.all().delete()
    Authorship.objects.bulk_create(
        Authorship(article=article, person=_person_for(a), order=n, role=a.get("role", ""))
        for n, a in enumerate(parsed.authors, 1)
    )
    article.references.all().delete()
    for reference in parsed.references:
        reference.article = article
    Reference.objects.bulk_create(parsed.references)
    return created


def import_issue(*, folder: Path, by=None) -> ImportResult:
    """Create or update the issue described by `folder`; idempotent.

    Side effects, all in one transaction: the Issue row (its publication time and
    state only if the issue file gives `published_at`), its Articles (articles whose
    file is gone are removed), their Authorships and References, People created for
    new authors (existing people only get blank fields filled), and one history
    version of the issue (its status changes show there). Imports never mail subscribers.
    Raises ImportFolderError, naming the file, and writes nothing on any problem.
    """
    parsed = read_folder(folder)
    with transaction.atomic():
        issue, created = _save_issue(parsed, by=by)
        outcomes = [_save_article(issue, article) for article in parsed.articles]
        keep = [article.article.slug for article in parsed.articles]
        stale = issue.articles.exclude(slug__in=keep)
        removed = stale.count()
        stale.delete()
    return ImportResult(
        issue=issue,
        created=created,
        articles_created=sum(outcomes),
        articles_updated=len(outcomes) - sum(outcomes),
        articles_removed=removed,
    )
