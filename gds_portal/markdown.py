"""The one Markdown renderer for every Markdown field in the portal.

CommonMark with tables and footnotes; `$…$` and `$$…$$` become MathML on the
server (no maths JavaScript); the HTML is then cleaned with an allowlist, so
whatever a member types can only ever produce the tags listed here.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

import nh3
from django.utils.safestring import mark_safe
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from gds_portal.validators import doi_url

TEXT_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "sup",
    "sub",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "section",
    "div",
    "span",
    "img",
    "figure",
    "figcaption",
}
MATH_TAGS = {
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mpadded",
    "mphantom",
    "menclose",
    "merror",
}
ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "figure": {"class", "id"},
    "p": {"class", "role"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "section": {"class"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    # Only the renderer itself makes divs (raw HTML is off): a wide equation's
    # scroll box must be reachable by keyboard, so it gets tabindex and a name.
    "div": {"class", "tabindex", "role", "aria-label"},
    "span": {"class", "tabindex", "role", "aria-label"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "mi": {"mathvariant"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
    "mspace": {"width"},
    "mfrac": {"linethickness"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"},
    "mtd": {"columnalign"},
    "menclose": {"notation"},
    "mover": {"accent"},
    "munder": {"accentunder"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _math(latex: str, *, display: str) -> str:
    try:
        return latex_to_mathml(latex, display=display)
    except Exception:  # any malformed LaTeX: show the source rather than fail the page
        return f'<code class="math-error">{escape(latex)}</code>'


def _render_math_inline(self, tokens, idx, options, env):
    if env.get("math_as_tex"):
        return f'<code class="math-tex">${escape(tokens[idx].content)}$</code>'
    return _math(tokens[idx].content, display="inline")


def _render_math_block(self, tokens, idx, options, env):
    if env.get("math_as_tex"):
        return f'<pre><code class="math-tex">$${escape(tokens[idx].content)}$$</code></pre>\n'
    maths = _math(tokens[idx].content, display="block")
    return (
        '<div class="math-display" tabindex="0" role="region" aria-label="Equation">'
        f"{maths}</div>\n"
    )


def _render_math_inline_double(self, tokens, idx, options, env):
    """`$$…$$` inside a paragraph: display maths, but phrasing content (a span, not a div
    or pre), so the paragraph around it stays one paragraph."""
    if env.get("math_as_tex"):
        return f'<code class="math-tex">$${escape(tokens[idx].content)}$$</code>'
    maths = _math(tokens[idx].content, display="block")
    return (
        '<span class="math-display math-display-inline" tabindex="0" role="region" '
        f'aria-label="Equation">{maths}</span>'
    )


# "[12]" in a text with a numbered reference list: a citation of reference 12.
REFERENCE_MARKER = re.compile(r"\[([1-9][0-9]{0,2})\]")


def _reference_marker(state, silent: bool) -> bool:
    """Inline rule: `[n]` → a link to the n-th reference, when the text has one.

    Active only when the caller passes `reference_count` in the environment (an
    article with its reference list); elsewhere `[1]` stays the text it was. A
    marker beyond the list, an author's own link (`[1](…)`, `[1][x]`) or a link
    definition `[1]: …` is left alone.
    """
    count = state.env.get("reference_count") or 0
    if not count or state.src[state.pos] != "[":
        return False
    match = REFERENCE_MARKER.match(state.src, state.pos)
    if match is None:
        return False
    number = int(match.group(1))
    after = state.src[match.end() : match.end() + 1]
    if number > count or after in ("(", "[") or match.group(1) in state.env.get("references", {}):
        return False
    if not silent:
        token = state.push("reference_marker", "", 0)
        token.meta = {"number": number}
    state.pos = match.end()
    return True


def _render_reference_marker(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta["number"]  # an int: nothing here comes from the text as such
    cited = env.setdefault("cited", [])
    # The first marker of a reference is where its "back to the text" link returns to;
    # ids must be unique, so later markers of the same reference get none.
    anchor = "" if number in cited else f' id="cite-{number}"'
    if number not in cited:
        cited.append(number)
    return (
        f'<sup><a{anchor} href="#ref-{number}">'
        f'<span class="visually-hidden">Reference </span>[{number}]</a></sup>'
    )


# "doi:10.1021/acs.jpcc.9b07936" or "DOI: 10.…" written in a text; trailing punctuation
# belongs to the sentence, not to the DOI.
DOI_IN_TEXT = re.compile(r"\bdoi:\s?(10\.\d{4,9}/\S+)", re.IGNORECASE)
_SENTENCE_END = ".,;:!?)]'\""


def _doi_tokens(text: str) -> list[Token]:
    """A text token's content split into text and doi.org links."""
    tokens: list[Token] = []
    position = 0
    for match in DOI_IN_TEXT.finditer(text):
        doi = match.group(1).rstrip(_SENTENCE_END)
        end = match.start(1) + len(doi)
        if match.start() > position:
            tokens.append(Token("text", "", 0, content=text[position : match.start()]))
        tokens.append(Token("link_open", "a", 1, attrs={"href": doi_url(doi)}))
        tokens.append(Token("text", "", 0, content=text[match.start() : end]))
        tokens.append(Token("link_close", "a", -1))
        position = end
    if position < len(text):
        tokens.append(Token("text", "", 0, content=text[position:]))
    return tokens


def _link_dois(state) -> None:
    """Core rule: "doi:…" in running text becomes a link to doi.org, where the caller asks
    for it (`link_dois` in the environment); text already inside a link is left alone."""
    if not state.env.get("link_dois"):
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        depth = 0
        for token in block.children:
            depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and not depth and DOI_IN_TEXT.search(token.content):
                children.extend(_doi_tokens(token.content))
            else:
                children.append(token)
        block.children = children


# "![fig:chart]" alone on a line: the article's figure named "chart" (Figure.slug). Not an
# image of CommonMark's (that needs "(…)" after it), so without figures it stays text.
FIGURE_LINE = re.compile(r"^!\[fig:([a-z0-9_-]{1,60})\][ \t]*$")


@dataclass(frozen=True)
class FigureImage:
    """What the renderer needs of a figure; the caller looks it up (e.g. newsletters.Figure)."""

    src: str
    width: int
    height: int
    alt: str
    caption: str


def _figure_block(state, start: int, end: int, silent: bool) -> bool:
    """Block rule: a figure reference on a line of its own, where the caller passes
    `figures` (a name → FigureImage map, possibly empty) in the environment."""
    if "figures" not in state.env or state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    match = FIGURE_LINE.match(state.src[begin : state.eMarks[start]])
    if match is None:
        return False
    if not silent:
        token = state.push("article_figure", "figure", 0)
        token.meta = {"name": match.group(1)}
        token.map = [start, start + 1]
    state.line = start + 1
    return True


def _render_figure(self, tokens, idx, options, env) -> str:
    name = tokens[idx].meta["name"]
    figure = env["figures"].get(name)
    if figure is None:
        env.setdefault("missing_figures", []).append(name)
        if not env.get("show_missing_figures"):
            return ""  # readers never see a broken reference
        return (
            f'<p class="figure-missing" role="note">No figure named “{escape(name)}” in '
            "this article: upload it under Figures, or correct the name.</p>\n"
        )
    caption = f"<figcaption>{escape(figure.caption)}</figcaption>" if figure.caption else ""
    return (
        f'<figure class="article-figure" id="figure-{escape(name)}">'
        f'<img src="{escape(figure.src)}" width="{int(figure.width)}" '
        f'height="{int(figure.height)}" alt="{escape(figure.alt)}" loading="lazy">'
        f"{caption}</figure>\n"
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text: members write Markdown, not HTML.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    md.add_render_rule("math_inline", _render_math_inline)
    md.add_render_rule("math_inline_double", _render_math_inline_double)
    md.add_render_rule("math_block", _render_math_block)
    md.add_render_rule("math_block_label", _render_math_block)
    md.inline.ruler.before("link", "reference_marker", _reference_marker)
    md.add_render_rule("reference_marker", _render_reference_marker)
    md.core.ruler.after("text_join", "link_dois", _link_dois)
    # Before "lheading", not just before "paragraph": lheading looks ahead from every line
    # for a setext underline through all following lines, so a body of n figure lines
    # (each tried by lheading before the figure rule) cost n² line scans.
    md.block.ruler.before("lheading", "article_figure", _figure_block)
    md.add_render_rule("article_figure", _render_figure)
    return md


def parse(source: str) -> list[Token]:
    """The token stream of `source`, as every rendering here parses it (the PDF book
    writes Typst from it: gds_portal/typeset.py)."""
    return _parser().parse(source)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=TEXT_TAGS | MATH_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(source: str | None) -> str:
    """Markdown (with maths) → clean HTML, safe to mark as safe in templates."""
    if not source:
        return ""
    return sanitize(_parser().render(source))


@dataclass(frozen=True)
class CitingText:
    html: str  # sanitised like every render_markdown result
    cited: frozenset[int]  # reference numbers the text cites, for the links back
    missing_figures: tuple[str, ...] = ()  # figure names the text uses but has no figure for


def render_citing_markdown(
    source: str | None,
    *,
    reference_count: int,
    figures: dict[str, FigureImage] | None = None,
    show_missing_figures: bool = False,
) -> CitingText:
    """Markdown whose `[n]` markers link to a numbered reference list (`#ref-n`), whose
    "doi:…" mentions link to doi.org, and whose `![fig:name]` lines show `figures[name]`.

    The first marker of reference n gets the id `cite-n`, for the link back from the list.
    A figure name with no figure is left out, or, with `show_missing_figures` (the
    editors' preview), shown as a warning; either way it is listed in `missing_figures`.
    """
    if not source:
        return CitingText("", frozenset())
    env: dict = {"reference_count": reference_count, "link_dois": True}
    if figures is not None:
        env.update(figures=figures, show_missing_figures=show_missing_figures)
    html = sanitize(_parser().render(source, env))
    safe = mark_safe(html)  # noqa: S308 -- nh3 allowlist sanitised it, as render_markdown's
    missing = tuple(dict.fromkeys(env.get("missing_figures", [])))
    return CitingText(safe, frozenset(env.get("cited", [])), missing)


# A root-relative address in rendered HTML (the renderer quotes attributes with ").
_RELATIVE_URL = re.compile(r'\b(href|src)="/(?!/)')


def render_markdown_for_mail(source: str | None, *, site_url: str) -> str:
    """Markdown → clean HTML for an email body.

    Mail clients show neither MathML nor KaTeX, so a formula is its TeX source in
    `<code>` (`$x^2$`, display maths as a `$$…$$` block), which any client shows and
    any physicist reads. `[n]` markers stay plain text (the reference list is on the
    site), "doi:…" still links to doi.org, and root-relative links and images become
    absolute on `site_url`. Sanitised with the same allowlist as every rendering.
    """
    if not source:
        return ""
    env: dict = {"math_as_tex": True, "link_dois": True}
    html = sanitize(_parser().render(source, env))
    html = _RELATIVE_URL.sub(lambda m: f'{m[1]}="{site_url}/', html)
    return mark_safe(html)  # noqa: S308 -- nh3 allowlist sanitised it, as render_markdown's


def mail_text(html: str) -> str:
    """The text of clean HTML (a `render_markdown_for_mail` result) for a plain-text mail.

    Like `plain_text`, but paragraphs, list items and code blocks keep their lines,
    separated by one blank line; links are followed by their address in brackets.
    """
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    out: list[str] = []
    _text(builder.root, out, links=True)
    lines = [" ".join(line.split()) for line in "".join(out).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Elements after which plain text breaks the line, so that words of two paragraphs,
# list items or table cells never run together.
_BLOCKS = TEXT_TAGS - {"strong", "em", "del", "s", "code", "a", "sup", "sub", "span", "img"}
# How a MathML element reads aloud in plain text: its children joined by these.
_MATH_JOINS = {"msup": "^", "msub": "_", "mfrac": "/", "mroot": " root ", "msubsup": ""}


# The footnote plugin's "back to the text" links: navigation, not words.
_BACKREFS = {"\u21a9", "\u21a9\ufe0e"}


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """The rendered HTML as a small tree (the renderer's output is well formed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in {"br", "hr", "img"}:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _math_text(node: _Node | str) -> str:
    """A formula as text: x^2 for x², (a)/(b) for a fraction, √(x); never TeX source."""
    if isinstance(node, str):
        return node
    parts = [_math_text(child) for child in node.children]
    if node.tag in _MATH_JOINS and len(parts) >= 2:
        if node.tag == "mfrac":
            return f"({parts[0]})/({parts[1]})"
        if node.tag == "msubsup" and len(parts) == 3:
            return f"{parts[0]}_{parts[1]}^{parts[2]}"
        return _MATH_JOINS[node.tag].join(parts)
    if node.tag == "msqrt":
        return f"√({''.join(parts)})"
    if node.tag == "annotation":
        return ""
    return "".join(parts)


def _text(node: _Node | str, out: list[str], *, links: bool = False) -> None:
    if isinstance(node, str):
        if links and not node.strip() and "\n" in node:
            return  # the line breaks between block elements: the blocks make their own
        if node.strip() not in _BACKREFS:
            out.append(node)
    elif node.tag == "math":
        out.append(" " + _math_text(node).strip() + " ")
    elif node.tag == "img":
        out.append(node.attrs.get("alt") or "")
    elif node.tag == "br":
        out.append("\n")
    else:
        if links and node.tag == "li":
            out.append("- ")
        for child in node.children:
            _text(child, out, links=links)
        href = node.attrs.get("href") or ""
        if links and node.tag == "a" and href.startswith(("http://", "https://")):
            out.append(f" [{href}]")
        if node.tag in _BLOCKS:
            out.append("\n\n" if links and node.tag in {"p", "pre", "ul", "ol", "table"} else "\n")


def plain_text(source: str | None) -> str:
    """Markdown (with maths) → the text a reader sees, with no markup of any kind.

    What the site search indexes (where it builds the document in Python) and cuts its
    snippets from: no `*`, `#`, `$…$` or tags; a formula reads as its text alternative
    (`p(D)`, `x^2`), an image as its alt text, a link as its words. Runs of blank space
    become one space, so a snippet is one line.
    """
    if not source:
        return ""
    builder = _TreeBuilder()
    # A figure placed by name (`![fig:chart]`) is no words of the text: left out.
    builder.feed(sanitize(_parser().render(source, {"figures": {}})))
    builder.close()
    out: list[str] = []
    _text(builder.root, out)
    return " ".join("".join(out).split())
