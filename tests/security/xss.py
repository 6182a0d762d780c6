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
tests/e2e/test_security_xss.py visits everything and requires zero JavaScript
dialogs, zero CSP violations, no `on*` attribute and no javascript: link,
and that every payload's marker is visible somewhere (so a field that is
never rendered is noticed).
"""

import importlib
from dataclasses import dataclass, field

from tests.security.access import local_apps


def _payload(n: int) -> str:
    return (
        f"XSS{n}\"'><script>alert({n})</script><img src=x onerror=alert({n})>"
        f"<svg onload=alert({n})></title></textarea>"
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
    markers: dict[str, str] = field(default_factory=dict)

    def _next(self, what: str) -> int:
        n = len(self.markers) + 1
        self.markers[f"XSS{n}"] = what
        return n

    def text(self, what: str, max_length: int = 200) -> str:
        """A payload for a plain-text field (escaped by templates)."""
        return _payload(self._next(what))[:max_length]

    def markdown(self, what: str) -> str:
        """A payload for a Markdown field (rendered by the sanitising renderer)."""
        return _markdown_payload(self._next(what))


def seed_modules():
    for app in local_apps():
        try:
            yield importlib.import_module(f"tests.{app}.xss_fields")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.xss_fields":
                raise
