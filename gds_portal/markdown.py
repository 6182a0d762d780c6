"""The one Markdown renderer for every Markdown field in the portal.

CommonMark with tables and footnotes; `$…$` and `$$…$$` become MathML on the
server (no maths JavaScript); the HTML is then cleaned with an allowlist, so
whatever a member types can only ever produce the tags listed here.
"""

from functools import lru_cache
from html import escape

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

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
    "img": {"src", "alt", "title"},
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
    "span": {"class"},
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
    return _math(tokens[idx].content, display="inline")


def _render_math_block(self, tokens, idx, options, env):
    maths = _math(tokens[idx].content, display="block")
    return (
        '<div class="math-display" tabindex="0" role="region" aria-label="Equation">'
        f"{maths}</div>\n"
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text: members write Markdown, not HTML.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    md.add_render_rule("math_inline", _render_math_inline)
    md.add_render_rule("math_inline_double", _render_math_block)
    md.add_render_rule("math_block", _render_math_block)
    md.add_render_rule("math_block_label", _render_math_block)
    return md


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
