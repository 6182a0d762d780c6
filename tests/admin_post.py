"""Build an admin form POST from the page's own inputs, as a browser would send it.

Attack tests use it to send a whole change form with one field changed, so a
refusal is the boundary's doing and never a missing field.
"""

from html.parser import HTMLParser

from django.test import Client


class _FormInputs(HTMLParser):
    """Collects what a browser would submit from the page's inputs, selects and textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.removeprefix("\n")


def admin_form_post(client: Client, url: str, **changes) -> dict:
    """What the form page at `url` posts back unchanged, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormInputs()
    parser.feed(response.content.decode())
    data = {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}
    data.pop("action", None)  # the changelist's action picker, if any
    data.update(changes)
    return data
