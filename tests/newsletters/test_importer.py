import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from community.models import Person
from newsletters.demo import DEMO_FOLDER
from newsletters.enums import ArticleKind, IssueStatus
from newsletters.importer import ImportFolderError, import_issue, split_front_matter
from newsletters.models import Article, Authorship, Issue, Reference
from tests.factories.community import PersonFactory

pytestmark = pytest.mark.django_db

ISSUE = """---
title: Winter 2031
slug: winter-2031
season: winter
year: 2031
volume: 2
number: 1
published_at: 2031-01-15T12:00:00Z
---
An issue for the tests.
"""

ARTICLE = """---
title: {title}
slug: {slug}
kind: {kind}
order: {order}
standfirst: A standfirst.
authors:
  - name: Ada Lovelace
    role: Analyst, Analytical Engines Lab
    affiliation: Analytical Engines Lab
  - name: Charles Babbage
    role: Engineer
references:
  - citation: C. Desgranges and J. Delhommelle, J. Phys. Chem. C 124, 1907 (2020).
    doi: https://doi.org/10.1021/acs.jpcc.9b07936
  - citation: A web page.
    url: https://example.org/page
---
{body}
"""


def write_folder(root: Path, articles: dict[str, dict]) -> Path:
    folder = root / "winter-2031"
    folder.mkdir(exist_ok=True)
    (folder / "issue.md").write_text(ISSUE, encoding="utf-8")
    for name, fields in articles.items():
        values = {"kind": "perspective", "body": "Body with $x^2$.", **fields}
        (folder / name).write_text(ARTICLE.format(**values), encoding="utf-8")
    return folder


TWO_ARTICLES = {
    "01-first.md": {"title": "First", "slug": "first", "order": 1},
    "02-second.md": {"title": "Second", "slug": "second", "order": 2, "kind": "feature"},
}


def snapshot():
    return (
        list(Issue.objects.values_list("slug", "status")),
        list(
            Article.objects.order_by("slug").values_list("slug", "title", "kind", "order", "body")
        ),
        list(
            Authorship.objects.order_by("article__slug", "order").values_list(
                "article__slug", "person__name", "role"
            )
        ),
        list(
            Reference.objects.order_by("article__slug", "order").values_list(
                "article__slug", "citation", "doi", "url"
            )
        ),
        list(Person.objects.order_by("name").values_list("name", "slug", "affiliation")),
    )


def test_import_valid_folder(tmp_path):
    result = import_issue(folder=write_folder(tmp_path, TWO_ARTICLES))
    issue = result.issue
    assert (result.created, result.articles_created, result.articles_updated) == (True, 2, 0)
    assert (issue.title, issue.season, issue.year, issue.volume, issue.number) == (
        "Winter 2031",
        "winter",
        2031,
        2,
        1,
    )
    # 2031 is still ahead: the issue waits, scheduled, and no reader sees it yet.
    assert (issue.status, issue.published_at.isoformat()) == (
        IssueStatus.SCHEDULED,
        "2031-01-15T12:00:00+00:00",
    )
    assert not Issue.objects.visible().exists()
    assert issue.summary == "An issue for the tests."
    first = issue.articles.get(slug="first")
    assert (first.kind, first.standfirst, first.body) == (
        ArticleKind.PERSPECTIVE,
        "A standfirst.",
        "Body with $x^2$.\n",
    )
    assert [(a.person.name, a.role) for a in first.authorships.all()] == [
        ("Ada Lovelace", "Analyst, Analytical Engines Lab"),
        ("Charles Babbage", "Engineer"),
    ]
    assert [(r.doi, r.url) for r in first.references.all()] == [
        ("10.1021/acs.jpcc.9b07936", ""),
        ("", "https://example.org/page"),
    ]
    assert Person.objects.get(name="Ada Lovelace").affiliation == "Analytical Engines Lab"


def test_reimport_changing_one_article_updates_without_duplicates(tmp_path):
    import_issue(folder=write_folder(tmp_path, TWO_ARTICLES))
    before = snapshot()
    assert snapshot() == before
    import_issue(folder=write_folder(tmp_path, TWO_ARTICLES))
    assert snapshot() == before  # idempotent
    changed = {
        **TWO_ARTICLES,
        "02-second.md": {
            **TWO_ARTICLES["02-second.md"],
            "title": "Second, revised",
            "body": "New body.",
        },
    }
    result = import_issue(folder=write_folder(tmp_path, changed))
    # Only the edited article counts as updated; the other is reported unchanged.
    counts = (result.articles_created, result.articles_updated, result.articles_unchanged)
    assert (result.created, *counts) == (False, 0, 1, 1)
    after = snapshot()
    assert after[1] == [
        ("first", "First", "perspective", 1, "Body with $x^2$.\n"),
        ("second", "Second, revised", "feature", 2, "New body.\n"),
    ]
    assert (after[0], after[2], after[3], after[4]) == (before[0], before[2], before[3], before[4])
    assert (Issue.objects.count(), Article.objects.count(), Authorship.objects.count()) == (1, 2, 4)


def test_reimport_removes_articles_whose_file_is_gone(tmp_path):
    folder = write_folder(tmp_path, TWO_ARTICLES)
    import_issue(folder=folder)
    (folder / "02-second.md").unlink()
    result = import_issue(folder=folder)
    assert result.articles_removed == 1
    assert list(Article.objects.values_list("slug", flat=True)) == ["first"]


def test_import_reuses_existing_people_and_keeps_their_profile(tmp_path):
    ada = PersonFactory(name="Ada Lovelace", slug="ada", affiliation="Her own words")
    import_issue(folder=write_folder(tmp_path, TWO_ARTICLES))
    ada.refresh_from_db()
    assert ada.affiliation == "Her own words"
    assert Person.objects.filter(name="Ada Lovelace").count() == 1
    assert Authorship.objects.filter(person=ada).count() == 2


def broken(tmp_path, name: str, text: str) -> Path:
    folder = write_folder(tmp_path, TWO_ARTICLES)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


BAD_FRONT_MATTER = "---\ntitle: [unclosed\nkind: feature\n---\nBody\n"
UNKNOWN_KIND = ARTICLE.format(title="Third", slug="third", kind="op-ed", order=3, body="x")
DUPLICATE_SLUG = ARTICLE.format(title="Third", slug="first", kind="feature", order=3, body="x")
BAD_DOI = ARTICLE.replace("https://doi.org/10.1021/acs.jpcc.9b07936", "11.1/nope").format(
    title="Third", slug="third", kind="feature", order=3, body="x"
)


NOT_A_NUMBER = "---\ntitle: x\nkind: feature\norder: one\n---\n"
TYPO_KEY = "---\ntitle: x\nkind: feature\norder: 3\nauthor: Ada\n---\n"
BAD_SEASON = "---\ntitle: Winter 2031\nseason: monsoon\nyear: 2031\n---\n"
THIRD = "03-third.md"


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (THIRD, BAD_FRONT_MATTER, f"{THIRD}: the front matter is not valid YAML (line 3)"),
        (THIRD, "No front matter at all.\n", f"{THIRD}: the file must start with a '---'"),
        (THIRD, UNKNOWN_KIND, f"{THIRD}: unknown kind 'op-ed'; use one of editors-message"),
        (THIRD, DUPLICATE_SLUG, f"{THIRD}: the article slug 'first' is already used by 01-first"),
        (THIRD, BAD_DOI, f"{THIRD}: reference 1: doi: Enter a DOI"),
        (THIRD, NOT_A_NUMBER, f"{THIRD}: 'order' must be a whole number"),
        (THIRD, TYPO_KEY, f"{THIRD}: unknown key author"),
        ("issue.md", BAD_SEASON, "issue.md: unknown season 'monsoon'"),
    ],
)
def test_broken_folder_writes_nothing_and_names_the_file(tmp_path, name, text, problem):
    PersonFactory(name="Someone Already Here")
    before = snapshot()
    with pytest.raises(ImportFolderError) as error:
        import_issue(folder=broken(tmp_path, name, text))
    assert problem in str(error.value)
    assert snapshot() == before


def test_broken_reimport_leaves_the_previous_import_untouched(tmp_path):
    folder = write_folder(tmp_path, TWO_ARTICLES)
    import_issue(folder=folder)
    before = snapshot()
    (folder / "01-first.md").write_text(
        ARTICLE.format(title="Changed", slug="first", kind="feature", order=1, body="y")
    )
    (folder / "03-third.md").write_text(UNKNOWN_KIND)
    with pytest.raises(ImportFolderError, match=r"03-third\.md"):
        import_issue(folder=folder)
    assert snapshot() == before


def test_command_reports_success_and_failure(tmp_path, capsys):
    folder = write_folder(tmp_path, TWO_ARTICLES)
    call_command("import_issue", str(folder))
    assert "Created issue “Winter 2031”" in capsys.readouterr().out
    (folder / "03-third.md").write_text(UNKNOWN_KIND)
    with pytest.raises(CommandError, match=r"Nothing imported\. 03-third.md: unknown kind"):
        call_command("import_issue", str(folder))


def test_demo_issue_imports_the_seed_facts(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_FOLDER, folder)
    issue = import_issue(folder=folder).issue
    assert (issue.title, issue.status) == ("Summer 2020", IssueStatus.PUBLISHED)
    assert issue.articles.count() == 10
    bayes = issue.articles.get(slug="bayesian-inference")
    assert "\\frac{p(D \\mid \\theta_i)\\, p(\\theta_i)}{p(D)}" in bayes.body
    assert [(a.person.name, a.role) for a in bayes.authorships.all()] == [
        ("Sergei V. Kalinin", "Corporate Fellow, CNMS ORNL")
    ]
    highlight = issue.articles.get(kind=ArticleKind.RESEARCH_HIGHLIGHT)
    assert list(highlight.references.values_list("doi", flat=True)) == ["10.1021/acs.jpcc.9b07936"]
    assert all(a.authorships.exists() for a in issue.articles.all())
    import_issue(folder=folder)  # the demo loader runs on every `make run`
    assert (Issue.objects.count(), Article.objects.count()) == (1, 10)


def test_split_front_matter_handles_bom_and_body():
    data, body = split_front_matter("\ufeff---\ntitle: x\n---\n\nHello\n", filename="a.md")
    assert (data, body) == ({"title": "x"}, "Hello\n")
    with pytest.raises(ImportFolderError, match="no closing"):
        split_front_matter("---\ntitle: x\n", filename="a.md")
    with pytest.raises(ImportFolderError, match="'key: value'"):
        split_front_matter("---\n- a list\n---\n", filename="a.md")
