"""Markdown with maths → Typst: text stays text, maths stays maths (gds_portal/typeset.py).
The whole book, hostile text and all, is tested in tests/meetings/test_book_pdf.py."""

import itertools

import pytest

from gds_portal.typeset import (
    Maths,
    Unprintable,
    is_plain_maths,
    is_safe_tex,
    markdown,
    raw,
    string,
    tex_to_typst,
    text,
)


def test_a_string_literal_escapes_what_typst_strings_interpret():
    assert string('a "b" \\c\r\nd\x00e\x1b') == '"a \\"b\\" \\\\c\\nde"'
    assert text("#read(1)") == '#"#read(1)";'
    assert text("") == ""


@pytest.mark.parametrize(
    "inner",
    [
        "x #read(1)",  # code
        "x $ #read(1)",  # the end of maths, then code
        "x `raw`",
        "x // comment",
        "x /* comment */",
        "@label",
        "x <label> y",
        '"open string',
        "f(x",
        "x)",
    ],
)
def test_maths_that_could_leave_maths_mode_is_refused(inner):
    assert not is_plain_maths(inner)


@pytest.mark.parametrize(
    "inner",
    ['upright("#read(\\"x\\")")', "x \\# y \\/ \\/ z", "a < b > c", 'mat(delim: "(", 1, 2)'],
)
def test_plain_maths_is_accepted(inner):
    assert is_plain_maths(inner)


def test_tex_becomes_typst_maths_or_its_source_as_code():
    converted = tex_to_typst(
        [(r"\alpha^2", False), (r"\foo{#x}", False), (r"\label{x}", True), (r"\sum_i x_i", True)]
    )
    assert converted[0] == "$alpha^2$"
    assert converted[1] == '#raw(block: false, "$\\\\foo{#x}$");'
    assert converted[2] == '#raw(block: true, "$$\\\\label{x}$$");'
    assert converted[3] == "$ sum_i x_i $"


def test_markdown_keeps_structure_and_leaves_text_in_strings():
    maths = Maths()
    source = markdown("*a* `#b`\n\n- [c](javascript:x)\n\n$x$", maths)
    # A javascript: link is no link: its source is text, as on the site.
    assert source == (
        '#emph[#"a";];#" ";#raw(block: false, "#b");\n\n'
        '#list([#"[c](javascript:x)";\n\n]);\n\n'
        "\x00M0\x00\n\n"
    )
    assert maths.fill(source).endswith("$x$\n\n")


def _doubling_macros(count: int = 20) -> str:
    """The outside probe's formula: each macro twice the last, 2**count x's in the end;
    pandoc expanded it for 30 s and more (a worker timeout on the public book)."""
    names = [f"\\z{chr(ord('a') + i)}" for i in range(count)]
    lines = [f"\\newcommand{{{names[0]}}}{{xx}}"]
    lines += [
        f"\\newcommand{{{name}}}{{{before}{before}}}" for before, name in itertools.pairwise(names)
    ]
    return "".join(lines) + names[-1]


@pytest.mark.parametrize(
    "tex",
    [
        _doubling_macros(),
        r"\renewcommand{\a}{b}\a",
        r"\providecommand\a{b}",
        r"\def\a{\a\a}\a",
        r"\edef\a{b}",
        r"\gdef\a{b}",
        r"\xdef\a{b}",
        r"\let\a\b",
        r"\DeclareMathOperator{\tr}{tr}",
        r"\newenvironment{x}{a}{b}",
        r"\csname alpha\endcsname",
        r"\expandafter\a\b",
        r"\input{/etc/passwd}",
        r"\include{x}",
        "x^{" * 40 + "y" + "}" * 40,  # braces nested beyond MAX_MATHS_DEPTH
        "x" * 6000,  # longer than any formula needs
    ],
)
def test_macro_definitions_and_deep_tex_never_reach_pandoc(tex):
    assert not is_safe_tex(tex)
    assert tex_to_typst([(tex, True)]) == [raw(f"$${tex}$$", block=True)]


@pytest.mark.parametrize("tex", [r"\alpha + \left( \frac{a}{b} \right)", r"\definecolor", r"\lett"])
def test_ordinary_tex_is_given_to_pandoc(tex):
    assert is_safe_tex(tex)


def test_the_doubling_macros_print_as_source_beside_converted_maths():
    converted = tex_to_typst([(_doubling_macros(), True), (r"\alpha", False)])
    assert converted == [raw(f"$${_doubling_macros()}$$", block=True), "$alpha$"]


@pytest.mark.parametrize(
    "tex",
    [
        "x_" * 600 + "y",  # x_(x_(x_(…))): beyond Typst's parsing depth
        "\\sqrt{" * 400 + "x" + "}" * 400,
        "\\sqrt" * 400 + " x",  # pandoc writes sqrt(√) …, which Typst cannot parse
        r"\sqrt\sqrt x",
    ],
)
def test_maths_nested_too_deep_or_unparseable_prints_as_source(tex):
    assert tex_to_typst([(tex, False)]) == [raw(f"${tex}$")]


@pytest.mark.parametrize(
    "source", ["*" * 600 + "x" + "*" * 600, ">" * 1000 + " deep", "- > " * 20 + "x"]
)
def test_markdown_nested_too_deep_is_unprintable_and_leaves_the_maths_alone(source):
    maths = Maths()
    maths.placeholder("a", display=False)
    with pytest.raises(Unprintable):
        markdown(source + " $x$", maths)
    assert maths.formulas == [("a", False)]


def test_formulas_of_later_texts_are_numbered_after_earlier_ones():
    maths = Maths()
    first = markdown("$a$", maths)
    second = markdown("$b$ $c$", maths)
    assert maths.fill(first + second) == '$a$\n\n$b$#" ";$c$\n\n'
