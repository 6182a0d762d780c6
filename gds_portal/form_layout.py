"""crispy-forms layout objects that never run text as a template.

crispy renders some of its layout strings as *Django template source* with the
page's context: HTML(), a Fieldset's legend and a button's value (Submit, Button,
Reset, Hidden; StrictButton's content). Text a member or committee wrote that
reached one of them ran as code: `{{ request.META.HTTP_COOKIE }}` in a CRRG choice
label showed every viewer their session cookie, and `{{7*7}}` made the page a 500
(issue 15, break 2). The portal's forms import these instead of crispy's;
tests/security/test_text_never_code.py refuses crispy's own and any other way of
turning a string into a template.
"""

from crispy_forms import layout
from crispy_forms.utils import TEMPLATE_PACK
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["HTML", "Button", "Fieldset", "Hidden", "Reset", "Submit"]


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


class Fieldset(layout.Fieldset):
    """A fieldset whose legend is text: escaped, never a template."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        # crispy's fieldset template prints the legend with |safe.
        legend = conditional_escape(self.legend) if self.legend else SafeString("")
        context.update({"fieldset": self, "legend": legend, "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


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
