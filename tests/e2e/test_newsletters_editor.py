import re

from playwright.sync_api import expect

from accounts.enums import Role
from newsletters.enums import ArticleState, IssueStatus
from newsletters.models import Issue
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory


def _add_article(page, index: int, title: str, body: str) -> None:
    page.get_by_role("button", name="Add another Article").click()
    page.locator(f"#id_articles-{index}-kind").select_option(label="Perspective")
    page.locator(f"#id_articles-{index}-order").fill(str(index + 1))
    page.locator(f"#id_articles-{index}-title").press_sequentially(title)
    page.locator(f"#id_articles-{index}-body").fill(body)


def _add_author(page, name: str, role: str) -> None:
    row = page.locator("#authorships-0")
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(name.split()[0])
    page.get_by_role("option", name=name).click()
    row.locator("input[name='authorships-0-role']").fill(role)
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_editor_builds_previews_and_publishes_an_issue(page, browser):
    editor = UserFactory(email="kyle@example.org", roles=[Role.NEWSLETTER_EDITORS])
    PersonFactory(name="Ada Lovelace", slug="ada-lovelace")
    login(page, editor.email, PASSWORD)

    page.goto(page.live_url + "/admin/newsletters/issue/add/")
    assert_accessible(page)
    page.locator("#id_title").press_sequentially("Winter 2031")
    expect(page.locator("#id_slug")).to_have_value("winter-2031")  # filled from the title
    page.get_by_label("Season:").select_option(label="Winter")
    page.get_by_label("Year:").fill("2031")
    _add_article(page, 0, "Notes on entropy", "The entropy $S = k_B \\ln W$ counts states.")
    _add_article(page, 1, "Why priors matter", "Priors encode what we knew.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    issue = Issue.objects.get(slug="winter-2031")
    assert (issue.status, issue.articles.count()) == (IssueStatus.DRAFT, 2)

    # Publishing is refused while the articles have no author.
    page.goto(page.live_url + "/admin/newsletters/issue/")
    page.get_by_role("row", name=re.compile("Winter 2031")).get_by_role("checkbox").check()
    page.locator("select[name='action']").select_option(value="publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("every article needs an author")

    for title in ("Notes on entropy", "Why priors matter"):
        page.goto(
            page.live_url
            + f"/admin/newsletters/article/{issue.articles.get(title=title).pk}/change/"
        )
        _add_author(page, "Ada Lovelace", "Postdoctoral Fellow, Analytical Engines Lab")

    page.goto(page.live_url + "/admin/newsletters/issue/")
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("Winter 2031")).get_by_role(
        "link", name="Preview"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Winter 2031")
    expect(page.get_by_role("note")).to_contain_text("only newsletter editors can see this page")
    assert_accessible(page)
    page.get_by_role("link", name="Notes on entropy").click()
    expect(page.locator("math").first).to_be_visible()
    assert_accessible(page)
    preview_url = page.url

    reader = browser.new_context()
    anonymous = reader.new_page()
    problems: list[str] = []  # the `page` fixture's checks, for this second visitor
    anonymous.on("pageerror", lambda error: problems.append(str(error)))
    anonymous.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    assert anonymous.goto(preview_url).status == 404
    assert anonymous.goto(page.live_url + "/newsletters/2031/winter/").status == 404

    page.goto(page.live_url + "/admin/newsletters/issue/")
    page.get_by_role("row", name=re.compile("Winter 2031")).get_by_role("checkbox").check()
    page.locator("select[name='action']").select_option(value="publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("until every article is approved")
    # A second editor's review is its own journey (test_newsletters_editorial.py).
    issue.articles.update(state=ArticleState.APPROVED)

    page.goto(page.live_url + "/admin/newsletters/issue/")
    page.get_by_role("row", name=re.compile("Winter 2031")).get_by_role("checkbox").check()
    page.locator("select[name='action']").select_option(value="publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("“Winter 2031” is published.")

    assert_accessible(page)
    anonymous.goto(page.live_url + "/newsletters/")
    assert_accessible(anonymous)
    anonymous.get_by_role("link", name=re.compile("Winter 2031")).click()
    expect(anonymous.get_by_role("heading", level=1)).to_contain_text("Winter 2031")
    assert_accessible(anonymous)
    anonymous.get_by_role("link", name="Why priors matter").click()
    expect(anonymous.get_by_role("link", name="Ada Lovelace").first).to_be_visible()
    assert_accessible(anonymous)
    reader.close()
    assert problems == []
