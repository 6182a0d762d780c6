"""Editor A uploads a figure, places it, previews and submits; editor B approves; the issue
is published and readers see the figure with its size and alt text. axe on every page."""

import io

from PIL import Image
from playwright.sync_api import expect

from accounts.enums import Role
from newsletters.enums import ArticleState, IssueStatus
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.newsletters import IssueFactory, authored_article

ALT = "Bar chart of webinar registrants and replay views"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_figure_review_and_publication(page):
    first = UserFactory(email="ada@example.org", roles=[Role.NEWSLETTER_EDITORS])
    second = UserFactory(email="bo@example.org", roles=[Role.NEWSLETTER_EDITORS])
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None, title="Winter 2031")
    article = authored_article(issue=issue, state=ArticleState.DRAFT, body="Opening words.")
    change = f"{page.live_url}/admin/newsletters/article/{article.pk}/change/"

    # Editor A: upload the figure and save, then place it and watch the preview.
    login(page, first.email, PASSWORD)
    page.goto(change)
    page.get_by_text("Add another Figure", exact=True).click()
    page.locator("#id_figures-0-slug").fill("chart")
    page.locator("#id_figures-0-image").set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.locator("#id_figures-0-alt").fill(ALT)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.locator("#id_body").fill("Opening words.\n\n![fig:chart]")
    page.get_by_role("button", name="Update preview").click()
    expect(page.get_by_role("status")).to_have_text("Preview updated.")
    preview = page.get_by_role("region", name="The body as readers see it")
    expect(preview.get_by_role("img", name=ALT)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("is submitted for review")
    assert_accessible(page)

    # Editor B approves, then publishes the issue.
    page.context.clear_cookies()
    login(page, second.email, PASSWORD)
    page.goto(change)
    page.get_by_role("button", name="Save and approve").click()
    expect(page.locator(".messagelist")).to_contain_text("is approved")
    assert_accessible(page)
    page.goto(f"{page.live_url}/admin/newsletters/issue/")
    page.locator(f'input[name="_selected_action"][value="{issue.pk}"]').check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator('button[name="index"]').click()
    expect(page.locator(".messagelist")).to_contain_text("is published")
    assert_accessible(page)

    # A reader sees the figure, sized and described.
    page.context.clear_cookies()
    article.refresh_from_db()
    page.goto(page.live_url + article.get_absolute_url())
    figure = page.get_by_role("img", name=ALT)
    expect(figure).to_be_visible()
    expect(figure).to_have_attribute("width", "120")
    expect(figure).to_have_attribute("height", "60")
    assert_accessible(page)
