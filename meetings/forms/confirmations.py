"""Forms of the speakers' confirmation step: the speaker's answer, the chair's choice
after a decline, and the send buttons of the chair's reminders."""

from __future__ import annotations

from django import forms

from meetings.forms.base import form_helper, submit_button
from meetings.models import Abstract, AbstractAuthor

ANSWERS = [("confirm", "Yes, I will present"), ("decline", "No, I cannot present")]


class SpeakerAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=ANSWERS, widget=forms.RadioSelect, label="Will you give this talk?"
    )

    def __init__(self, *args, action: str = "", poster: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if poster:  # a poster's presenter is not asked about a talk
            self.fields["answer"].label = "Will you present this poster?"
        attrs = {"action": action} if action else {}
        self.helper = form_helper("answer", submit_button("Send my answer"), **attrs)


class ReplaceChoice:
    REPLACE = "replace"
    WITHDRAW = "withdraw"


class PresenterReplaceForm(forms.Form):
    """After a decline: another author of the abstract presents, or it is withdrawn."""

    action = forms.ChoiceField(
        choices=[
            (ReplaceChoice.REPLACE, "Ask another author to present"),
            (ReplaceChoice.WITHDRAW, "Withdraw the abstract from the program"),
        ],
        widget=forms.RadioSelect,
        label="What now?",
    )
    author = forms.ModelChoiceField(
        queryset=AbstractAuthor.objects.none(),
        required=False,
        label="New presenter",
        help_text="They are mailed a link to confirm (an author without an address cannot be "
        "asked by mail).",
    )

    def __init__(self, *args, abstract: Abstract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = abstract.authors.filter(is_presenting=False).order_by(
            "position"
        )
        self.helper = form_helper("action", "author", submit_button("Go ahead"), novalidate=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == ReplaceChoice.REPLACE and not cleaned.get("author"):
            self.add_error("author", "Choose the author who presents instead.")
        return cleaned
