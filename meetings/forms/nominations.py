"""The invited-speaker nomination form."""

from __future__ import annotations

from django import forms

from gds_portal.form_layout import HTML, Fieldset
from meetings.forms.base import TokenForm, form_helper, submit_button
from meetings.models import Meeting, SpeakerNomination
from meetings.services.nominations import NOMINATOR_FIELDS, NominationData

NOMINEE_FIELDS = [
    "nominee_name",
    "nominee_affiliation",
    "nominee_email",
    "talk_title",
    "rationale",
    "tentatively_agreed",
]
ALTERNATE_FIELDS = [
    f"alternate_{n}_{part}" for n in (1, 2) for part in ("name", "affiliation", "email")
]
FLAG_FIELDS = ["nominee_is_woman", "nominee_is_urm", "nominee_outside_us"]
FLAGS_EXPLAINED = (
    '<p class="form-text">Optional. Only the Program committee sees these answers; '
    "elsewhere they appear only in totals, and small totals are never shown.</p>"
)


class NominationForm(TokenForm, forms.ModelForm):
    class Meta:
        model = SpeakerNomination
        fields = [*NOMINEE_FIELDS, *ALTERNATE_FIELDS, "session_chair", *FLAG_FIELDS]
        labels = {
            "nominee_name": "Nominee's name",
            "nominee_affiliation": "Nominee's affiliation",
            "nominee_email": "Nominee's email",
        }
        widgets = {"rationale": forms.Textarea(attrs={"rows": 6})}

    submit_label = "Send nomination"

    def __init__(self, *args, meeting: Meeting, locked: bool = False, **kwargs):
        """`locked`: shown again after a refusal, with what was typed and saving off."""
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "token",
            Fieldset("The nominee", *NOMINEE_FIELDS, legend_class="h5", css_class="mb-3"),
            Fieldset(
                "Up to two alternates (optional)",
                *ALTERNATE_FIELDS,
                legend_class="h5",
                css_class="mb-3",
            ),
            "session_chair",
            *self._flags(),
            # The page says why when the nominations are closed.
            submit_button(self.submit_label, disabled=locked or not meeting.nominations_open),
            novalidate=True,
            data_once=True,
        )

    def _flags(self) -> list:
        return [
            Fieldset(
                "Voluntary: about the nominee",
                HTML(FLAGS_EXPLAINED),
                *FLAG_FIELDS,
                legend_class="h5",
                css_class="mb-3",
            )
        ]

    def clean(self):
        cleaned = super().clean()
        for n in (1, 2):
            name = cleaned.get(f"alternate_{n}_name")
            others = [
                cleaned.get(f"alternate_{n}_affiliation"),
                cleaned.get(f"alternate_{n}_email"),
            ]
            if any(others) and not name:
                self.add_error(f"alternate_{n}_name", "Give the alternate's name too.")
        return cleaned

    def data_object(self) -> NominationData:
        return NominationData(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class NominationEditForm(NominationForm):
    """The nominator's edit of a sent nomination: what they wrote, less the voluntary
    flags. Those are the Program committee's to read and are never shown back (not
    even to the nominator, whose pages never show them); they stay as sent."""

    submit_label = "Save changes"

    class Meta(NominationForm.Meta):
        fields = NOMINATOR_FIELDS

    def _flags(self) -> list:
        return []

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in NOMINATOR_FIELDS}


class NominationWithdrawForm(TokenForm):
    """Withdraw a nomination: the one-time token and a button (the page links back)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "token", submit_button("Yes, withdraw it", "btn-danger"), data_once=True
        )
