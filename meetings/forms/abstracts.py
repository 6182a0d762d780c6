"""The abstract form, its author rows, and the one-button forms that submit or withdraw."""

from __future__ import annotations

import re

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms import formset_factory
from django.http import QueryDict
from django.urls import reverse

from gds_portal.form_errors import mark_concerned
from gds_portal.form_layout import HTML, Fieldset, Include
from gds_portal.validators import normalize_orcid, validate_orcid
from meetings.enums import AbstractState, CategoryKind, PresentationPreference
from meetings.forms.base import MayGoUnjudged, TokenForm, form_helper, submit_button
from meetings.models import Abstract, Meeting, SortingCategory
from meetings.services.abstracts import AbstractData
from meetings.services.authors import AuthorData

MAX_AUTHORS = 30


def _normalise_newlines(text: str) -> str:
    # Browsers send CRLF; the member typed one character per line break.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class CategoryField(forms.ChoiceField):
    """Offers the open categories; any posted code reaches clean_category for a clear message."""

    # A NUL cannot be sent to PostgreSQL in the lookup; refuse it as CharField does.
    default_validators = [ProhibitNullCharactersValidator()]

    def valid_value(self, value) -> bool:
        return True


# The count shown as typed, and what a screen reader hears of it near the limit
# (meetings.js): a live region that said every keystroke would drown the typing.
CHAR_COUNT = (
    '<p class="form-text mt-n2" data-char-count></p>'
    '<p class="visually-hidden" data-char-count-status aria-live="polite"></p>'
)
# A title is shown as typed wherever it appears — pages, the program, mails, exports,
# the admin's lists, a browser tab, a screen reader's link name — and most of those
# cannot show typeset maths, so titles take none anywhere (only the abstract does).
TITLE_IS_PLAIN_TEXT = (
    "Plain text: maths is not typeset in titles ($…$ shows as typed), so write symbols "
    "directly, e.g. \u03b1, \u03b2, \u2264, H\u2082O, x\u00b2."
)
AUTHORS_HELP = (
    '<p class="form-text" id="authors-help">In the order they should appear. '
    "Exactly one author presents the talk or poster.</p>"
)


class AbstractForm(MayGoUnjudged, TokenForm):
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

    def __init__(
        self,
        *args,
        meeting: Meeting,
        categories: list[SortingCategory],
        abstract: Abstract | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields[
            "title"
        ].help_text = f"At most {meeting.title_max_length} characters. {TITLE_IS_PLAIN_TEXT}"
        self.fields[
            "body"
        ].help_text += f" At most {meeting.body_max_length:,} characters, counted as you type them."
        self.fields["body"].widget.attrs["data-max-length"] = meeting.body_max_length
        self.fields["category"].choices = _grouped_choices(categories)
        self.open_categories = {category.code: category for category in categories}
        self.abstract = abstract
        self.helper = self._helper(abstract)

    def switch_saving_off(self) -> None:
        """Show the form with what was typed and every button disabled: the call is not
        open (now, or any more) for this member, and the page says so."""
        self.helper = self._helper(self.abstract, saving=False)

    def _helper(self, abstract: Abstract | None, *, saving: bool = True) -> FormHelper:
        # meetings.js keeps what is typed in this browser under this key until it is saved.
        autosave = f"abstract-{abstract.pk}" if abstract else f"new-{self.meeting.slug}"
        off = {"disabled": not saving}
        if abstract is None or abstract.state == AbstractState.DRAFT:
            buttons = [
                submit_button(
                    "Save draft", "btn-outline-primary", name="action", value="save", **off
                ),
                submit_button("Submit abstract", name="action", value="submit", **off),
            ]
        else:
            buttons = [submit_button("Save changes", name="action", value="save", **off)]
        helper = form_helper(
            "token",
            "category",
            "title",
            "body",
            HTML(CHAR_COUNT),
            Fieldset(
                "Authors",
                HTML(AUTHORS_HELP),
                # The rows, their management form and the empty row meetings.js copies.
                Include("meetings/_authors.html"),
                submit_button(
                    "Add author",
                    "btn-outline-secondary btn-sm",
                    name="action",
                    value="add_author",
                    formnovalidate=True,
                    data_add_author=True,
                    **off,
                ),
                legend_class="h5",
                css_class="mb-3",
                aria_describedby="authors-help",
            ),
            InlineRadios("presentation"),
            "student_presenter",
            "funding",
            "keywords",
            Div(
                submit_button(
                    "Preview", "btn-outline-secondary", name="action", value="preview", **off
                ),
                *buttons,
                css_class="d-flex flex-wrap gap-2 mt-4",
            ),
            novalidate=True,
            data_once=True,
            data_autosave=autosave,
        )
        helper.form_id = helper.form_class = "abstract-form"
        return helper

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


class AuthorForm(MayGoUnjudged, forms.Form):
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
    # Exactly one row's box is ticked (the formset's rule; meetings.js unticks the others):
    # a radio group across rows, described by the rule above them (issue 23, item 4).
    is_presenting = forms.BooleanField(
        label="Presenting author",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "authors-help"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A formset's rows carry no `required` (Django: an extra row may stay empty), so
        # say it to screen readers, as the asterisk no longer does (issue 23, item 4).
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"
        # One row of the abstract form: no <form> tag and no CSRF field of its own.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("name", css_class="col-md-6"),
                Column("email", css_class="col-md-6"),
                Column("affiliations", css_class="col-md-6"),
                Column("orcid", css_class="col-md-6"),
            ),
            Div(
                "is_presenting",
                # meetings.js hides the box behind a "Remove author" button.
                Div("DELETE", data_remove_fallback=True),
                css_class="d-flex flex-wrap gap-4 align-items-start",
            ),
        )

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
    # How the error summary names a row's fields ("Author 2, Name: …"), as the page
    # heads the rows; which field of each row the rows' own rules are about
    # (gds_portal.form_errors), set by clean().
    row_label = "Author"
    non_form_errors_concern: tuple[str, ...] = ()

    def __init__(self, *args, validate: bool = True, **kwargs):
        kwargs["form_kwargs"] = {"validate": validate}
        super().__init__(*args, **kwargs)
        self.validate = validate

    def full_clean(self):
        # As MayGoUnjudged: stop where Django's own full_clean stops for an unbound formset.
        if self.validate:
            super().full_clean()
            mark_concerned(self)  # the fields the rows' own rules are about
            return None
        self._errors = []
        self._non_form_errors = self.error_class(error_class="nonform", renderer=self.renderer)
        return None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Named after the row's heading ("Author 2"); the empty row copied by meetings.js
        # has no number yet, and its box is replaced by a button the script names.
        form.fields["DELETE"].label = (
            "Remove this author" if index is None else f"Remove author {index + 1}"
        )

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
            self.non_form_errors_concern = ("name",)
            raise ValidationError("Name at least one author.")
        self.non_form_errors_concern = ("is_presenting",)
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


def author_formset(*, data=None, initial=None, extra: int = 0, validate: bool = True):
    """The author rows; a page adds a row by posting `add_author` (or with meetings.js).

    `validate=False` shows posted rows as typed, judged on nothing (see MayGoUnjudged).
    """
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
    return formset_class(data=data, initial=initial, prefix="authors", validate=validate)


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


class AbstractSubmitForm(TokenForm):
    """Submit a saved draft: the one-time token and a button."""

    def __init__(self, *args, abstract: Abstract, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("token", submit_button("Submit abstract"), data_once=True)
        self.helper.form_action = reverse("meetings:abstract_submit", args=[abstract.pk])


class AbstractWithdrawForm(TokenForm):
    """Withdraw an abstract: the one-time token and a button (the page links back)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "token", submit_button("Yes, withdraw it", "btn-danger"), data_once=True
        )
