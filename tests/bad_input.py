"""Property-based bad input for forms: hostile values, and what a page must do with them.

Each app's `test_bad_input.py` posts a complete, valid form with one to three fields
replaced by a value drawn from `hostile_values()` (random Unicode, control
characters, NUL bytes, huge and empty strings, wrong types, several values for one
field, a missing field) and checks with `assert_handled` that the page never fails:
either the input was acceptable and saved (a redirect), or the form comes back with
a clear message and every other field as typed.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# A marker for "leave this field out of the POST altogether".
MISSING = object()

# Modest example counts keep `make test` fast; no example database on disk (the
# suite runs with -p no:cacheprovider and leaves nothing behind). Locally every run
# draws new examples, which is how these tests find bugs; in CI (.ci/run sets CI=true)
# each test draws the same examples every run, so a red CI run is the change under
# test, not a new random draw. A failure prints the example to reproduce it either way.
FORM_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI", "").lower() in {"1", "true", "yes"},
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Surrogates cannot be encoded as UTF-8, so no browser can send them.
_chars = st.characters(exclude_categories=["Cs"])
_control = st.characters(max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\ufeff"])


def _with_nul(text: str) -> str:
    middle = len(text) // 2
    return f"{text[:middle]}\x00{text[middle:]}"


def hostile_text() -> st.SearchStrategy:
    return st.one_of(
        st.text(_chars, max_size=60),
        st.text(_control, min_size=1, max_size=20),
        st.text(_chars, max_size=30).map(_with_nul),
        st.just("\x00"),
        st.just(""),
        st.just("   \t\r\n "),
        st.integers(min_value=2_000, max_value=30_000).map(lambda n: ("é𝔊" * n)[:n]),
        st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE x; --", "%00", "\\x00"]),
    )


def hostile_values() -> st.SearchStrategy:
    """A value for one form field: hostile text, a wrong type, several values, or none."""
    return st.one_of(
        hostile_text(),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["true", "on", "None", "null", "[]", "{}", "NaN", "-1", "1e309"]),
        st.lists(hostile_text(), min_size=2, max_size=3),
        st.just(MISSING),
    )


def corruptions(fields: list[str]) -> st.SearchStrategy:
    """One to three of `fields`, each with a hostile value."""
    return st.dictionaries(st.sampled_from(fields), hostile_values(), min_size=1, max_size=3)


# The worst values, tried deterministically on every field (random search may miss
# the one field that hands a NUL to a query).
NASTY = ["a\x00b", "\x00", "\x01\x08\x1b\x7f", "", "ü" * 20_000, ["a", "b"], MISSING]


def each_field_nasty(fields: list[str]):
    """(field, {field: value}) for every field and every value in NASTY."""
    for name in fields:
        for value in NASTY:
            yield name, {name: value}


def corrupt(data: dict, bad: dict) -> dict:
    posted = {**data, **bad}
    return {key: value for key, value in posted.items() if value is not MISSING}


class _FormValues(HTMLParser):
    """The values a browser would send back from the page's forms, by field name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value") or "on")
            elif kind not in {"submit", "button", "password", "file"}:
                self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(page: str) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(page)
    for name, values in parser.values.items():
        # Django's textarea template starts its content on a new line, which HTML drops.
        parser.values[name] = [v.removeprefix("\r\n").removeprefix("\n") for v in values]
    return parser.values


ERROR_MARKS = ("invalid-feedback", "errorlist", "alert-danger", "is-invalid", 'role="alert"')


def assert_handled(
    response, *, posted: dict, bad: dict, kept: list[str], success=(302, 303)
) -> bool:
    """The page survived `bad`: a redirect (accepted) or the form with a message and input kept.

    `kept` names the fields whose posted value must come back as typed when the form
    is shown again (fields the server normalises or never echoes, such as passwords,
    are left out). Returns whether the input was accepted.
    """
    assert response.status_code < 500, (response.status_code, bad)
    if response.status_code in success:
        return True
    page = response.content.decode()
    assert response.status_code in {200, 400, 409, 413}, (response.status_code, bad)
    assert any(mark in page for mark in ERROR_MARKS), ("no message shown", bad)
    shown = form_values(page)
    for name in kept:
        if name in bad:
            continue
        value = posted.get(name, "")
        assert shown.get(name, [""])[-1:] == [value], (name, value, shown.get(name), bad)
    return False
