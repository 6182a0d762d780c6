"""The answering form, built from a questionnaire's questions, and the coordinators' forms."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.template.loader import render_to_string
from django.utils.html import escape

from crrg.enums import QuestionKind
from crrg.models import PublishedSummary, Question, Questionnaire, Response
from crrg.selectors.invitations import Segment
from gds_portal.form_layout import Fieldset, StrictButton, Submit
from gds_portal.once import OneTimeTokenForm

YES_NO = [("yes", "Yes"), ("no", "No")]
SCALE = [
    (str(n), label)
    for n, label in [(1, "1 (not at all)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (very much)")]
]


REQUIRED_MESSAGE = "Please answer this question."


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class ConditionNote:
    """The note under a conditional question, naming the choice that shows it.

    A crispy layout object that renders a template *file* with the choice label
    and question text as context data: crispy's HTML() would run the coordinator's
    words as template source (issue 15, break 2).
    """

    template = "crrg/_condition_note.html"

    def __init__(self, *, choice: str, question: str):
        self.choice, self.question = choice, question

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        return render_to_string(self.template, {"choice": self.choice, "question": self.question})


def _form_field(question: Question) -> forms.Field:
    """The form field for one question.

    A conditional question is optional at field level: whether it must be
    answered depends on the other answers, which clean() checks.
    """
    conditional = question.shown_if_id is not None
    help_text = question.help_text
    if conditional and question.required:
        help_text = f"{help_text} Required when shown.".strip()
    common = {
        "label": question.text,
        # crispy renders help text unescaped; coordinators' text is never markup.
        "help_text": escape(help_text),
        "required": question.required and not conditional,
        "error_messages": {"required": REQUIRED_MESSAGE},
    }
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=500, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == QuestionKind.URL:
        return forms.URLField(max_length=500, assume_scheme="https", **common)
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.SCALE:
        return forms.ChoiceField(choices=SCALE, widget=forms.RadioSelect, **common)
    options = [(str(c.pk), c.label) for c in question.choices.all()]
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)


class ResponseForm(forms.Form):
    """A member's answers to a questionnaire.

    clean() works out which questions are visible from the submitted answers,
    ignores whatever was posted for hidden ones and requires the visible
    required ones. The page's script only mirrors this for convenience.
    """

    consent_contact = forms.BooleanField(
        required=False,
        label="Coordinators may contact me by email about the group's activities",
    )
    consent_listed = forms.BooleanField(
        required=False, label="List my name and affiliation on the public CRRG member page"
    )

    def __init__(
        self,
        *args,
        questionnaire: Questionnaire,
        response: Response | None,
        draft: bool = False,
        **kwargs,
    ):
        """`draft`: the member chose "Save and finish later": required questions may
        stay unanswered, but what is answered must still be valid."""
        self.questionnaire = questionnaire
        # A choice question whose choices are not written yet is not asked: nobody could
        # answer it, and a required one would block every submission (outside probe).
        self.questions = [
            q
            for q in questionnaire.questions.all()
            if not q.retired and (not q.has_choices or q.choices.all())
        ]
        self.draft = draft
        super().__init__(*args, initial=_initial(response), **kwargs)
        for question in self.questions:
            self.fields[field_name(question)] = _form_field(question)
            if draft:
                self.fields[field_name(question)].required = False
        if questionnaire.anonymous:
            # Nobody can write to a respondent they cannot name.
            del self.fields["consent_contact"]
        if not questionnaire.grants_membership:
            del self.fields["consent_listed"]
        if not questionnaire.grants_membership and not questionnaire.anonymous:
            # Not the CRRG's wording on another committee's survey: who may write, and about what.
            self.fields[
                "consent_contact"
            ].label = f"The {questionnaire.owner} may contact me by email about this survey"
        submitted = response is not None and response.submitted_at is not None
        self.helper = self._helper(submit="Save my answers" if submitted else "Submit")
        if not submitted:
            # Offered until the answers are submitted: a submitted response is never
            # taken back into a draft (it would drop out of the results).
            self.helper.layout.append(
                StrictButton(
                    "Save and finish later",
                    type="submit",
                    name="action",
                    value="later",
                    css_class="btn btn-outline-secondary ms-2",
                )
            )

    def _helper(self, submit: str) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = True
        helper.attrs = {"data-once": "", "novalidate": ""}
        items = [self._layout_item(q) for q in self.questions]
        consents = [name for name in ("consent_contact", "consent_listed") if name in self.fields]
        helper.layout = Layout(
            *items,
            *([Fieldset("Consent", *consents, css_class="mt-4")] if consents else []),
            StrictButton(
                submit, type="submit", name="action", value="submit", css_class="btn btn-primary"
            ),
        )
        return helper

    def _layout_item(self, question: Question):
        if not question.shown_if_id:
            return Field(field_name(question))
        condition = question.shown_if
        return Div(
            Field(field_name(question)),
            ConditionNote(choice=condition.label, question=condition.question.text),
            css_class="crrg-conditional",
            data_show_if=field_name(condition.question),
            data_show_value=str(condition.pk),
        )

    def visible(self, question: Question, data: dict[str, Any]) -> bool:
        """Whether `question` is asked, given the (cleaned) answers so far."""
        if not question.shown_if_id:
            return True
        controller = question.shown_if.question
        picked = data.get(field_name(controller))
        picked = picked if isinstance(picked, list) else [picked]
        return str(question.shown_if_id) in picked and self.visible(controller, data)

    def clean(self):
        data = super().clean()
        for question in self.questions:
            name = field_name(question)
            if not self.visible(question, data):
                data[name] = None  # posted anyway: ignored
            elif self.draft:
                continue  # finished later: only what is answered is checked now
            elif question.required and data.get(name) in (None, "", []) and name not in self.errors:
                self.add_error(name, REQUIRED_MESSAGE)
        return data

    def answers(self) -> dict[Question, Any]:
        """Cleaned values by question, in the types the service stores."""
        values = {}
        choices = {str(c.pk): c for q in self.questions for c in q.choices.all()}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            values[question] = _typed(question.kind, value, choices)
        return values


def _typed(kind: str, value, choices: dict):
    if value in (None, "", []):
        return None
    if kind == QuestionKind.YES_NO:
        return value == "yes"
    if kind == QuestionKind.SCALE:
        return int(value)
    if kind == QuestionKind.SINGLE_CHOICE:
        return [choices[value]]
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return [choices[v] for v in value]
    return value


def _initial(response: Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    initial: dict[str, Any] = {
        "consent_contact": response.consent_contact,
        "consent_listed": response.consent_listed,
    }
    for answer in response.answers.all():
        kind = answer.question.kind
        name = field_name(answer.question)
        if kind == QuestionKind.SINGLE_CHOICE:
            picked = [str(c.pk) for c in answer.choices.all()]
            initial[name] = picked[0] if picked else None
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            initial[name] = [str(c.pk) for c in answer.choices.all()]
        elif kind == QuestionKind.YES_NO:
            initial[name] = {True: "yes", False: "no"}.get(answer.boolean)
        elif kind == QuestionKind.SCALE:
            initial[name] = str(answer.number) if answer.number else None
        else:
            initial[name] = answer.text
    return initial


class GroupMessageForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text. Each member's copy ends with their own link to leave the group.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": ""}
        self.helper.add_input(Submit("send", "Send to consenting members"))


class InvitationForm(OneTimeTokenForm):
    """Whom to invite and an optional note. Shown to choose and preview; with `confirm`,
    the previewed choices ride along hidden under the button that sends them."""

    segment = forms.ChoiceField(label="Invite", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Personal note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, placed in the mail as you type it.",
    )

    def __init__(self, *args, segments: list[Segment], confirm: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.segments = {s.key: s for s in segments}
        self.fields["segment"].choices = [(s.key, s.label) for s in segments]
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": ""}
        if confirm:
            for name in ("segment", "note"):
                self.fields[name].widget = forms.HiddenInput()
            button = StrictButton(
                confirm, type="submit", name="action", value="send", css_class="btn btn-primary"
            )
        else:
            button = StrictButton(
                "Preview the invitation",
                type="submit",
                name="action",
                value="preview",
                css_class="btn btn-primary",
            )
        self.helper.layout = Layout("token", "segment", "note", button)

    def chosen_segment(self) -> Segment:
        return self.segments[self.cleaned_data["segment"]]


class ReminderForm(OneTimeTokenForm):
    """The reminder button (preview first, then send): only its one-time token."""

    def __init__(self, *args, action: str = "preview", label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": ""}
        label = label or "Remind those who have not submitted"
        style = "btn btn-primary" if action == "send" else "btn btn-outline-primary"
        button = StrictButton(label, type="submit", name="action", value=action, css_class=style)
        self.helper.layout = Layout("token", button)


class CrossTabForm(forms.Form):
    """Which two questions to count against each other (a GET form: the table's address
    can be kept and shared among those who run the survey)."""

    rows = forms.TypedChoiceField(label="Rows: answers to", coerce=int)
    columns = forms.TypedChoiceField(label="Columns: answers to", coerce=int)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {q.pk: q for q in questions}
        choices = [(q.pk, q.text) for q in questions]
        self.fields["rows"].choices = choices
        self.fields["columns"].choices = choices
        if len(questions) >= 2:
            self.fields["rows"].initial, self.fields["columns"].initial = (
                questions[0].pk,
                questions[1].pk,
            )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "rows",
            "columns",
            StrictButton("Count", type="submit", css_class="btn btn-primary"),
        )

    def clean(self):
        data = super().clean()
        if data.get("rows") is not None and data.get("rows") == data.get("columns"):
            self.add_error("columns", "Choose a different question for the columns.")
        return data

    def row_question(self) -> Question:
        return self.questions[self.cleaned_data["rows"]]

    def column_question(self) -> Question:
        return self.questions[self.cleaned_data["columns"]]


class _LinesField(forms.CharField):
    """Text whose line breaks count one character each, as the browser counts them
    against `maxlength` (outside probe: a note the box accepted was refused as one
    character too long, its line breaks counted twice)."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class ReleaseForm(forms.ModelForm):
    """The committee's note above a summary it releases to members."""

    note = _LinesField(
        label="Note from the committee",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain text shown above the results; line breaks are kept.",
    )

    class Meta:
        model = PublishedSummary
        fields = ["note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
