import re

from crispy_forms.helper import FormHelper
from django import forms

from gds_portal.form_errors import add_error_about, mark_concerned
from gds_portal.form_layout import Submit, mark_own_details
from gds_portal.once import OneTimeTokenForm
from ombudsman.models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, OfficeSettings
from ombudsman.services import new_case_code, new_passphrase, normalise_code

MAX_TEXT = 20000
CASE_CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")
PASSPHRASE = re.compile(r"[a-hj-np-z2-9]{4}(-[a-hj-np-z2-9]{4}){5}")


def _helper(button: str, *, once: bool = True) -> FormHelper:
    helper = FormHelper()
    if once:
        helper.attrs = {"data-once": ""}
    helper.add_input(Submit("send", button))
    return helper


class ConcernForm(OneTimeTokenForm):
    """The confidential concern. Its case code and passphrase are made when the form is
    shown and travel with it, so a form sent twice (a double click, a retry) shows the
    reporter the same pair it stored, and the reporter can note them before sending."""

    text = forms.CharField(
        label="Your concern",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Only the ombudsman can read this. Write as much or as little as you like.",
    )
    anonymous = forms.BooleanField(
        label="Stay anonymous: do not store my account or email address with this concern",
        required=False,
    )
    case_code = forms.CharField(widget=forms.HiddenInput)
    passphrase = forms.CharField(widget=forms.HiddenInput)
    # Who the page was shown to ("member", "address" or "anonymous"): a form loaded
    # signed in and sent after the session ended must not quietly become anonymous.
    shown_as = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, named: bool, shown_as: str = "anonymous", **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("case_code", new_case_code())
        initial.setdefault("passphrase", new_passphrase())
        initial.setdefault("shown_as", shown_as)
        super().__init__(*args, **kwargs)
        if not named:
            # A visitor without a verified address can only stay anonymous.
            del self.fields["anonymous"]
        self.helper = _helper("Send to the ombudsman")
        # The page wraps the fields in its own <form> (it may add the address link)
        # and its own CSRF field: crispy would add a second one.
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def full_clean(self):
        super().full_clean()
        if self.is_bound and {"case_code", "passphrase"} & set(self._errors):
            # The hidden pair was altered (or cut short): say so where it can be seen,
            # and show a fresh pair, so the text typed so far can simply be sent again.
            self.data = self.data.copy()
            self.data[self.add_prefix("case_code")] = new_case_code()
            self.data[self.add_prefix("passphrase")] = new_passphrase()
            for name in ("case_code", "passphrase"):
                self._errors.pop(name, None)
            self.add_error(
                None,
                "The case code or passphrase sent with this form was not one this site "
                "made. A new pair is shown above; note it, then send your concern again.",
            )

    def clean_case_code(self) -> str:
        code = normalise_code(self.cleaned_data["case_code"])
        if not CASE_CODE.fullmatch(code):
            raise forms.ValidationError("This form is damaged; please reload the page.")
        return code

    def clean_passphrase(self) -> str:
        passphrase = self.cleaned_data["passphrase"]
        if not PASSPHRASE.fullmatch(passphrase):
            raise forms.ValidationError("This form is damaged; please reload the page.")
        return passphrase

    def shown_pair(self) -> tuple[str, str]:
        """The case code and passphrase this form carries (for the page to show)."""
        return (self["case_code"].value(), self["passphrase"].value())


class AddressForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_own_details(self)
        self.helper = _helper("Send me a link", once=False)


NO_CASE_MATCHES = "No case matches this case code and passphrase."


class CaseCheckForm(forms.Form):
    case_code = forms.CharField(label="Case code", max_length=20)
    passphrase = forms.CharField(
        label="Passphrase",
        max_length=60,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Show my case", once=False)

    def no_case_matches(self) -> None:
        """The pair matched no case (found after validation, by the view): the error is
        about both fields, which are marked and described by it."""
        add_error_about(self, ("case_code", "passphrase"), NO_CASE_MATCHES)
        mark_concerned(self)


class ReplyForm(OneTimeTokenForm):
    text = forms.CharField(
        label="Reply to the reporter",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Stored encrypted. A named reporter is mailed that a reply is waiting "
        "(never the reply itself); an anonymous reporter reads it with the case code.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Send the reply")


class AnswerForm(OneTimeTokenForm):
    """The reporter's answer to the ombudsman, on their case page."""

    text = forms.CharField(
        label="Answer the ombudsman",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Stored encrypted, like your concern. The ombudsman is told that a case "
        "has news (never what you wrote).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Send my answer")


class RetentionForm(forms.ModelForm):
    class Meta:
        model = OfficeSettings
        fields = ["retention_days"]
        labels = {"retention_days": "Keep concerns for (days)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's validators say why (at least 30, at most 3650 days); the browser
        # is told the same bounds.
        self.fields["retention_days"].widget.attrs.update(
            min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS
        )
        self.fields["retention_days"].help_text = (
            f"Between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS} days (ten years). "
            "Concerns are deleted this many days after their last activity."
        )
        self.helper = _helper("Save", once=False)
