"""The Program committee's session editor: a session's details, and a talk to add."""

from __future__ import annotations

from crispy_forms.layout import Column, Row
from django import forms
from django.core.exceptions import ValidationError

from community.models import Person
from meetings.admin.meetings import zoned_label
from meetings.forms.base import TokenForm, form_helper, submit_button
from meetings.models import Abstract, Meeting
from meetings.services.sessions import SessionData, session_time_refusal


class SessionForm(forms.Form):
    """Title, code, chair, room and time slot. Times are read and shown in the meeting's
    own zone: the view activates it (timezone.override) around the form and the page."""

    title = forms.CharField(max_length=300)
    code = forms.CharField(
        max_length=10, required=False, help_text="The APS session code, e.g. B12, if known."
    )
    chair = forms.ModelChoiceField(
        queryset=Person.objects.order_by("name"),
        required=False,
        label="Chair (a person on the portal)",
        help_text="Their page lists the session once it is published.",
    )
    chair_name = forms.CharField(
        max_length=200,
        required=False,
        label="… or the chair's name",
        help_text="Name and affiliation, for a chair without a page here.",
    )
    room = forms.CharField(max_length=200, required=False)
    starts_at = forms.DateTimeField(
        required=False,
        label="Starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        required=False,
        label="Ends",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, meeting: Meeting, button: str = "Save the session", **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        for name in ("starts_at", "ends_at"):
            zoned_label(self.fields[name], meeting.time_zone)
        layout = [
            Row(Column("title", css_class="col-md-9"), Column("code", css_class="col-md-3")),
            Row(Column("chair", css_class="col-md-6"), Column("chair_name", css_class="col-md-6")),
            Row(
                Column("room", css_class="col-md-4"),
                Column("starts_at", css_class="col-md-4"),
                Column("ends_at", css_class="col-md-4"),
            ),
            submit_button(button),
        ]
        if "token" in self.fields:  # NewSessionForm: the one-time token (exactly once)
            layout.insert(0, "token")
        self.helper = form_helper(*layout, novalidate=True)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        # The service's own check (it refuses the same), shown under the field to fix.
        for name in ("starts_at", "ends_at"):
            if refusal := session_time_refusal(meeting=self.meeting, at=cleaned.get(name)):
                self.add_error(name, refusal)
        if starts and ends and ends <= starts and not self.has_error("ends_at"):
            self.add_error("ends_at", "The session must end after it starts.")
        if cleaned.get("chair") and cleaned.get("chair_name"):
            raise ValidationError("Name the chair once: choose a person or type a name.")
        return cleaned

    def data_for_service(self) -> SessionData:
        fields = ("title", "code", "chair", "chair_name", "room", "starts_at", "ends_at")
        return SessionData(**{name: self.cleaned_data[name] for name in fields})


class NewSessionForm(TokenForm, SessionForm):
    """A session made by hand (a focus session merging categories, say)."""


class AddTalkForm(forms.Form):
    abstract = forms.ModelChoiceField(
        queryset=Abstract.objects.none(),
        label="Add an accepted abstract",
        help_text="Accepted abstracts in no session yet, by category and reference.",
    )

    def __init__(self, *args, choices: list[Abstract], action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["abstract"]
        field.queryset = Abstract.objects.filter(pk__in=[a.pk for a in choices])
        # The choices are already read (one query for the page): label them from that list.
        field.choices = [("", "Choose an abstract")] + [
            (a.pk, f"{a.reference} · {a.category.code} · {a.title}") for a in choices
        ]
        self.helper = form_helper(
            Row(
                Column("abstract", css_class="col-md-9"),
                Column(submit_button("Add to the session"), css_class="col-md-3 pt-md-4"),
            ),
            novalidate=True,
        )
        self.helper.form_action = action
