"""Typeset documents as PDF on the server: Markdown with maths → Typst → PDF.

The portal's Markdown (gds_portal/markdown.py, the same parser as every page) is walked
here and written as Typst; its LaTeX maths is turned into Typst maths by pandoc (the
`pypandoc-binary` wheel bundles it); the `typst` wheel compiles the document with its own
bundled fonts, New Computer Modern Math among them. Nothing needs a system package
(no Pango, Cairo or LaTeX): `make run` on a machine with only Python builds a PDF.

Text is data, never Typst code. Every piece of member-written text reaches the document
as a Typst *string literal* (`#"…"`), inside which nothing is markup or code; code and
fenced blocks are `#raw("…")` strings too. Maths is pandoc's Typst output, accepted only
when a scanner finds none of Typst's ways out of maths mode (`#` code, `$`, raw
backticks, comments, references, labels) outside string literals; anything else is
shown as its TeX source in a string. The compiler runs in a child process with a time
and memory limit and an empty project root, so even a mistake here could not read a
file: `read`, `image` and `include` see an empty folder.

Hostile input must cost little and break nothing else: TeX that defines or expands
macros (a dozen doubling `\\newcommand`s keep pandoc busy for minutes) is never given to
pandoc, and neither is maths nested too deep; Markdown nested too deep for the compiler
raises `Unprintable`, so the caller can print that text as it was typed instead.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from gds_portal.markdown import parse

logger = logging.getLogger(__name__)

# Bounds on one build: pandoc for all of a document's formulas at once, then the compiler.
# Well below gunicorn's 30 s worker timeout, so a slow build ends as our error, not a
# killed worker (meetings/book.py compiles at most twice within its own budget).
PANDOC_TIMEOUT = 8
PANDOC_MEMORY = "512m"  # pandoc's own heap limit (its manual's advice for untrusted input)
MAX_PANDOC_OUTPUT = 5_000_000
COMPILE_TIMEOUT = 18  # for both of meetings/book.py's attempts together
COMPILE_MEMORY = 2 * 1024**3
MAX_SOURCE_CHARS = 20_000_000
MAX_PDF_BYTES = 200_000_000
# Nesting beyond these is refused before it reaches the compiler, which gives up at
# "maximum show rule depth" (about 16 nested quotes) or "maximum parsing depth" (about
# 200 nested maths brackets); legitimate abstracts stay far below both.
MAX_MARKDOWN_DEPTH = 14
MAX_MATHS_DEPTH = 32
MAX_FORMULA_CHARS = 5_000


class TypesetError(Exception):
    """The document could not be built (a tool failed, timed out or ran out of memory)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class Unprintable(ValueError):
    """This Markdown cannot be typeset as Markdown (nested too deep for the compiler);
    print it as its source text instead."""


# Control characters other than tab and newline have no business in a printed book, and
# NUL marks the maths placeholders below.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def string(text: str) -> str:
    """`text` as a Typst string literal: only `\\`, `"` and line ends need escaping."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def text(value: str) -> str:
    """Plain text in Typst markup: a string literal shown as text (never markup or code).
    The `;` ends the embedded expression, so nothing after it can extend it."""
    return f"#{string(value)};" if value else ""


def raw(value: str, *, block: bool = False) -> str:
    return f"#raw(block: {'true' if block else 'false'}, {string(value)});"


# --- Maths -------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\x00M(\d+)\x00")


@dataclass
class Maths:
    """The formulas of one document, converted together (one pandoc run per document)."""

    formulas: list[tuple[str, bool]] = field(default_factory=list)

    def placeholder(self, tex: str, *, display: bool) -> str:
        self.formulas.append((tex, display))
        return f"\x00M{len(self.formulas) - 1}\x00"

    def fill(self, source: str) -> str:
        """`source` with every placeholder replaced by its typeset formula."""
        converted = tex_to_typst(self.formulas)
        return _PLACEHOLDER.sub(lambda m: converted[int(m.group(1))], source)


def tex_to_typst(formulas: list[tuple[str, bool]]) -> list[str]:
    """Typst maths (with its `$` delimiters) for each `(tex, display)`; a formula pandoc
    cannot convert, or whose conversion is not plainly maths, is its TeX source as code."""
    if not formulas:
        return []
    # Refused formulas never reach pandoc: they print as their source, like any formula
    # pandoc cannot read.
    accepted = [i for i, (tex, _) in enumerate(formulas) if is_safe_tex(tex)]
    converted = [_source(tex, display=display) for tex, display in formulas]
    if accepted:
        pieces = _pandoc([formulas[i] for i in accepted])
        for i, piece in zip(accepted, pieces, strict=True):
            tex, display = formulas[i]
            converted[i] = _checked(piece, tex=tex, display=display)
    return converted


# TeX that defines, expands or includes: the one way to make a short formula cost
# pandoc exponential time or memory, and never needed in an abstract.
_UNSAFE_TEX = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|[egx]?def|let|futurelet|DeclareMathOperator"
    r"|(?:re)?newenvironment|newif|csname|endcsname|expandafter|noexpand|input|include"
    r"|includeonly|usepackage|require|catcode|loop|repeat|iterate)(?![A-Za-z])"
)


def is_safe_tex(tex: str) -> bool:
    """True when `tex` may be given to pandoc: no macro definitions or expansion tricks,
    not too long and its braces not nested too deep."""
    if len(tex) > MAX_FORMULA_CHARS or _UNSAFE_TEX.search(tex):
        return False
    depth = 0
    for char in tex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth > MAX_MATHS_DEPTH:
            return False
    return True


def _source(tex: str, *, display: bool) -> str:
    dollars = "$$" if display else "$"
    return raw(f"{dollars}{tex}{dollars}", block=display)


def _pandoc(formulas: list[tuple[str, bool]]) -> list[str]:
    """pandoc's Typst for each formula (with its `$`s), or "" for all of them when pandoc
    fails or overruns its bounds: the formulas then print as their source, and the
    book still builds."""
    from pypandoc import get_pandoc_path

    # Each formula in its own paragraph, a random marker paragraph between them: the
    # markers split the output, and no formula can forge one (it is not in the input).
    marker = f"GDSMATHSEPARATOR{secrets.token_hex(8)}"
    blocks: list[dict[str, object]] = []
    for tex, display in formulas:
        kind = "DisplayMath" if display else "InlineMath"
        blocks.append({"t": "Para", "c": [{"t": "Math", "c": [{"t": kind}, tex]}]})
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": marker}]})
    document = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}
    command = [get_pandoc_path(), "--from=json", "--to=typst", "--wrap=none"]
    try:
        result = subprocess.run(  # noqa: S603 -- the bundled pandoc, fixed arguments
            [*command, "+RTS", f"-M{PANDOC_MEMORY}", "-RTS"],
            input=json.dumps(document),
            capture_output=True,
            text=True,
            timeout=PANDOC_TIMEOUT,
            check=True,
        )
    except (subprocess.SubprocessError, OSError):
        logger.exception("pandoc failed; the formulas print as their TeX source.")
        return [""] * len(formulas)
    if len(result.stdout) > MAX_PANDOC_OUTPUT:
        logger.error("pandoc's output is too large; the formulas print as their TeX source.")
        return [""] * len(formulas)
    pieces = [piece.strip() for piece in result.stdout.split(marker)][: len(formulas)]
    if len(pieces) != len(formulas):
        logger.error("pandoc's output does not match its input; formulas print as source.")
        return [""] * len(formulas)
    return pieces


def _checked(piece: str, *, tex: str, display: bool) -> str:
    inner = piece[1:-1] if len(piece) >= 2 and piece[0] == piece[-1] == "$" else None
    if inner is None or not is_plain_maths(inner):
        # Not converted (pandoc writes the TeX as escaped text) or not plainly maths.
        return _source(tex, display=display)
    inner = inner.strip()
    return f"$ {inner} $" if display else f"${inner}$"


def is_plain_maths(inner: str) -> bool:
    """True when `inner`, Typst maths-mode content, cannot leave maths mode: outside
    string literals it has no `#` (code), `$` (end of maths), backtick (raw), comment,
    `@` reference or `<label>`, and its strings and brackets are closed (and nested
    no deeper than the compiler can parse: MAX_MATHS_DEPTH)."""
    if _DANGLING_ROOT.search(inner):
        return False
    position, length, depth = 0, len(inner), 0
    while position < length:
        char = inner[position]
        if char == "\\":
            position += 2  # an escaped character is that character, as text
            continue
        if char == '"':
            end = _string_end(inner, position + 1)
            if end is None:
                return False
            position = end + 1
            continue
        if char in "#$`@" or inner.startswith(("//", "/*"), position):
            return False
        if char == "<" and re.match(r"<[\w\-.:]+>", inner[position:]):
            return False
        depth += {"(": 1, ")": -1, "[": 1, "]": -1, "{": 1, "}": -1}.get(char, 0)
        if not 0 <= depth <= MAX_MATHS_DEPTH:
            return False
        position += 1
    return depth == 0


# pandoc writes `\sqrt\sqrt x` as `sqrt(√) x`, and Typst's `√` shorthand then takes the
# `)` as its radicand: "unclosed delimiter", and without this check the whole book fails.
_DANGLING_ROOT = re.compile(r"[√∛∜]\s*(?:[)\]},;&]|$)")


def _string_end(inner: str, position: int) -> int | None:
    while position < len(inner):
        if inner[position] == "\\":
            position += 2
        elif inner[position] == '"':
            return position
        else:
            position += 1
    return None


# --- Markdown → Typst -----------------------------------------------------------------

URL_SCHEMES = ("http://", "https://", "mailto:")


def markdown(source: str, maths: Maths) -> str:
    """The portal's Markdown as Typst markup (maths as placeholders for `maths.fill`).
    Raises Unprintable when it is nested deeper than the compiler takes (the caller
    prints the source as text instead); `maths` is left untouched then."""
    if not source:
        return ""
    tokens = parse(source)
    if _depth(tokens) > MAX_MARKDOWN_DEPTH:
        raise Unprintable("The Markdown is nested too deep to typeset.")
    scratch = Maths()
    typst = _blocks(SyntaxTreeNode(tokens).children, scratch)
    # Only now, with the whole text converted, are its formulas added to the document's.
    offset = len(maths.formulas)
    maths.formulas.extend(scratch.formulas)
    return _PLACEHOLDER.sub(lambda m: f"\x00M{int(m.group(1)) + offset}\x00", typst)


def _depth(tokens: list[Token]) -> int:
    """How deep the tree of `tokens` nests, inline markup (emphasis in emphasis…)
    included: `'*' * 600` nests 300 deep, too deep even to build the tree (recursion)."""
    deepest = 0
    for token in tokens:
        deepest = max(deepest, token.level + 1)
        level = token.level + 1
        for child in token.children or ():
            level += child.nesting
            deepest = max(deepest, level)
    return deepest


def _blocks(nodes: Iterable[SyntaxTreeNode], maths: Maths) -> str:
    return "".join(_block(node, maths) for node in nodes)


def _items(node: SyntaxTreeNode, maths: Maths) -> str:
    return ", ".join(f"[{_blocks(item.children, maths)}]" for item in node.children)


def _block(node: SyntaxTreeNode, maths: Maths) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inlines(node.children, maths) + "\n\n"
    if kind == "inline":
        return _inlines(node.children, maths)
    if kind == "heading":
        return f"#block(strong[{_blocks(node.children, maths)}]);\n\n"
    if kind in ("math_block", "math_block_label"):
        return maths.placeholder(node.content, display=True) + "\n\n"
    if kind in ("code_block", "fence"):
        return raw(node.content, block=True) + "\n\n"
    if kind == "bullet_list":
        return f"#list({_items(node, maths)});\n\n"
    if kind == "ordered_list":
        start = int(node.attrs.get("start", 1) or 1)
        return f"#enum(start: {start}, {_items(node, maths)});\n\n"
    if kind == "blockquote":
        return f"#quote(block: true)[{_blocks(node.children, maths)}];\n\n"
    if kind == "hr":
        return "#line(length: 100%);\n\n"
    if kind == "table":
        return _table(node, maths)
    # Footnotes and anything else: their content, in order, as text and blocks.
    if node.children:
        return _blocks(node.children, maths)
    return text(node.content) + ("\n\n" if node.content else "")


def _table(node: SyntaxTreeNode, maths: Maths) -> str:
    rows = [row for part in node.children for row in part.children]
    columns = max((len(row.children) for row in rows), default=1)
    cells = [f"[{_blocks(cell.children, maths)}]" for row in rows for cell in row.children]
    return f"#table(columns: {columns}, {', '.join(cells)});\n\n"


def _inlines(nodes: Iterable[SyntaxTreeNode], maths: Maths) -> str:
    return "".join(_inline(node, maths) for node in nodes)


def _inline(node: SyntaxTreeNode, maths: Maths) -> str:
    kind = node.type
    if kind == "text":
        return text(node.content)
    if kind == "math_inline":
        return maths.placeholder(node.content, display=False)
    if kind == "math_inline_double":
        return maths.placeholder(node.content, display=True)
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "#linebreak();"
    if kind == "code_inline":
        return raw(node.content)
    if kind == "image":
        return text(str(node.attrs.get("alt", "") or node.content))
    inner = _inlines(node.children, maths)
    if kind == "em":
        return f"#emph[{inner}];"
    if kind == "strong":
        return f"#strong[{inner}];"
    if kind == "s":
        return f"#strike[{inner}];"
    if kind == "link":
        href = str(node.attrs.get("href", ""))
        if href.startswith(URL_SCHEMES):
            return f"#link({string(href)})[{inner}];"
        return inner
    if kind == "footnote_ref":
        return f"#super[{text(str(node.meta.get('id', 0) + 1))}];"
    return inner or text(node.content)


# --- Compiling ------------------------------------------------------------------------

# The child process: limits first, then the compiler, with an empty root (no file to
# read), no system fonts (the bundled ones: the same book on every machine) and no
# package folders of the machine's.
_WORKER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
resource.setrlimit(resource.RLIMIT_CPU, ({seconds}, {seconds}))
import typst
source = sys.stdin.buffer.read()
root = sys.argv[1]
pdf = typst.compile(source, root=root, ignore_system_fonts=True, font_paths=[],
                    package_path=root, package_cache_path=root)
sys.stdout.buffer.write(pdf)
"""


def compile_pdf(source: str, *, timeout: float = COMPILE_TIMEOUT) -> bytes:
    """The PDF of a Typst document generated by this module, within `timeout` seconds.
    Raises TypesetError (with `timed_out` when it ran out of time)."""
    if len(source) > MAX_SOURCE_CHARS:
        raise TypesetError("The document is too large to typeset.")
    seconds = max(1, int(timeout))
    script = _WORKER.format(memory=COMPILE_MEMORY, seconds=seconds)
    with tempfile.TemporaryDirectory(prefix="gds-typeset-") as root:
        try:
            result = subprocess.run(  # noqa: S603 -- our interpreter and our script
                [sys.executable, "-c", script, root],
                input=source.encode(),
                capture_output=True,
                timeout=seconds,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise TypesetError(f"typst timed out: {error}", timed_out=True) from error
        except (subprocess.SubprocessError, OSError) as error:
            raise TypesetError(f"typst failed: {error}") from error
    if result.returncode == -signal.SIGXCPU:  # RLIMIT_CPU: out of time as well
        raise TypesetError("typst ran out of CPU time", timed_out=True)
    if result.returncode != 0 or not result.stdout.startswith(b"%PDF"):
        raise TypesetError(f"typst failed: {result.stderr.decode(errors='replace')[-2000:]}")
    if len(result.stdout) > MAX_PDF_BYTES:
        raise TypesetError("The PDF is too large to serve.")
    return result.stdout
