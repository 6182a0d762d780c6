import pytest

from gds_portal.markdown import render_citing_markdown, render_markdown
from tests.html_checks import unsafe_parts

BAYES = r"$$P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)}$$"

XSS_VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<svg onload="alert(1)"></svg>',
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">',
    "<<script>script>alert(1)<</script>/script>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "$x$<script>alert(1)</script>",
    r"$\href{javascript:alert(1)}{x}$",
    '<p onclick="alert(1)">hi</p>',
    "<object data='x'></object><embed src='x'>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
]


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_render_markdown_neutralises_xss(source):
    html = render_markdown(source)
    assert unsafe_parts(html) == []
    assert "<script" not in html.lower()


def test_render_markdown_bayes_formula_is_mathml():
    html = render_markdown(BAYES)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert "<mfrac>" in html
    assert "<mi>P</mi>" in html


def test_render_markdown_inline_maths_tables_and_footnotes():
    html = render_markdown(
        "Energy $E=mc^2$.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Einstein."
    )
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnotes' in html or "footnote" in html


def test_render_markdown_links_get_safe_rel():
    html = render_markdown("[APS](https://www.aps.org)")
    assert html == (
        '<p><a href="https://www.aps.org" rel="noopener noreferrer nofollow">APS</a></p>\n'
    )


def test_render_markdown_broken_latex_shows_source():
    html = render_markdown(r"$\frac{1}{$")
    assert "math-error" in html or "<math" in html


def test_render_markdown_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


MARKER_1 = '<span class="visually-hidden">Reference </span>[1]</a></sup>'


def test_reference_markers_link_to_the_list_and_only_the_first_is_the_way_back():
    body = render_citing_markdown("As shown [1] and [2], see also [1].", reference_count=2)
    assert body.html.count('href="#ref-1"') == 2
    assert body.html.count('href="#ref-2"') == 1
    # Unique ids: the first marker of each reference is the list's way back.
    assert body.html.count('id="cite-1"') == 1
    assert body.html.count('id="cite-2"') == 1
    assert f'<sup><a id="cite-1" href="#ref-1" rel="noopener noreferrer nofollow">{MARKER_1}' in (
        body.html
    )
    assert body.cited == {1, 2}


@pytest.mark.parametrize(
    "source",
    [
        "Beyond the list [3].",
        "Code `[1]` is code.",
        "An author's own link [1](https://example.org/).",
        "A defined link [1].\n\n[1]: https://example.org/",
        "Not a number [x] nor [0] nor [01].",
    ],
)
def test_reference_markers_without_a_reference_stay_as_written(source):
    body = render_citing_markdown(source, reference_count=2)
    assert "#ref-" not in body.html
    assert body.cited == frozenset()


def test_reference_markers_only_where_a_list_is_given():
    assert render_markdown("As shown [1].") == "<p>As shown [1].</p>\n"
    assert "#ref-" not in render_citing_markdown("As shown [1].", reference_count=0).html


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_reference_markers_keep_every_text_escaped(source):
    html = render_citing_markdown(f"[1] {source} [1] {source}", reference_count=1).html
    assert unsafe_parts(html) == []
    assert "<script" not in html.lower()
    assert html.count("#ref-1") == 2


def test_dois_in_a_citing_text_link_to_doi_org():
    html = render_citing_markdown(
        "Data at doi:10.1021/acs.jpcc.9b07936. Also (DOI: 10.1002/x<y>#z), `doi:10.1/x`, "
        "[doi:10.1234/a](https://example.org/) and *doi:10.1234/em*.",
        reference_count=0,
    ).html
    rel = 'rel="noopener noreferrer nofollow"'
    assert (
        f'at <a href="https://doi.org/10.1021/acs.jpcc.9b07936" {rel}>'
        "doi:10.1021/acs.jpcc.9b07936</a>. Also"
    ) in html
    assert (
        f'(<a href="https://doi.org/10.1002/x%3Cy%3E%23z" {rel}>DOI: 10.1002/x&lt;y&gt;#z</a>)'
        in (html)
    )
    assert "<code>doi:10.1/x</code>" in html
    assert f'<a href="https://example.org/" {rel}>doi:10.1234/a</a>' in html  # the author's link
    assert f'<em><a href="https://doi.org/10.1234/em" {rel}>doi:10.1234/em</a></em>' in html
    assert unsafe_parts(html) == []


def test_dois_elsewhere_stay_text():
    assert render_markdown("doi:10.1021/x") == "<p>doi:10.1021/x</p>\n"
