"""Check, in a page's HTML, that its form errors are wired for screen readers (issue 23).

`error_wiring_problems(html)` lists what is wrong, empty when all is well:

- the page has one error summary (gds_portal.form_errors): role="alert", tabindex="-1",
  named by a heading with text;
- each link in it goes to a control, or to a group holding controls, that is invalid
  (a form's non-field error that names no field it concerns goes to the first field);
- each control with aria-invalid="true" is described (by its own aria-describedby or its
  <fieldset>'s) by ids that all exist, one of them a message with text, and that message
  is said in the summary too;
- each visible message (crispy's `invalid-feedback`) describes some control, and each
  control drawn as invalid (`is-invalid`) says so (aria-invalid="true").

The browser tests (tests/e2e/test_error_summary.py) check the same in Chromium and add
what needs a browser: the focus.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
CONTROLS = {"input", "select", "textarea"}


class _Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        parents = list(self._open)
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": [], "parents": parents})
        if tag not in VOID:
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self.elements[self._open[depth]]["tag"] == tag:
                del self._open[depth:]
                return

    def handle_data(self, data):
        for index in self._open:
            self.elements[index]["text"].append(data)


def _text(element) -> str:
    return " ".join("".join(element["text"]).split())


def error_wiring_problems(html: str) -> list[str]:
    page = _Page(html)
    # A <template>'s content is no part of the page (the abstract form's blank author row).
    templates = {i for i, e in enumerate(page.elements) if e["tag"] == "template"}
    elements = [e for e in page.elements if not templates & set(e["parents"])]
    by_id = {e["attrs"]["id"]: e for e in elements if e["attrs"].get("id")}
    index = {id(e): i for i, e in enumerate(page.elements)}

    def inside(element, ancestor) -> bool:
        return index[id(ancestor)] in element["parents"]

    summaries = [e for e in elements if "data-error-summary" in e["attrs"]]
    if len(summaries) != 1:
        return [f"{len(summaries)} error summaries"]
    summary = summaries[0]
    problems = []
    attrs = summary["attrs"]
    title = by_id.get(attrs.get("aria-labelledby", ""))
    if attrs.get("role") != "alert" or attrs.get("tabindex") != "-1":
        problems.append(f"the summary is not a focusable alert: {attrs}")
    if title is None or title["tag"] not in {"h2", "h3", "h4"} or not _text(title):
        problems.append("the summary is not named by a heading")
    summary_text = _text(summary)

    controls = [e for e in elements if e["tag"] in CONTROLS]
    invalid = [c for c in controls if c["attrs"].get("aria-invalid") == "true"]
    for link in [e for e in elements if e["tag"] == "a" and inside(e, summary)]:
        target = by_id.get(link["attrs"].get("href", "").removeprefix("#"))
        held = [target] if target and target["tag"] in CONTROLS else []
        held += [c for c in controls if target and inside(c, target)]
        item = page.elements[link["parents"][-1]]
        if not held:
            problems.append(f"summary link {_text(link)!r} goes to no control")
        elif not any(c in invalid for c in held) and "nonfield_error" not in item["attrs"].get(
            "id", ""
        ):
            problems.append(f"summary link {_text(link)!r} goes to no invalid control")

    described = set()
    for control in invalid:
        name = control["attrs"].get("id") or control["attrs"].get("name")
        ids = control["attrs"].get("aria-describedby", "").split()
        for group in [page.elements[i] for i in control["parents"]]:
            if group["tag"] == "fieldset":
                ids += group["attrs"].get("aria-describedby", "").split()
        described.update(ids)
        if missing := [i for i in ids if i not in by_id]:
            problems.append(f"{name} is described by missing ids {missing}")
        messages = [_text(by_id[i]) for i in ids if i in by_id and not i.endswith("_helptext")]
        messages = [m for m in messages if m]
        if not messages:
            problems.append(f"{name} is invalid but described by no message")
        elif not any(m in summary_text for m in messages):
            problems.append(f"{name}: its message {messages} is not in the summary")
    for element in elements:
        classes = element["attrs"].get("class", "").split()
        if "invalid-feedback" in classes and element["attrs"].get("id") not in described:
            problems.append(f"message {_text(element)!r} describes no control")
        if element["tag"] in CONTROLS and "is-invalid" in classes and element not in invalid:
            problems.append(f"{element['attrs'].get('name')} looks invalid but does not say so")
    return problems
