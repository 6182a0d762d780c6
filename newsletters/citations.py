"""A reference as BibTeX and as RIS, built from its stored fields.

Both are plain text that reference managers import, so each value is made safe for its
format rather than for HTML: in BibTeX the characters TeX gives a meaning to are
escaped and braces (which delimit values) are replaced by TeX's brace commands, so a
title can never close its own field; in RIS a line is a field, so a value's line
breaks become spaces and it cannot start a tag of its own.
"""

import re
import unicodedata

from newsletters.models import Reference

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"

# TeX's special characters in text, each as a command that prints it. Braces become
# commands rather than \{ and \}: BibTeX counts every brace, escaped or not, when it
# looks for the end of a value, so a lone "{" in a title would swallow the entry.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_WHITESPACE = re.compile(r"\s+")
_PAGE_RANGE = re.compile(r"\s*[-\u2010-\u2015]+\s*")  # a hyphen or any dash between pages


def _one_line(value: str) -> str:
    # Line breaks, tabs and other control characters (which str.split counts as space
    # or which could end a line in a file) become single spaces.
    cleaned = "".join(" " if unicodedata.category(c).startswith("C") else c for c in value)
    return _WHITESPACE.sub(" ", cleaned).strip()


def bibtex_text(value: str) -> str:
    return _TEX_SPECIAL.sub(lambda m: _TEX_SPECIALS[m.group()], _one_line(value))


def _bibtex_verbatim(value: str) -> str:
    # DOI and URL fields are read verbatim (no TeX commands), but their braces still
    # delimit: percent-encoding them keeps the link working.
    return _one_line(value).replace("{", "%7B").replace("}", "%7D")


def _bibtex_author(name: str) -> str:
    text = bibtex_text(name)
    # " and " separates authors in BibTeX; a name that contains it (a collaboration) is
    # kept whole in braces.
    return f"{{{text}}}" if re.search(r"\sand\s", text, re.IGNORECASE) else text


def citation_key(reference: Reference) -> str:
    """First author's family name and year in ASCII letters, e.g. "Desgranges2020"."""
    authors = reference.author_list
    family = authors[0].split(",")[0] if authors else ""
    ascii_family = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^A-Za-z0-9]", "", ascii_family)
    if not letters:
        return f"gds-reference-{reference.pk}"
    return f"{letters}{reference.year or ''}"


def _pages(reference: Reference) -> tuple[str, str]:
    parts = _PAGE_RANGE.split(_one_line(reference.pages), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def bibtex(reference: Reference) -> str:
    first, last = _pages(reference)
    fields = [
        ("author", " and ".join(_bibtex_author(a) for a in reference.author_list)),
        ("title", bibtex_text(reference.title)),
        ("journal", bibtex_text(reference.journal)),
        ("volume", bibtex_text(reference.volume)),
        ("pages", "--".join(bibtex_text(p) for p in (first, last) if p)),
        ("year", str(reference.year or "")),
        ("doi", _bibtex_verbatim(reference.doi)),
        ("url", _bibtex_verbatim(reference.url)),
    ]
    if not reference.title and not reference.authors:
        # Nothing but the printed line is known: it goes along as a note.
        fields.append(("note", bibtex_text(reference.citation)))
    entry_type = "article" if reference.journal else "misc"
    lines = [f"  {name} = {{{value}}}" for name, value in fields if value]
    return f"@{entry_type}{{{citation_key(reference)},\n" + ",\n".join(lines) + "\n}\n"


def ris(reference: Reference) -> str:
    """RIS as its specification has it: "TY  - " first, "ER  - " last, CRLF line ends."""
    first, last = _pages(reference)
    tags = [("TY", "JOUR" if reference.journal else "GEN")]
    tags += [("AU", _one_line(author)) for author in reference.author_list]
    tags += [
        ("TI", _one_line(reference.title)),
        ("T2", _one_line(reference.journal)),
        ("VL", _one_line(reference.volume)),
        ("SP", first),
        ("EP", last),
        ("PY", str(reference.year or "")),
        ("DO", _one_line(reference.doi)),
        ("UR", _one_line(reference.url)),
    ]
    if not reference.title and not reference.authors:
        tags.append(("N1", _one_line(reference.citation)))
    lines = [f"{tag}  - {value}" for tag, value in tags if value]
    return "\r\n".join([*lines, "ER  - ", ""])
