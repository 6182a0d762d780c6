from django import forms

from newsletters.services import subscriber_subscribe


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"invalid": "Enter a complete email address, such as ada@example.org."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user and not self.is_bound:
            self.initial.setdefault("email", self.user.email)

    def save(self):
        return subscriber_subscribe(email=self.cleaned_data["email"], user=self.user)
