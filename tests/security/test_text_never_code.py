"""No text reaches a template engine as template source (issue 15, break 2, as a class).

Checked over the source tree, so new code is covered the day it lands:

- crispy-forms' layout objects that run their strings as templates (HTML, a
  Fieldset's legend, button values, StrictButton) are imported only by
  gds_portal/form_layout.py, whose replacements never do;
- nothing builds a Template from a string (`Template(...)`, `engines[...].from_string`);
- the markup given to form_layout.HTML is a constant written in the source, and the
  template form_layout.Include renders is named by a literal;
- templates include and extend only templates named by a literal.
"""

import ast
import re
from pathlib import Path

import pytest
from django.contrib.flatpages.models import FlatPage

from tests.security.test_noqa import ROOT, python_files

TEMPLATE_RUNNING_CRISPY = {
    "HTML",
    "Submit",
    "Button",
    "Reset",
    "Hidden",
    "Fieldset",
    "StrictButton",
}
SAFE_LAYOUT = Path("gds_portal/form_layout.py")
# Where each rule's own test code legitimately mentions what it forbids.
SKIP = {Path("tests/security/test_text_never_code.py")}


def _trees():
    for path in python_files():
        relative = path.relative_to(ROOT)
        if relative not in SKIP:
            yield relative, ast.parse(path.read_text(), filename=str(relative))


def _crispy_template_runners(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crispy_forms"):
            found += [alias.name for alias in node.names if alias.name in TEMPLATE_RUNNING_CRISPY]
        if (
            isinstance(node, ast.Attribute)
            and node.attr in TEMPLATE_RUNNING_CRISPY
            and getattr(node.value, "id", None) in {"layout", "bootstrap"}
        ):
            found.append(node.attr)
    return found


def _strings_made_templates(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.template"):
            found += [alias.name for alias in node.names if alias.name in {"Template", "engines"}]
        if isinstance(node, ast.Attribute) and node.attr in {"from_string", "Template"}:
            found.append(node.attr)
    return found


def _module_constants(tree) -> set[str]:
    constants = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and _is_constant(node.value, set()):
            constants |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return constants


def _is_constant(node, constants: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_constant(node.left, constants) and _is_constant(node.right, constants)
    return isinstance(node, ast.Name) and node.id in constants


def _html_with_non_constant(tree) -> list[int]:
    constants = _module_constants(tree)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "HTML"
        and not (len(node.args) == 1 and _is_constant(node.args[0], constants))
    ]


def _include_with_non_literal(tree) -> list[int]:
    # A template name taken from text could render any template of the site with the
    # page's context (as the flat page's "template name" field did).
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Include"
        and not (
            len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        )
    ]


def test_crispy_layout_that_runs_templates_is_never_imported():
    found = {
        str(path): names
        for path, tree in _trees()
        if path != SAFE_LAYOUT and (names := _crispy_template_runners(tree))
    }
    assert found == {}, "import HTML, Submit, Fieldset … from gds_portal.form_layout instead"


def test_no_string_is_ever_made_a_template():
    found = {str(p): names for p, tree in _trees() if (names := _strings_made_templates(tree))}
    assert found == {}, "render a template file with the text as context data instead"


def test_fixed_markup_is_a_constant_of_the_source():
    found = {str(p): lines for p, tree in _trees() if (lines := _html_with_non_constant(tree))}
    assert found == {}, "HTML() takes a module constant; pass text to a template file instead"


def test_included_templates_are_named_by_a_literal():
    found = {str(p): lines for p, tree in _trees() if (lines := _include_with_non_literal(tree))}
    assert found == {}, "Include() takes the template's name as a string literal"


TAG = re.compile(r"{%\s*(include|extends)\s+(\S+)")


def test_templates_include_only_templates_named_by_a_literal():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
        for match in TAG.finditer(path.read_text(errors="replace"))
        if match.group(2)[0] not in "\"'"
    ]
    assert found == []


def test_the_checks_see_what_they_forbid():
    # The checks are only worth their silence if they catch the forms that were real.
    tree = ast.parse(
        "from crispy_forms.layout import HTML, Fieldset\n"
        "from django.template import Template\n"
        "from django.template import engines\n"
        "def f(label):\n"
        "    engines['django'].from_string(label)\n"
        "    return HTML(format_html('<p>{}</p>', label))\n"
    )
    assert _crispy_template_runners(tree) == ["HTML", "Fieldset"]
    assert _strings_made_templates(tree) == ["Template", "engines", "from_string"]
    assert _html_with_non_constant(tree) == [6]
    constant = ast.parse("NOTE = '<p>a</p>' + '<p>b</p>'\nHTML(NOTE)\nHTML('<hr>')\n")
    assert _html_with_non_constant(constant) == []
    included = ast.parse("Include('a/_rows.html')\nInclude(page.template_name)\n")
    assert _include_with_non_literal(included) == [2]


UNESCAPING = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off\s*%}")


def test_html_templates_never_turn_escaping_off():
    # Text mail bodies and subjects are text, not HTML: escaping would garble "R&D <Lab>"
    # there. Everywhere else, markup comes only from |markdown (sanitised) or from
    # format_html/SafeString built in Python (audited in docs/security.md, "Text is data").
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and path.suffix != ".txt"
        for match in UNESCAPING.finditer(path.read_text(errors="replace"))
    ]
    assert found == []


def test_feeds_use_the_formats_that_drop_what_xml_cannot_hold():
    # django.utils.feedgenerator's formats raise on a control character: one in a title
    # made the whole feed a 500 for every reader.
    found = {
        str(path): names
        for path, tree in _trees()
        if path != Path("gds_portal/feeds.py")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == "django.utils.feedgenerator"
        and (names := [alias.name for alias in node.names])
    }
    assert found == {}, "use gds_portal.feeds"


@pytest.mark.django_db
def test_a_flat_page_cannot_pick_a_template_outside_flatpages(client):
    # The admin's "template name" field is committee text too: "flatpages/../x.html"
    # passed the prefix check and rendered any template of the site with the page.
    page = FlatPage.objects.create(
        url="/elsewhere/",
        title="Elsewhere",
        content="Body text",
        template_name="flatpages/../crrg/_condition_note.html",
    )
    page.sites.add(1)
    html = client.get("/elsewhere/").content.decode()
    assert "crrg-condition-note" not in html
    assert "<h1>Elsewhere</h1>" in html or ">Elsewhere</h1>" in html
