"""The article page reads like the newsletter: markers link to references and back, the
issue's contents stand beside the article, and issues without a cover get one in type."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsletters.enums import IssueStatus
from tests.factories.newsletters import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    ReferenceFactory,
)
from tests.html_checks import unsafe_parts

pytestmark = pytest.mark.django_db


def _body(html: str) -> str:
    return re.search(r'<div class="prose article-body">(.*?)</div>', html, re.S).group(1)


def _reference(html: str, number: int) -> str:
    return re.search(rf'<li id="ref-{number}" tabindex="-1">(.*?)</li>', html, re.S).group(1)


def test_markers_link_to_references_and_cited_references_link_back(client):
    article = ArticleFactory(
        body="Early networks [1]; GPR [2] <script>alert(1)</script>; again [1]; none [4].",
    )
    for citation in ("One.", "Two.", "Three, never cited."):
        ReferenceFactory(article=article, citation=citation)
    html = client.get(article.get_absolute_url()).content.decode()
    body = _body(html)
    assert body.count('href="#ref-1"') == 2 and body.count('href="#ref-2"') == 1
    assert 'id="cite-1"' in body and 'id="cite-2"' in body
    assert "none [4]." in body  # no fourth reference: plain text
    assert "&lt;script&gt;" in body and unsafe_parts(body) == []
    back = (
        '<a class="reference-back no-print" href="#cite-{0}"><span aria-hidden="true">↑</span>'
        '<span class="visually-hidden">Back to where the text cites reference {0}</span></a>'
    )
    assert back.format(1) in _reference(html, 1)
    assert back.format(2) in _reference(html, 2)
    assert "reference-back" not in _reference(html, 3)


def test_markers_stay_text_in_an_article_without_references(client):
    article = ArticleFactory(body="As shown in [1].")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>As shown in [1].</p>" in _body(html)


def test_article_page_carries_the_issue_contents_with_the_current_article_marked(client):
    issue = IssueFactory(year=2020, season="summer", title="Summer 2020")
    first = ArticleFactory(issue=issue, order=1, title="Message from the Editor")
    current = ArticleFactory(issue=issue, order=2, title="Bayesian <Inference>")
    last = ArticleFactory(issue=issue, order=3, title="Learning Machines")
    ArticleFactory(title="In another issue")
    html = client.get(current.get_absolute_url()).content.decode()
    contents = re.search(
        r'<nav class="col-lg-4 no-print issue-contents"(.*?)</nav>', html, re.S
    ).group(1)
    assert re.findall(r"<li[^>]*><a href=\"([^\"]+)\"", contents) == [
        first.get_absolute_url(),
        current.get_absolute_url(),
        last.get_absolute_url(),
    ]
    assert (
        f'<a href="{current.get_absolute_url()}" aria-current="page">'
        "Bayesian &lt;Inference&gt;</a>" in contents
    )
    assert contents.count("aria-current") == 1
    assert "In another issue" not in contents


@pytest.mark.parametrize("n", [1, 3])
def test_query_budget_article_with_contents(client, django_assert_num_queries, n):
    issue = IssueFactory()
    articles = [ArticleFactory(issue=issue) for _ in range(n)]
    for article in articles:
        AuthorshipFactory(article=article)
        ReferenceFactory(article=article)
    client.get("/")
    with django_assert_num_queries(6):  # the issue, contents, article, authors, refs, figures
        html = client.get(articles[-1].get_absolute_url()).content.decode()
    assert html.count('class="issue-contents-entry"') == n


def test_issues_without_a_cover_get_one_set_in_type(client):
    issue = IssueFactory(year=2020, season="summer", title="Summer 2020", volume=3, number=2)
    archive = client.get("/newsletters/").content.decode()
    page = client.get(issue.get_absolute_url()).content.decode()
    for html in (archive, page):
        cover = re.search(
            r'<span class="issue-cover generated-cover season-summer[^"]*" aria-hidden="true">'
            r"(.*?)</span>\s*</span>",
            html,
            re.S,
        ).group(1)
        text = " ".join(re.sub(r"<[^>]+>", " ", cover).split())
        assert text == (
            "GDS Newsletter Summer 2020 APS Topical Group on Data Science · Vol. 3, No. 2"
        )
        assert "issue-cover-placeholder" not in html
    # The title is beside the cover for assistive technology (the cover is hidden from it).
    assert re.search(r'aria-hidden="true">.*?Summer 2020</span>', archive, re.S)
    assert "<h1>Summer 2020" in page


def test_an_uploaded_cover_is_shown_instead(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    issue = IssueFactory(cover=SimpleUploadedFile("cover.gif", gif, content_type="image/gif"))
    html = client.get(issue.get_absolute_url()).content.decode()
    assert f'<img class="issue-cover rounded shadow-sm" src="{issue.cover.url}" alt="">' in html
    assert "generated-cover" not in html


def test_preview_contents_lead_to_previews_and_offer_no_downloads(client_for, personas):
    issue = IssueFactory(status=IssueStatus.DRAFT, published_at=None, year=2099, season="winter")
    first = ArticleFactory(issue=issue, order=1, body="Cites [1].")
    second = ArticleFactory(issue=issue, order=2)
    ReferenceFactory(article=first)
    html = client_for(personas.newsletter_editor).get(first.get_preview_url()).content.decode()
    contents = re.search(r'<nav class="col-lg-4 no-print issue-contents"(.*?)</nav>', html, re.S)
    assert f'href="{second.get_preview_url()}"' in contents.group(1)
    assert f'href="{first.get_preview_url()}" aria-current="page"' in contents.group(1)
    assert f'href="{issue.get_preview_url()}"' in contents.group(1)
    assert 'href="#ref-1"' in _body(html)
    assert ".bib" not in html and ".ris" not in html


def test_issue_page_offers_the_printed_pdf_only_when_attached(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("summer.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with_pdf = IssueFactory(pdf=pdf)
    without = IssueFactory()
    html = client.get(with_pdf.get_absolute_url()).content.decode()
    assert f'<a href="{with_pdf.pdf.url}">Printed edition (PDF)</a>' in html
    assert "Printed edition" not in client.get(without.get_absolute_url()).content.decode()
