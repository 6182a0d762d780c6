"""The chair's forms for who reviews what: each category's reviewers with the reviews
per abstract, and reassigning one abstract."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from django import forms

from gds_portal.form_layout import Fieldset
from meetings.forms.base import form_helper, submit_button
from meetings.models import Meeting, SortingCategory


def _name(user) -> str:
    return user.full_name or user.email


class ReviewerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _name(obj)


class OneReviewer(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _name(obj)


class CategoryReviewersForm(forms.Form):
    """How many reviews each abstract gets, and who reviews each contributed category
    (one field per category, `category_<pk>`)."""

    reviews_per_abstract = forms.IntegerField(
        min_value=1,
        max_value=5,
        label="Reviews per abstract",
        help_text="How many reviewers each abstract is assigned (usually 2 or 3).",
    )

    def __init__(self, *args, meeting: Meeting, members, current: dict[int, list[int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reviews_per_abstract", meeting.reviews_per_abstract)
        self.categories: list[SortingCategory] = list(
            meeting.categories.filter(accepts_contributed=True).order_by("code")
        )
        for category in self.categories:
            name = f"category_{category.pk}"
            self.fields[name] = ReviewerChoice(
                queryset=members,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"{category.code} {category.title}",
            )
            self.initial.setdefault(name, current.get(category.pk, []))
        self.helper = form_helper(
            "reviews_per_abstract",
            Fieldset(
                "Reviewers of each category",
                *[InlineCheckboxes(f"category_{c.pk}") for c in self.categories],
            ),
            submit_button("Save reviewers"),
            novalidate=True,
        )

    def reviewers(self) -> dict[SortingCategory, list]:
        return {c: list(self.cleaned_data[f"category_{c.pk}"]) for c in self.categories}


class ReassignForm(forms.Form):
    """Give one abstract to another reviewer, instead of one of its open reviewers or
    in addition."""

    remove = OneReviewer(
        queryset=None,
        required=False,
        label="Instead of",
        empty_label="Nobody: add a reviewer",
        help_text="Only reviewers who have not reviewed it yet can be replaced.",
    )
    add = OneReviewer(queryset=None, label="Assign to")

    def __init__(self, *args, open_reviewers, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = open_reviewers
        self.fields["add"].queryset = members
        self.helper = form_helper("remove", "add", submit_button("Reassign"), novalidate=True)
