from django import forms

from newsletters.enums import SubscriptionKind
from newsletters.services import subscriber_subscribe


def kind_field(*, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=required,
        label="What to receive when an issue is published",
        choices=SubscriptionKind.choices,
        initial=SubscriptionKind.ANNOUNCEMENT,
        widget=forms.RadioSelect,
        help_text="The whole issue shows formulas as TeX source ($x^2$); "
        "the website shows them typeset.",
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"invalid": "Enter a complete email address, such as ada@example.org."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Not required: a form without it (the My GDS button) asks for the announcement.
    kind = kind_field(required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user and not self.is_bound:
            self.initial.setdefault("email", self.user.email)

    def save(self):
        return subscriber_subscribe(
            email=self.cleaned_data["email"],
            user=self.user,
            kind=SubscriptionKind(self.cleaned_data["kind"] or SubscriptionKind.ANNOUNCEMENT),
        )


class SubscriptionKindForm(forms.Form):
    """The subscription's own page: choose what to receive."""

    kind = kind_field()
