"""One way to render forms: crispy, with the layout objects of gds_portal.form_layout.

The meetings pages once rendered their forms through a tag of their own (`{% control %}`
with a hand-written field template) beside crispy. Walking templates/ and our tag
libraries, so a template or library added tomorrow is covered:

- templates load no tag library but crispy's that could render a form control, and
  LIBRARIES says why each one they load is not such a library;
- no tag library of ours renders a form field;
- form controls written by hand (<input>, <select>, <textarea>) or a form printed
  bare ({{ form.token }}, {{ form.as_p }}) appear only where HAND_WRITTEN says why.
"""

import ast
import html
import re

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from crispy_forms.utils import render_crispy_form
from django import forms

from gds_portal.form_layout import Fieldset, StrictButton
from tests.security.test_noqa import ROOT, python_files

TEMPLATES = ROOT / "templates"

# Every tag library our templates load, and why it renders no form control.
LIBRARIES = {
    "crispy_forms_tags": "crispy: the one way to render a form",
    "static": "URLs of static files",
    "tz": "time zones",
    "i18n": "translation (allauth's and the admin's templates)",
    "gds": "the portal's own filters (Markdown, maths, local times); checked below",
    "allauth": "allauth's element and slot tags; its forms go through crispy "
    "(templates/allauth/elements/fields.html)",
    "admin_urls": "the admin's URL filters (django-simple-history's pages)",
    "getattributes": "django-simple-history's attribute lookup on its history pages",
    "elections": "filters that lay out published counting rounds and ballots as tables",
    "community_photos": "a person's photo as <img> in fixed sizes with srcset; checked below",
    "admin_list": "Django admin's changelist tags, in our copy of its pagination template",
    "visitor": "the visitor's own parts of a shared page (gds_portal/sharedpages.py): "
    "templates whose forms are the logout button and the webinar's Register button",
}

# Templates with form controls written by hand, and why they are not a Django form
# that crispy should render.
HAND_WRITTEN = {
    "base.html": "the header's search box: a GET query, no Django form",
    "gds_portal/search.html": "the search page's box: a GET query the view reads itself",
    "crrg/summary.html": "the interest-group filter: a GET parameter the view matches itself",
    "503.html": "a failed POST's fields kept as hidden copies and read-only text",
    "account/email_change.html": "allauth's own hidden forms that resend or cancel a change",
    "allauth/elements/field.html": "allauth's element for one field; whole allauth forms "
    "go through crispy in elements/fields.html",
    "newsletters/_my_gds.html": "a one-click subscribe button for the signed-in address; "
    "the subscription form itself (newsletters/subscribe.html) is crispy's",
    "ombudsman/raise.html": "the signed address link carried beside the crispy form",
    "ombudsman/case.html": "the close or reopen button: a fixed status, no Django form",
    "admin/meetings/sortingcategory/import.html": "an admin page: the admin's own look",
    "admin/webinars/registration/import.html": "an admin page: the admin's own look",
    "admin/webinars/registration/import_views.html": "an admin page: the admin's own look",
    "admin/newsletters/revision_compare.html": "an admin page: the admin's own look",
    "admin/search_form.html": "Django admin's search box, copied to say 'about N' for an "
    "estimated count (gds_portal/admin_lists.py): the admin's own look",
    "admin/pagination.html": "Django admin's pagination with its Save button for editable "
    "lists, copied to say 'about N' (gds_portal/admin_lists.py): the admin's own look",
    "admin/newsletters/issue/import.html": "an admin page: the admin's own look",
    "admin/newsletters/issue/import_preview.html": "an admin page: the admin's own look "
    "(the confirmation is a bare button: the archive is named by the URL's signed token)",
    "meetings/committee/_decision_table.html": "DecisionForm's tick box on each table row "
    "(the template's comment says why)",
    "elections/review.html": "the review-then-cast step: the choices already validated, "
    "carried as hidden copies so nothing about the ballot is kept in the session, with "
    "the server's signed review marker (BallotForm.review_token)",
}

LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
CONTROL = re.compile(
    r"<(input|select|textarea)\b"
    r"|{{\s*[\w.]+\.(token|management_form|as_p|as_div|as_table|as_ul)\s*}}"
    r"|{{\s*\w*form\s*}}"
)
# What a tag that renders a form field by hand reaches for (the `control` tag used the
# first two).
FIELD_RENDERING = {"as_widget", "widget_type", "build_widget_attrs", "subwidgets"}


def _templates():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            yield str(path.relative_to(TEMPLATES)), path.read_text(errors="replace")


def _libraries(load: str) -> set[str]:
    # {% load a b %} loads libraries a and b; {% load x y from lib %} loads from lib.
    words = load.split()
    return {words[-1]} if "from" in words else set(words)


def _field_rendering(tree) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in FIELD_RENDERING
    }


def test_templates_load_no_form_rendering_library_but_crispys():
    loaded = {
        library
        for _, text in _templates()
        for load in LOAD.findall(text)
        for library in _libraries(load)
    }
    assert loaded == set(LIBRARIES)


def test_no_tag_library_of_ours_renders_a_field():
    found = {
        str(path.relative_to(ROOT)): sorted(names)
        for path in python_files()
        if "templatetags" in path.parts and (names := _field_rendering(ast.parse(path.read_text())))
    }
    assert found == {}, "lay the form out with crispy (gds_portal.form_layout) instead"


def test_form_controls_are_written_by_hand_only_where_it_says_why():
    found = {name for name, text in _templates() if CONTROL.search(text)}
    assert found == set(HAND_WRITTEN)


def test_the_checks_see_what_they_forbid():
    # The markup the meetings forms had before crispy rendered them.
    old = (
        '{% load meetings_forms %}<form method="post">{% csrf_token %}{{ form.token }}'
        '{% control field show_errors %}<input class="form-check-input" type="radio"></form>'
    )
    assert [m.group(0) for m in CONTROL.finditer(old)] == ["{{ form.token }}", "<input"]
    assert _libraries(LOAD.findall(old)[0]) == {"meetings_forms"}
    assert _libraries("control from meetings_forms") == {"meetings_forms"}
    assert CONTROL.search("{{ form.as_p }}") and CONTROL.search("{{ form }}")
    assert not CONTROL.search("{{ form.cleaned_data.title }}")
    tag = ast.parse(
        "@register.simple_tag\n"
        "def control(field, show_errors=True):\n"
        "    css = CLASSES.get(field.widget_type, 'form-control')\n"
        "    return field.as_widget(attrs={'class': css})\n"
    )
    assert _field_rendering(tag) == {"as_widget", "widget_type"}


def test_the_layout_objects_show_text_as_text():
    # A button's words and a legend are text: escaped, never run as a template.
    text = "{{ 7|add:7 }} <b>R&D</b>"

    class Form(forms.Form):
        name = forms.CharField()

    form = Form()
    form.helper = FormHelper()
    form.helper.layout = Layout(
        Fieldset(text, "name", legend_class="h5", css_class="mb-3"),
        StrictButton(text, type="submit", name="action", value="preview"),
    )
    page = render_crispy_form(form)
    assert '<legend class="h5">{{ 7|add:7 }} &lt;b&gt;R&amp;D&lt;/b&gt;</legend>' in page
    assert (
        '<button class="btn" name="action" type="submit" value="preview">'
        "{{ 7|add:7 }} &lt;b&gt;R&amp;D&lt;/b&gt;</button>"
    ) in page
    assert "14" not in html.unescape(page)


def test_required_asterisks_are_hidden_from_screen_readers_in_every_field_template():
    # crispy writes the asterisk into the label; gds_portal.template_loaders hides it from
    # the accessibility tree so a field is named "Email", not "Email star" (issue 23, item 4).
    class Form(forms.Form):
        email = forms.EmailField()
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
        topics = forms.MultipleChoiceField(
            choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
        )
        note = forms.CharField(required=False)

    form = Form()
    form.helper = FormHelper()
    form.helper.layout = Layout("email", InlineRadios("kind"), InlineCheckboxes("topics"), "note")
    page = render_crispy_form(form)
    assert page.count('<span class="asteriskField" aria-hidden="true">*</span>') == 3
    assert '<span class="asteriskField">' not in page
    assert re.search(r'<input type="email" name="email"[^>]* required', page)
