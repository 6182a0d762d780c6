"""The abstract form, its author formset, and the committee's CSV import form."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms import formset_factory
from django.http import QueryDict

from gds_portal.once import OneTimeTokenForm
from gds_portal.validators import normalize_orcid, validate_orcid
from meetings.enums import (
    AbstractState,
    CategoryKind,
    Decision,
    PresentationPreference,
    ReviewScore,
)
from meetings.models import Abstract, Meeting, SortingCategory, SpeakerNomination
from meetings.rules import committee_abstracts_q
from meetings.services.abstracts import AbstractData
from meetings.services.authors import AuthorData
from meetings.services.nominations import NominationData

MAX_AUTHORS = 30


def _normalise_newlines(text: str) -> str:
    # Browsers send CRLF; the member typed one character per line break.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Every state-changing form carries a one-time idempotency token (gds_portal.once).
TokenForm = OneTimeTokenForm


class CategoryField(forms.ChoiceField):
    """Offers the open categories; any posted code reaches clean_category for a clear message."""

    # A NUL cannot be sent to PostgreSQL in the lookup; refuse it as CharField does.
    default_validators = [ProhibitNullCharactersValidator()]

    def valid_value(self, value) -> bool:
        return True


class AbstractForm(TokenForm):
    category = CategoryField(label="Sorting category")
    title = forms.CharField(max_length=1000)
    body = forms.CharField(
        label="Abstract",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown; write maths between $…$ (inline) or $$…$$ (display).",
    )
    presentation = forms.ChoiceField(
        label="Presentation preference",
        choices=PresentationPreference.choices,
        widget=forms.RadioSelect,
        initial=PresentationPreference.EITHER,
    )
    student_presenter = forms.BooleanField(
        label="The presenting author is a student", required=False
    )
    funding = forms.CharField(
        label="Funding acknowledgement",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    keywords = forms.CharField(
        required=False, max_length=300, help_text="Separate keywords with commas."
    )

    def __init__(self, *args, meeting: Meeting, categories: list[SortingCategory], **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["title"].help_text = f"At most {meeting.title_max_length} characters."
        self.fields[
            "body"
        ].help_text += f" At most {meeting.body_max_length:,} characters, counted as you type them."
        self.fields["body"].widget.attrs["data-max-length"] = meeting.body_max_length
        self.fields["category"].choices = _grouped_choices(categories)
        self.open_categories = {category.code: category for category in categories}

    def clean_category(self) -> SortingCategory:
        code = self.cleaned_data["category"].strip()
        # The usual case needs no query: the open categories are already loaded.
        if code in self.open_categories:
            return self.open_categories[code]
        matches = list(SortingCategory.objects.filter(code=code).select_related("meeting"))
        here = [c for c in matches if c.meeting_id == self.meeting.pk]
        if not matches:
            raise ValidationError(f"There is no sorting category with the code {code!r}.")
        if not here:
            raise ValidationError(
                f"Category {code} belongs to {matches[0].meeting}, not to {self.meeting}."
            )
        category = here[0]
        if category.kind == CategoryKind.INVITED_SYMPOSIUM:
            raise ValidationError(
                f"{category} is invitation-only; choose a focus session or standard category."
            )
        if not category.accepts_contributed:
            raise ValidationError(f"{category} does not accept contributed abstracts.")
        return category

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        limit = self.meeting.title_max_length
        if len(title) > limit:
            raise ValidationError(
                f"The title has {len(title):,} characters; the limit is {limit:,}."
            )
        return title

    def clean_body(self) -> str:
        body = _normalise_newlines(self.cleaned_data["body"])
        limit = self.meeting.body_max_length
        if len(body) > limit:
            raise ValidationError(
                f"The abstract has {len(body):,} characters; the limit is {limit:,} "
                "(Markdown and maths are counted as typed). Please shorten it by "
                f"{len(body) - limit:,}."
            )
        return body

    def clean_funding(self) -> str:
        return _normalise_newlines(self.cleaned_data["funding"])

    def clean_keywords(self) -> str:
        words = [w.strip() for w in self.cleaned_data["keywords"].split(",")]
        return ", ".join(w for w in words if w)


def _grouped_choices(categories: list[SortingCategory]) -> list:
    groups: dict[str, list] = {}
    for category in categories:
        heading = str(category.parent) if category.parent_id else "Categories"
        groups.setdefault(heading, []).append((category.code, str(category)))
    return [("", "Choose a sorting category…"), *groups.items()]


class AuthorForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(
        required=False, help_text="Optional for co-authors; needed for the presenting author."
    )
    affiliations = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line. Type a shared affiliation the same way for each author.",
    )
    orcid = forms.CharField(
        label="ORCID iD",
        required=False,
        max_length=40,
        help_text="Optional, e.g. 0000-0002-1825-0097",
    )
    is_presenting = forms.BooleanField(label="Presenting author", required=False)

    def clean_affiliations(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["affiliations"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError("Give at least one affiliation.")
        if too_long := [line for line in lines if len(line) > 300]:
            raise ValidationError(
                f"An affiliation is longer than 300 characters: {too_long[0][:40]}…"
            )
        return list(dict.fromkeys(lines))

    def clean_orcid(self) -> str:
        orcid = normalize_orcid(self.cleaned_data["orcid"]) if self.cleaned_data["orcid"] else ""
        if orcid:
            validate_orcid(orcid)
        return orcid

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_presenting") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "The presenting author needs an email address.")
        return cleaned


class BaseAuthorFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove this author"

    def authors(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        authors = self.authors()
        presenting = [a for a in authors if a.get("is_presenting")]
        if not authors:
            raise ValidationError("Name at least one author.")
        if not presenting:
            raise ValidationError(
                "Mark exactly one author as the presenting author (none is marked)."
            )
        if len(presenting) > 1:
            names = ", ".join(a["name"] for a in presenting)
            raise ValidationError(
                "Mark exactly one author as the presenting author "
                f"({len(presenting)} are: {names})."
            )


_AUTHOR_ROW = re.compile(r"^authors-(\d{1,6})-")


def author_rows_data(data: QueryDict) -> QueryDict:
    """`data` with the author management counts rebuilt when they are missing or garbled.

    Browsers always send them; a tampered or truncated POST would otherwise show the
    form again without the author rows it does carry, losing what was typed.
    """
    try:
        total = int(data.get("authors-TOTAL_FORMS", ""))
        initial = int(data.get("authors-INITIAL_FORMS", ""))
    except (TypeError, ValueError):
        total, initial = -1, -1
    indices = [int(match.group(1)) for key in data if (match := _AUTHOR_ROW.match(key))]
    # Never more rows than the form allows plus one, so the "at most" message shows.
    rows = min(max(indices, default=-1) + 1, MAX_AUTHORS + 1)
    # A count below the rows actually posted would silently drop the last ones.
    if 0 <= initial <= total and total >= rows:
        return data
    data = data.copy()
    data["authors-TOTAL_FORMS"] = str(rows)
    data["authors-INITIAL_FORMS"] = "0"
    return data


def author_formset(*, data=None, initial=None, extra: int = 0):
    """The author rows; a page adds a row by posting `add_author` (or with meetings.js)."""
    if data is not None:
        data = author_rows_data(data)
    formset_class = formset_factory(
        AuthorForm,
        formset=BaseAuthorFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_AUTHORS,
        validate_max=True,
    )
    return formset_class(data=data, initial=initial, prefix="authors")


def abstract_data(form: AbstractForm, formset: BaseAuthorFormSet) -> AbstractData:
    cleaned = form.cleaned_data
    return AbstractData(
        category=cleaned["category"],
        title=cleaned["title"],
        body=cleaned["body"],
        presentation=cleaned["presentation"],
        student_presenter=cleaned["student_presenter"],
        funding=cleaned["funding"],
        keywords=cleaned["keywords"],
        authors=[
            AuthorData(
                name=a["name"],
                email=a["email"],
                orcid=a["orcid"],
                is_presenting=a["is_presenting"],
                affiliations=a["affiliations"],
            )
            for a in formset.authors()
        ],
    )


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


# --- The Program committee's side ---------------------------------------------------


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


class DecisionForm(forms.Form):
    """One decision for the ticked abstracts (a single one is a bulk of one)."""

    abstracts = forms.ModelMultipleChoiceField(
        queryset=Abstract.objects.none(), widget=forms.CheckboxSelectMultiple
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.MOVE and not cleaned.get("category"):
            self.add_error("category", "Choose the category to move the abstracts to.")
        return cleaned


class NominationForm(OneTimeTokenForm, forms.ModelForm):
    class Meta:
        model = SpeakerNomination
        fields = [
            "nominee_name",
            "nominee_affiliation",
            "nominee_email",
            "talk_title",
            "rationale",
            "tentatively_agreed",
            "alternate_1_name",
            "alternate_1_affiliation",
            "alternate_1_email",
            "alternate_2_name",
            "alternate_2_affiliation",
            "alternate_2_email",
            "session_chair",
            "nominee_is_woman",
            "nominee_is_urm",
            "nominee_outside_us",
        ]
        labels = {
            "nominee_name": "Nominee's name",
            "nominee_affiliation": "Nominee's affiliation",
            "nominee_email": "Nominee's email",
        }
        widgets = {"rationale": forms.Textarea(attrs={"rows": 6})}

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
