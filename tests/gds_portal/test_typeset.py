"""Markdown with maths → Typst: text stays text, maths stays maths (gds_portal/typeset.py).
The whole book, hostile text and all, is tested in tests/meetings/test_book_pdf.py."""

import pytest

from gds_portal.typeset import (
    Maths,
    is_plain_maths,
    markdown,
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
