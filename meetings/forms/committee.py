"""The Program committee's forms: reviews, decisions, export filters, and the admin's
category import."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Column, Div, Row
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from gds_portal.form_layout import Include
from meetings.enums import AbstractState, Decision, ReviewScore
from meetings.forms.base import form_helper, submit_button
from meetings.models import Abstract, Meeting, SortingCategory
from meetings.rules import committee_abstracts_q


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=ReviewScore.choices, coerce=int, widget=forms.RadioSelect, label="Score"
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text="Seen by the Program committee only; never sent to the authors.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            InlineRadios("score"), "comment", submit_button("Save review"), novalidate=True
        )


class DecisionForm(forms.Form):
    """One decision for the ticked abstracts (a single one is a bulk of one)."""

    abstracts = forms.ModelMultipleChoiceField(
        queryset=Abstract.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Abstracts to decide",
        error_messages={"required": "Tick at least one abstract to apply the decision to."},
    )
    decision = forms.ChoiceField(choices=[("", "Choose a decision"), *Decision.choices])
    category = forms.ModelChoiceField(
        queryset=SortingCategory.objects.none(),
        required=False,
        label="Move to category",
        help_text="Only for “Move to another category”.",
    )

    def __init__(self, *args, meeting: Meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Never a draft, never the user's own (meetings.rules.committee_abstracts_q): the
        # service refuses them too, but a choice that cannot be made is not offered.
        self.fields["abstracts"].queryset = Abstract.objects.filter(
            committee_abstracts_q(user), meeting=meeting
        )
        self.fields["category"].queryset = meeting.categories.filter(
            accepts_contributed=True
        ).order_by("code")
        self.helper = form_helper(
            # The abstracts, a tick box on each row that may be chosen (`abstracts`).
            Include("meetings/committee/_decision_table.html"),
            Row(
                Column("decision", css_class="col-md-4"),
                Column("category", css_class="col-md-5"),
                Div(submit_button("Apply to chosen abstracts"), css_class="col-md-3 pt-md-4"),
                css_class="g-3 align-items-start",
            ),
            novalidate=True,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.MOVE and not cleaned.get("category"):
            self.add_error("category", "Choose the category to move the abstracts to.")
        return cleaned


class ExportFilterForm(forms.Form):
    category = forms.ChoiceField(required=False, label="Category")
    state = forms.ChoiceField(
        required=False,
        label="State",
        choices=[("", "All but drafts")]
        + [c for c in AbstractState.choices if c[0] != AbstractState.DRAFT],
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        codes = meeting.categories.filter(accepts_contributed=True).order_by("code")
        self.fields["category"].choices = [("", "All categories")] + [
            (c.code, f"{c.code} {c.title}") for c in codes
        ]
        self.helper = form_helper(
            Column("category", css_class="col-md-5"),
            Column("state", css_class="col-md-3"),
            Div(
                submit_button("Download CSV", "btn-primary me-1"),
                submit_button(
                    "Download XLSX",
                    "btn-outline-primary",
                    formaction=reverse("meetings:export", args=[meeting.slug, "xlsx"]),
                ),
                css_class="col-md-4 mb-3",
            ),
        )
        self.helper.form_method = "get"
        self.helper.form_action = reverse("meetings:export", args=[meeting.slug, "csv"])
        self.helper.form_class = "row g-3 align-items-end"


class CategoryImportForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.order_by("-starts_on"))
    file = forms.FileField(
        label="CSV file", help_text="Columns: code,title,kind,co-sponsors (UTF-8)."
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise ValidationError("The file is larger than 1 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("The file is not UTF-8 text.") from exc
