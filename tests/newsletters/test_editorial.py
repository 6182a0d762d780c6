"""The editors' workflow: review states, who may approve, figures and the body's preview."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.enums import Role
from gds_portal.markdown import plain_text
from newsletters.enums import ArticleState, IssueStatus
from newsletters.models import Article, Figure
from newsletters.services import (
    PublishError,
    ReviewError,
    article_approve,
    article_return_to_draft,
    article_submit,
    issue_publish,
)
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.newsletters import (
    AuthorshipFactory,
    IssueFactory,
    authored_article,
)

pytestmark = pytest.mark.django_db

PREVIEW_URL = reverse("admin:newsletters_article_preview")


@pytest.fixture
def second_editor(db):
    """Another newsletter editor: the second pair of eyes that approves."""
    return UserFactory(email="second.editor@example.org", roles=[Role.NEWSLETTER_EDITORS])


def _draft(**kwargs) -> Article:
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    return authored_article(issue=issue, state=ArticleState.DRAFT, **kwargs)


def _png(width=40, height=20, exif=False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), "teal")
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        image.save(buffer, format="JPEG", exif=data.tobytes())
        return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("chart.png", buffer.getvalue(), content_type="image/png")


def _figure(article, slug="chart", **kwargs) -> Figure:
    return Figure.objects.create(
        article=article, slug=slug, image=_png(), alt=kwargs.pop("alt", "A chart"), **kwargs
    )


# Review states --------------------------------------------------------------------------


def test_submit_then_a_second_editor_approves_with_history(personas, second_editor):
    article = _draft()
    article_submit(article=article, by=personas.newsletter_editor)
    article_approve(article=article, by=second_editor)
    article.refresh_from_db()
    assert article.state == ArticleState.APPROVED
    steps = [
        (v.state, v.history_user, v.history_change_reason)
        for v in article.history.order_by("history_date", "history_id")
    ][1:]
    assert steps == [
        (ArticleState.IN_REVIEW, personas.newsletter_editor, "In review"),
        (ArticleState.APPROVED, second_editor, "Approved"),
    ]


def test_an_author_cannot_approve_their_own_article(personas, second_editor):
    article = _draft()
    AuthorshipFactory(article=article, person=PersonFactory(user=second_editor))
    article_submit(article=article, by=personas.newsletter_editor)
    with pytest.raises(PermissionDenied):
        article_approve(article=article, by=second_editor)
    article.refresh_from_db()
    assert article.state == ArticleState.IN_REVIEW


def test_the_submitter_cannot_approve(personas):
    article = _draft()
    article_submit(article=article, by=personas.newsletter_editor)
    with pytest.raises(PermissionDenied):
        article_approve(article=article, by=personas.newsletter_editor)


def test_a_superuser_may_approve_but_not_their_own(personas, second_editor):
    mine = _draft()
    AuthorshipFactory(article=mine, person=PersonFactory(user=personas.staff))
    article_submit(article=mine, by=second_editor)
    with pytest.raises(PermissionDenied):
        article_approve(article=mine, by=personas.staff)
    other = _draft()
    article_submit(article=other, by=second_editor)
    assert article_approve(article=other, by=personas.staff).state == ArticleState.APPROVED


def test_other_committees_cannot_submit_or_approve(personas):
    article = _draft()
    with pytest.raises(PermissionDenied):
        article_submit(article=article, by=personas.program_committee)
    article_submit(article=article, by=personas.newsletter_editor)
    with pytest.raises(PermissionDenied):
        article_approve(article=article, by=personas.program_committee)


def test_steps_start_from_their_own_state(personas, second_editor):
    article = _draft()
    with pytest.raises(ReviewError):
        article_approve(article=article, by=second_editor)
    article_submit(article=article, by=personas.newsletter_editor)
    with pytest.raises(ReviewError):
        article_submit(article=article, by=personas.newsletter_editor)
    article_return_to_draft(article=article, by=second_editor)
    article.refresh_from_db()
    assert (article.state, article.submitted_by) == (ArticleState.DRAFT, None)


def test_an_issue_is_not_published_or_scheduled_until_every_article_is_approved(personas):
    article = _draft(title="Waiting piece")
    authored_article(issue=article.issue, title="Ready piece")  # approved by the factory
    with pytest.raises(PublishError) as error:
        issue_publish(issue=article.issue, by=personas.newsletter_editor)
    assert "Not approved yet: “Waiting piece” (draft)." in error.value.message
    article.issue.refresh_from_db()
    assert article.issue.status == IssueStatus.DRAFT


def test_admin_buttons_submit_and_approve(personas, second_editor, client_for):
    article = _draft()
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    first = client_for(personas.newsletter_editor)
    page = first.get(url).content.decode()
    assert 'name="_submit_review"' in page and 'name="_approve"' not in page
    first.post(url, {**_form(article), "_submit_review": "1"})
    article.refresh_from_db()
    assert article.state == ArticleState.IN_REVIEW
    # The submitter is offered no approve button, and a forged one changes nothing.
    assert 'name="_approve"' not in first.get(url).content.decode()
    first.post(url, {**_form(article), "_approve": "1"})
    article.refresh_from_db()
    assert article.state == ArticleState.IN_REVIEW
    second = client_for(second_editor)
    assert 'name="_approve"' in second.get(url).content.decode()
    second.post(url, {**_form(article), "_approve": "1"})
    article.refresh_from_db()
    assert article.state == ArticleState.APPROVED


def _form(article: Article, figures: list[dict] | None = None, **changes) -> dict:
    data = {
        "issue": article.issue_id,
        "order": article.order,
        "kind": article.kind,
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        **changes,
    }
    for prefix in ("authorships", "references"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    figures = figures or []
    data |= {"figures-TOTAL_FORMS": str(len(figures)), "figures-INITIAL_FORMS": "0"}
    for n, figure in enumerate(figures):
        data |= {f"figures-{n}-{name}": value for name, value in figure.items()}
    return data


# Figures ----------------------------------------------------------------------------------


def test_an_uploaded_figure_is_reencoded_with_its_size(personas, client_for):
    article = _draft()
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    figure = {"slug": "photo", "image": _png(64, 32, exif=True), "alt": "The setup"}
    response = client_for(personas.newsletter_editor).post(
        url, _form(article, figures=[figure], body="Text.\n\n![fig:photo]")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Figure.objects.get(article=article)
    assert (stored.slug, stored.width, stored.height, stored.alt) == ("photo", 64, 32, "The setup")
    with stored.image.open("rb") as f:
        data = f.read()
    assert b"SecretCamera" not in data
    assert not stored.image.name.endswith("photo.jpg")


@pytest.mark.parametrize("alt", ["", "   ", "\u200b\u200b"])
def test_a_figure_needs_visible_alt_text(personas, client_for, alt):
    article = _draft()
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    figure = {"slug": "chart", "image": _png(), "alt": alt}
    response = client_for(personas.newsletter_editor).post(url, _form(article, figures=[figure]))
    assert response.status_code == 200
    assert not Figure.objects.exists()


def test_saving_a_body_with_an_unknown_figure_is_refused(personas, client_for):
    article = _draft(body="Before.")
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    response = client_for(personas.newsletter_editor).post(
        url, _form(article, body="Before.\n\n![fig:missing]")
    )
    assert response.status_code == 200
    assert "does not have: “missing”" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Before."


def test_the_issue_inline_refuses_an_unknown_figure_too(personas, client_for):
    article = _draft(body="Before.")
    issue = article.issue
    data = {
        "title": issue.title,
        "slug": issue.slug,
        "season": issue.season,
        "year": issue.year,
        "summary": "",
        "articles-TOTAL_FORMS": "1",
        "articles-INITIAL_FORMS": "1",
        "articles-0-id": article.pk,
        "articles-0-issue": issue.pk,
        "articles-0-order": article.order,
        "articles-0-kind": article.kind,
        "articles-0-title": article.title,
        "articles-0-slug": article.slug,
        "articles-0-standfirst": "",
        "articles-0-body": "![fig:missing]",
    }
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    response = client_for(personas.newsletter_editor).post(url, data)
    assert response.status_code == 200
    assert "does not have: “missing”" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Before."


def test_the_article_page_shows_figures_with_size_and_alt(client):
    issue = IssueFactory()
    article = authored_article(issue=issue, body="Text.\n\n![fig:chart]\n\n![fig:gone]")
    figure = _figure(article, alt='Counts "per" <year>', caption="Demo data & more")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<figure class="article-figure" id="figure-chart"><img src="{figure.image.url}" '
        'width="40" height="20" alt="Counts &quot;per&quot; &lt;year&gt;" loading="lazy">'
        "<figcaption>Demo data &amp; more</figcaption></figure>"
    ) in html
    # A reference with no figure behind it shows nothing to readers, and no warning.
    assert "gone" not in html and "figure-missing" not in html


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_article_with_figures(client, django_assert_num_queries, n):
    article = authored_article(issue=IssueFactory())
    names = [f"fig-{i}" for i in range(n)]
    for name in names:
        _figure(article, slug=name)
    article.body = "\n\n".join(f"![fig:{name}]" for name in names)
    article.save()
    client.get("/")
    with django_assert_num_queries(6):
        html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="article-figure"') == n


# The body's preview -----------------------------------------------------------------------


def test_preview_renders_the_typed_body_with_saved_figures(personas, client_for):
    article = _draft()
    _figure(article, alt="A chart of counts")
    client = client_for(personas.newsletter_editor)
    response = client.post(
        f"{PREVIEW_URL}?article={article.pk}",
        {"body": "# Title\n\n$x^2$ <script>alert(1)</script>\n\n![fig:chart]\n\n![fig:nope]"},
        headers={"X-Preview": "fragment"},
    )
    html = response.content.decode()
    assert 'alt="A chart of counts"' in html and 'width="40" height="20"' in html
    assert "<math" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="figure-missing"' in html and "No figure for: nope" in html
    assert "<html" not in html  # a fragment for the pane


def test_preview_without_javascript_is_a_whole_page(personas, client_for):
    client = client_for(personas.newsletter_editor)
    response = client.post(PREVIEW_URL, {"body": "*Hello*"})
    html = response.content.decode()
    assert "<em>Hello</em>" in html and "Nothing was saved" in html and "<html" in html


def test_preview_needs_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.newsletter_editor)
    assert client.post(PREVIEW_URL, {"body": "x"}).status_code == 403


def test_the_change_form_has_the_preview_pane(personas, client_for):
    article = _draft()
    url = reverse("admin:newsletters_article_change", args=[article.pk])
    html = client_for(personas.newsletter_editor).get(url).content.decode()
    assert f'data-url="{PREVIEW_URL}?article={article.pk}"' in html
    assert 'aria-labelledby="article-preview-heading"' in html
    assert f'formaction="{PREVIEW_URL}?article={article.pk}"' in html


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_preview(personas, client_for, django_assert_num_queries, n):
    article = _draft()
    for i in range(n):
        _figure(article, slug=f"fig-{i}")
    client = client_for(personas.newsletter_editor)
    body = "\n\n".join(f"![fig:fig-{i}]" for i in range(n))
    client.post(PREVIEW_URL, {"body": ""})
    # The same for 1 and 3 figures: the figures are one query.
    with django_assert_num_queries(7):
        response = client.post(f"{PREVIEW_URL}?article={article.pk}", {"body": body})
    assert response.content.decode().count('class="article-figure"') == n


def test_search_text_leaves_figure_placements_out():
    assert plain_text("Before.\n\n![fig:chart]\n\nAfter.") == "Before. After."
