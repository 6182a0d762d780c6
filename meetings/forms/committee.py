"""The Program committee's forms: reviews, decisions, export filters, and the admin's
category import."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Column, Div, Row
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from gds_portal.form_layout import Include
from meetings.enums import AbstractState, Decision, ReviewConfidence, ReviewScore
from meetings.forms.base import form_helper, submit_button
from meetings.models import Abstract, Meeting, RubricCriterion, SortingCategory
from meetings.rules import committee_abstracts_q


def criterion_field(criterion: RubricCriterion) -> str:
    return f"criterion_{criterion.pk}"


class ReviewForm(forms.Form):
    """A review: one 1-5 score, or, where the meeting has a rubric, a 1-5 for each of its
    criteria; then the reviewer's confidence and a comment. `cleaned_data` fits
    meetings.services.reviews.review_save (score or criteria)."""

    score = forms.TypedChoiceField(
        choices=ReviewScore.choices, coerce=int, widget=forms.RadioSelect, label="Score"
    )
    confidence = forms.TypedChoiceField(
        choices=ReviewConfidence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Your confidence",
        initial=ReviewConfidence.MEDIUM,
        # Shown ticked at "medium"; a form posted without it (an older page) counts so.
        required=False,
        empty_value=ReviewConfidence.MEDIUM,
        help_text="How well you know the field: it weighs your review in the abstract's score.",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text="Seen by the Program committee only; never sent to the authors.",
    )

    def __init__(self, *args, rubric: Sequence[RubricCriterion] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = list(rubric)
        scores: list[object] = [InlineRadios("score")]
        if self.rubric:
            del self.fields["score"]
            scores = []
            for criterion in self.rubric:
                # Committee-written text: crispy marks labels and help safe, so escape here.
                self.fields[criterion_field(criterion)] = forms.TypedChoiceField(
                    choices=ReviewScore.choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    label=escape(f"{criterion.name} (weight {criterion.weight})"),
                    help_text=escape(criterion.description),
                )
                scores.append(InlineRadios(criterion_field(criterion)))
        self.helper = form_helper(
            *scores,
            InlineRadios("confidence"),
            "comment",
            submit_button("Save review"),
            novalidate=True,
        )

    def review_data(self) -> dict[str, object]:
        """The cleaned data as review_save takes it."""
        data = {k: self.cleaned_data[k] for k in ("confidence", "comment")}
        if self.rubric:
            data["criteria"] = {c.pk: self.cleaned_data[criterion_field(c)] for c in self.rubric}
        else:
            data["score"] = self.cleaned_data["score"]
        return data

    @staticmethod
    def initial_from(review) -> dict[str, object]:
        """A saved review as the form's initial values."""
        if review is None:
            return {}
        initial: dict[str, object] = {
            "score": review.score,
            "confidence": review.confidence,
            "comment": review.comment,
        }
        for scored in review.criterion_scores.all():
            initial[f"criterion_{scored.criterion_id}"] = scored.score
        return initial


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
