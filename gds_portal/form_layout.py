"""crispy-forms layout objects that never run text as a template.

crispy renders some of its layout strings as *Django template source* with the
page's context: HTML(), a Fieldset's legend and a button's value (Submit, Button,
Reset, Hidden; StrictButton's content). Text a member or committee wrote that
reached one of them ran as code: `{{ request.META.HTTP_COOKIE }}` in a CRRG choice
label showed every viewer their session cookie, and `{{7*7}}` made the page a 500
(issue 15, break 2). The portal's forms import these instead of crispy's;
tests/security/test_text_never_code.py refuses crispy's own and any other way of
turning a string into a template.

They are also the project's one way to lay out a form (tests/gds_portal/
test_form_rendering.py): a form gets a FormHelper whose layout uses crispy's field
objects (Row, Column, Div, InlineRadios …) and these, and its page says
`{% crispy form %}`. templates/bootstrap5/errors.html makes crispy's form-level errors
an alert screen readers announce; static/css/site.css shows InlineRadios' errors.
"""

from crispy_forms import bootstrap, layout
from crispy_forms.utils import TEMPLATE_PACK
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

__all__ = ["HTML", "Button", "Fieldset", "Hidden", "Include", "Reset", "StrictButton", "Submit"]


class _PlainValue:
    """A button whose value is shown as text (escaped by the input template)."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        context.update({"input": self})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


class Submit(_PlainValue, layout.Submit):
    pass


class Button(_PlainValue, layout.Button):
    pass


class Reset(_PlainValue, layout.Reset):
    pass


class Hidden(_PlainValue, layout.Hidden):
    pass


class StrictButton(bootstrap.StrictButton):
    """A <button> whose content is text (escaped), never a template.

    A <button>, not crispy's <input type="submit">, where the value posted differs
    from the words shown (name="action" value="preview" reads "Preview"), and because
    site.js disables a data-once form's buttons after its first submit.
    """

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        # flat_attrs is crispy's flatatt(): escaped attribute values, already safe.
        return format_html("<button{}>{}</button>", self.flat_attrs, self.content)


class Fieldset(layout.Fieldset):
    """A fieldset whose legend is text: escaped, never a template.

    `legend_class` styles the legend (crispy's template gives it no class).
    """

    template = "gds_portal/form_layout/fieldset.html"

    def __init__(self, legend, *fields, legend_class: str = "", **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.legend_class = legend_class

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        legend = conditional_escape(self.legend) if self.legend else SafeString("")
        context.update({"fieldset": self, "legend": legend, "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


class Include:
    """A template file of our own rendered in place, with the page's context and the form.

    For what crispy has no object for: the author rows of the abstract form (a formset
    the page passes as `formset`), the decision table with its tick boxes. The name is
    a literal of the source (the source check above holds this), never text.
    """

    def __init__(self, template_name: str):
        self.template_name = template_name

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.template_name, {**context.flatten(), "form": form})


class HTML:
    """Fixed markup written in the source, output as it is (never run as a template).

    Only module constants may be passed (the source check above holds this): markup
    built from anybody's text would be HTML injection instead of template injection.
    Text belongs in a template file, passed as context data (see crrg.forms.ConditionNote).
    """

    def __init__(self, markup: str):
        self.markup = markup

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return mark_safe(self.markup)  # noqa: S308 -- a constant of our own source, checked by test


# WCAG 1.3.5 (identify input purpose): a field asking for the person's own details says
# which detail it is (the HTML autocomplete token), so browsers fill it in and assistive
# tools can show it with a familiar icon. Keyed by the portal's field names.
OWN_DETAILS = {
    "full_name": "name",
    "affiliation": "organization",
    "country": "country",
    "email": "email",
}


def mark_own_details(form, **purposes: str) -> None:
    """Give the fields of `form` that ask for the person's own details their autocomplete
    token: those named in OWN_DETAILS, and `purposes` (field name → token) for others."""
    for name, token in {**OWN_DETAILS, **purposes}.items():
        if name in form.fields:
            form.fields[name].widget.attrs.setdefault("autocomplete", token)
