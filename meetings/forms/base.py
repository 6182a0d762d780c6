"""What the meetings forms share: the one-time token, a <button>, a helper, and showing
a bound form again without judging it.

Each form the site shows carries a crispy FormHelper built from gds_portal.form_layout;
its page says `{% crispy form %}`.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.forms.utils import ErrorDict

from gds_portal.form_layout import StrictButton
from gds_portal.once import OneTimeTokenForm

# Every state-changing form carries a one-time idempotency token (gds_portal.once).
TokenForm = OneTimeTokenForm


def submit_button(label: str, css_class: str = "btn-primary", **attrs) -> StrictButton:
    return StrictButton(label, type="submit", css_class=css_class, **attrs)


def form_helper(*layout, **attrs) -> FormHelper:
    """A helper for a form the page shows whole: the <form> tag with `attrs`, then `layout`."""
    helper = FormHelper()
    helper.attrs = attrs
    helper.layout = Layout(*layout)
    return helper


class MayGoUnjudged:
    """`validate=False`: the bound form is shown again as typed, and nothing in it is judged.

    The abstract page without JavaScript adds an author row by posting the half-written
    form (action "add_author"); the row appears and nothing is marked wrong, as nothing
    was sent for saving. crispy's `form_show_errors=False` would only hide the messages:
    the red border and aria-invalid come from the field's errors, so there must be none.
    This stops where Django's own full_clean stops for an unbound form.
    """

    def __init__(self, *args, validate: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.validate = validate

    def full_clean(self):
        if self.validate:
            return super().full_clean()
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = {}
        return None
