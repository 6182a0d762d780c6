"""Whatever a member types, the Markdown renderer emits only allow-listed HTML."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gds_portal.markdown import render_markdown
from tests.html_checks import unsafe_parts

SCHEMES = [
    "javascript",
    "JaVaScRiPt",
    "data",
    "vbscript",
    "file",
    "http",
    "https",
    "mailto",
    "ftp",
    "java\tscript",
    "jav&#x09;ascript",
    "&#106;avascript",
    " javascript",
    "blob",
]
TAGS = [
    "script",
    "img",
    "svg",
    "iframe",
    "a",
    "math",
    "style",
    "object",
    "embed",
    "form",
    "input",
    "details",
    "video",
    "base",
    "meta",
    "link",
    "mi",
    "annotation-xml",
    "p",
]
ATTRS = [
    "onerror",
    "onload",
    "onclick",
    "href",
    "src",
    "style",
    "xlink:href",
    "formaction",
    "srcdoc",
    "ONMOUSEOVER",
    "id",
    "class",
    "title",
]
ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&#60;", "&#x3C;", "&#0;", "&colon;", "&NewLine;"]
LATEX = [
    r"$x$",
    r"$$\frac{a}{b}$$",
    r"$\href{javascript:alert(1)}{x}$",
    r"$\text{<b>}$",
    r"$\mathrm{\unicode{60}}$",
    "$",
    "$$",
    r"\(",
    r"$x^{<script>}$",
]
MARKDOWN = [
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "`",
    "```",
    "*",
    "_",
    "#",
    "> ",
    "- ",
    "1. ",
    "|",
    "---",
    "[^1]",
    "[^1]: ",
    "\n",
    "\n\n",
    " ",
    '"',
    "'",
    "=",
    "/",
    ":",
]

url = st.builds(
    lambda scheme, sep, body: f"{scheme}{sep}{body}",
    st.sampled_from(SCHEMES),
    st.sampled_from([":", "&#58;", "%3A", ":/"]),
    st.sampled_from(["alert(1)", "//evil.example/x", "text/html,<script>alert(1)</script>", ""]),
)
tag = st.builds(
    lambda name, attr, value, close: f"<{name} {attr}={value}>{close}",
    st.sampled_from(TAGS),
    st.sampled_from(ATTRS),
    st.one_of(url, st.sampled_from(['"alert(1)"', "x", "'javascript:alert(1)'"])),
    st.sampled_from(["", "</a>", "</script>", "x</p>"]),
)
markdown_link = st.builds(
    lambda text, target, image: f"{'!' if image else ''}[{text}]({target})",
    st.text(max_size=5),
    url,
    st.booleans(),
)
piece = st.one_of(
    st.sampled_from(MARKDOWN + ENTITIES + LATEX), tag, url, markdown_link, st.text(max_size=8)
)
document = st.lists(piece, max_size=30).map("".join)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_render_markdown_emits_only_allowed_html(source):
    html = render_markdown(source)
    assert unsafe_parts(html) == [], (source, html)
    assert "<script" not in html.lower()


def test_unsafe_parts_catches_what_it_must():
    # The checker itself: each of these must be reported.
    assert unsafe_parts('<p onclick="x">a</p>') == ["attribute onclick on <p>"]
    assert unsafe_parts("<script>x</script>") == ["tag <script>"]
    assert unsafe_parts('<a href="javascript:x">a</a>') == ["javascript: URL in <a>"]
    assert unsafe_parts('<a href="#fn1">a</a>') == []
