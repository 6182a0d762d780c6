"""The stored-XSS corpus: payloads for every writable field, and the pages that show them.

An app adds `tests/<app>/xss_fields.py` with one function:

    def seed(corpus: Corpus) -> list[str]:
        '''Store payloads in every field members or committees can write; return the
        paths (public pages, My GDS, admin list/change pages) that display them.'''
        talk = TalkFactory(title=corpus.text("talk title", 200),
                           abstract=corpus.markdown("talk abstract"))
        return [talk.get_absolute_url(), "/admin/webinars/talk/",
                f"/admin/webinars/talk/{talk.pk}/change/"]

`corpus.user` is the signed-in superuser who visits every page; put payloads
in its fields too where an app shows the member's own data. Mail queued while
seeding (OutboundEmail rows with an HTML body) is opened in the browser too.
Spreadsheet exports that show a field are registered with `corpus.export(url)`,
feeds and calendars with `corpus.document(url)`, forms answered on the spot with
`corpus.post(url, data)`.

Every payload is also template syntax (`{{7*7}}`, `{% debug %}`,
`{{request.META.HTTP_COOKIE}}`, `{% load x %}`), a meta refresh and control
characters (C0, DEL, the search's highlight markers): text must never become
code of any kind.

Two tests read the corpus:
- tests/e2e/test_security_xss.py visits everything in Chromium and requires zero
  JavaScript dialogs, zero CSP violations, no `on*` attribute and no javascript:
  link, and that every payload's marker is visible somewhere (so a field that is
  never rendered is noticed);
- tests/security/test_text_walk.py ("text never becomes code") visits every page,
  mail and export with the test client and requires each payload's template
  syntax to appear literally next to its marker, no page to fail, no session
  cookie or debug output to leak, and every text field of every model (found
  from the app registry, so a new field is covered the day it lands) to hold a
  payload unless WRITTEN_BY_NO_ONE there says why not.
"""

import importlib
from dataclasses import dataclass, field

from tests.security.access import local_apps

# Right after the marker's HTML opener, so fields as short as 120 characters hold it whole.
TEMPLATE_SYNTAX = "{{7*7}}{% debug %}{{request.META.HTTP_COOKIE}}{% load x %}"
CONTROL_CHARACTERS = "\x01\x02\x03\x1b\x7f"


def _payload(n: int) -> str:
    return (
        f"XSS{n}\"'><script>alert({n})</script>{TEMPLATE_SYNTAX}{CONTROL_CHARACTERS}"
        f"<img src=x onerror=alert({n})><svg onload=alert({n})>"
        '<meta http-equiv="refresh" content="0;url=/refreshed/"></title></textarea>'
    )


def _markdown_payload(n: int) -> str:
    return (
        f'{_payload(n)}\n\n[link{n}](javascript:alert({n})) <a href="javascript:alert({n})">a</a>'
        f' ![i](x" onerror="alert({n})) $\\href{{javascript:alert({n})}}{{m}}$'
        f" <details open ontoggle=alert({n})>"
    )


@dataclass
class Corpus:
    user: object
    markers: dict[str, str] = field(default_factory=dict)  # marker: what field holds it
    stored: dict[str, str] = field(default_factory=dict)  # marker: the payload as stored
    exports: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    posts: list[tuple[str, dict]] = field(default_factory=list)

    def _next(self, what: str) -> int:
        n = len(self.markers) + 1
        self.markers[f"XSS{n}"] = what
        return n

    def text(self, what: str, max_length: int = 200) -> str:
        """A payload for a plain-text field (escaped by templates)."""
        n = self._next(what)
        return self._store(n, _payload(n)[:max_length])

    def markdown(self, what: str) -> str:
        """A payload for a Markdown field (rendered by the sanitising renderer)."""
        n = self._next(what)
        return self._store(n, _markdown_payload(n))

    def _store(self, n: int, payload: str) -> str:
        self.stored[f"XSS{n}"] = payload
        return payload

    def export(self, url: str) -> None:
        """A CSV or XLSX export (not a page to open) that shows some of the fields."""
        self.exports.append(url)

    def post(self, url: str, data: dict) -> None:
        """A form whose answer (to a POST, on the spot) shows what was sent, such as a
        lookup kept out of addresses: the walk sends `data` to `url` and reads the page."""
        self.posts.append((url, data))

    def document(self, url: str) -> None:
        """A feed or calendar (XML, iCalendar: not a page to open) that shows some fields."""
        self.documents.append(url)


def seed_modules():
    for app in local_apps():
        try:
            yield importlib.import_module(f"tests.{app}.xss_fields")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.xss_fields":
                raise
