"""Parse rendered HTML and report anything a sanitiser should never let through."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from gds_portal.markdown import ATTRIBUTES, MATH_TAGS, TEXT_TAGS, URL_SCHEMES


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe_parts(html: str) -> list[str]:
    """Every tag, attribute or URL in `html` that is outside the allowlist."""
    collector = _Collector()
    collector.feed(html)
    problems = []
    for tag, attrs in collector.tags:
        if tag not in TEXT_TAGS | MATH_TAGS:
            problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name not in ATTRIBUTES.get(tag, set()) | {"rel"}:
                problems.append(f"attribute {name} on <{tag}>")
            if name in {"href", "src"} and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    problems.append(f"{scheme}: URL in <{tag}>")
    return problems


# The HTML standard's "valid date string with optional time" family that <time datetime>
# takes (https://html.spec.whatwg.org/#the-time-element), less weeks and durations,
# which the portal never writes: a second's fraction has one to three digits.
_DATE = r"\d{4,}-\d\d-\d\d"
_TIME = r"\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?"
_ZONE = r"(?:Z|[+-]\d\d:?\d\d)"
VALID_TIME_DATETIME = re.compile(
    rf"{_DATE}|\d{{4,}}-\d\d|{_TIME}|{_DATE}[T ]{_TIME}|{_DATE}[T ]{_TIME}{_ZONE}|{_ZONE}"
)


def time_datetimes(html: str) -> list[str]:
    """Every <time datetime="…"> value in `html`, in order."""
    collector = _Collector()
    collector.feed(html)
    return [
        value or ""
        for tag, attrs in collector.tags
        if tag == "time"
        for name, value in attrs
        if name == "datetime"
    ]


def invalid_time_datetimes(html: str) -> list[str]:
    """Every <time datetime="…"> value in `html` that is not valid HTML."""
    return [value for value in time_datetimes(html) if not VALID_TIME_DATETIME.fullmatch(value)]
