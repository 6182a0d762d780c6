from datetime import UTC, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html

from accounts.identity import refuse_unusual, typed_address
from gds_portal.form_layout import HTML, Fieldset, Submit
from gds_portal.once import OneTimeTokenForm
from gds_portal.uploads import clean_image, clean_pdf
from gds_portal.validators import normalize_orcid
from webinars.attendance import MAX_BYTES
from webinars.enums import ReleaseState, WebinarKind
from webinars.models import (
    DEFAULT_RELEASE_TEXT,
    DURATION_TOO_LONG,
    MAX_DURATION,
    HostVolunteer,
    SpeakerNomination,
    Topic,
    TopicSuggestion,
    Webinar,
)
from webinars.selectors import ArchiveFilters, speaker_match
from webinars.speakers import signature_matches

# Filled by static/js/webinars.js; empty without the script, and the box still works.
SPEAKER_SUGGESTIONS = '<datalist id="speaker-suggestions"></datalist>'

WEB_ADDRESS = "Enter a web address starting with https://."


def _web_address_messages(form, *names: str) -> None:
    # Django's generic "Enter a valid URL." does not say what is wrong with javascript: etc.
    for name in names:
        form.fields[name].error_messages["invalid"] = WEB_ADDRESS


FLAGS_EXPLAINED = (
    "<p class='small text-body-secondary' id='flags-help'>GDS especially encourages "
    "nominations of women, members of under-represented minority groups and scientists "
    "based outside the United States. Answering is entirely voluntary; leave a box "
    "unticked if you do not know or prefer not to say. Only the Webinar committee sees "
    "these answers, and it uses them only for yearly totals of how broad the speaker "
    "slate is (counts under five are never shown). They never appear on public pages, "
    "in feeds, search or mail.</p>"
)


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes carry no <label>; name them for screen readers."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Start date (UTC)"
        self.widgets[1].attrs["aria-label"] = "Start time (UTC)"


class WebinarAdminForm(forms.ModelForm):
    """The committee's webinar form: duration in minutes, slides checked as real PDFs."""

    duration = forms.IntegerField(
        label="Duration (minutes)",
        help_text="The webinar ends this many minutes after it starts.",
        error_messages={"required": "Give the duration in minutes."},
    )

    class Meta:
        model = Webinar
        fields = [
            "title",
            "slug",
            "kind",
            "start_at",
            "duration",
            "description",
            "host",
            "topics",
            "registration_url",
            "join_url",
            "capacity",
            "replay_url",
            "release_text",
            "run_sheet_notes",
            "slides",
            "slides_url",
            "replay_views",
            "is_cancelled",
            "is_published",
        ]
        widgets = {"start_at": LabelledSplitDateTime, "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _web_address_messages(self, "registration_url", "replay_url", "slides_url")
        self.fields["release_text"].required = False
        # Once a speaker signed, the text is what they agreed to: changing it would
        # make their signature cover words they never read (issue 17 item 4).
        if self.instance.pk and self.instance.invitations.filter(release=ReleaseState.SIGNED):
            self.fields["release_text"].disabled = True
            self.fields["release_text"].help_text = (
                "Fixed: a speaker has signed this text, so it can no longer be changed. "
                "To ask for a different release, the speakers first withdraw their "
                "agreement from their invitation page; then change the text and ask "
                "them to sign again."
            )
        if isinstance(self.initial.get("duration"), timedelta):
            self.initial["duration"] = int(self.initial["duration"].total_seconds() // 60)

    def clean_duration(self) -> timedelta:
        minutes = self.cleaned_data["duration"]
        if minutes <= 0:
            raise forms.ValidationError(
                "The webinar must end after it starts: give a duration of at least one minute.",
                code="not_positive",
            )
        if timedelta(minutes=minutes) > MAX_DURATION:
            raise forms.ValidationError(DURATION_TOO_LONG, code="too_long")
        return timedelta(minutes=minutes)

    def clean_release_text(self) -> str:
        # Left empty (or not sent at all): the standard text, never an empty release.
        return self.cleaned_data.get("release_text", "").strip() or DEFAULT_RELEASE_TEXT

    def clean_slides(self):
        slides = self.cleaned_data.get("slides")
        # Only a fresh upload needs checking; an existing file was checked when it came in.
        if slides and hasattr(slides, "content_type"):
            return clean_pdf(slides)
        return slides


class ArchiveFilterForm(forms.Form):
    """The archive's filters; unknown values are ignored rather than failing the page.

    The speaker is typed, not picked from a list of every speaker: the page then
    costs the same however many people have spoken. A speaker's slug (the links
    on webinar cards and older links) selects exactly that person. The topic and
    year menus list what the series has (`selectors.filter_options`, a cached
    fragment): a few dozen options, which Django's widgets render like any other.
    """

    topic = forms.ChoiceField(
        required=False, widget=forms.Select(attrs={"class": "form-select-sm"})
    )
    # Any year may be asked for (one with no webinar lists none); the bounds keep
    # the date arithmetic of the year lookup valid. The menu offers the series' years.
    year = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=9998,
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Any kind"), *WebinarKind.choices],
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    speaker = forms.CharField(
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control-sm",
                "autocomplete": "off",
                "placeholder": "Part of a name",
                # The hint spans the whole filter row below the boxes (webinars/list.html),
                # so the menus and the box stay aligned.
                "aria-describedby": "speaker-help",
                # static/js/webinars.js fills the list below from the suggestions endpoint.
                "data-suggestions": reverse_lazy("webinars:speaker_suggestions"),
                "data-suggestion-list": "speaker-suggestions",
            }
        ),
    )

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic"), *options["topics"]]
        self.fields["year"].widget.choices = [
            ("", "Any year"),
            *((year, str(year)) for year in options["years"]),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's <form> also holds the Filter button
        # A GET form: no CSRF token, which would also keep the page out of the page cache.
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.label_class = "small"
        menu, box = "col-sm-6 col-lg-2", "col-sm-6 col-lg-3"
        self.helper.layout = Layout(
            Div("topic", css_class=menu),
            Div("year", css_class=menu),
            Div("kind", css_class=menu),
            Div("speaker", HTML(SPEAKER_SUGGESTIONS), css_class=box),
        )

    def show_speaker(self, name: str) -> None:
        """Show a speaker chosen by slug (a link's ?speaker=ada) by their name in the box."""
        self.data = self.data.copy()
        self.data["speaker"] = name

    def filters(self) -> ArchiveFilters:
        self.is_valid()  # an invalid field is simply left out of cleaned_data
        data = self.cleaned_data
        speaker = data.get("speaker") or ""
        return ArchiveFilters(
            topic=data.get("topic") or "",
            year=data.get("year"),
            kind=data.get("kind") or "",
            speaker=speaker_match(speaker) if speaker else None,
        )


def _helper(submit_label: str) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"data-once": ""}
    helper.add_input(Submit("submit", submit_label))
    return helper


class TopicSuggestionForm(OneTimeTokenForm, forms.ModelForm):
    class Meta:
        model = TopicSuggestion
        fields = ["title", "description", "why_now", "suggested_speakers"]
        labels = {"title": "Topic", "why_now": "Why now?"}
        help_texts = {
            "description": "What should the webinar cover, and for whom?",
            "why_now": "What makes this timely for the community?",
            "suggested_speakers": "Names and affiliations, one per line (optional).",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "why_now": forms.Textarea(attrs={"rows": 3}),
            "suggested_speakers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Send suggestion")


class SpeakerNominationForm(OneTimeTokenForm, forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SpeakerNomination
        fields = [
            "nominee_name",
            "affiliation",
            "country",
            "email",
            "website",
            "orcid",
            "proposed_title",
            "topics",
            "rationale",
            "is_self_nomination",
            "nominee_may_be_contacted",
            "nominee_is_woman",
            "nominee_is_urm",
            "nominee_outside_us",
        ]
        labels = {
            "nominee_name": "Nominee's name",
            "email": "Nominee's email",
            "website": "Nominee's website",
            "proposed_title": "Proposed talk title",
            "rationale": "Why this speaker?",
            "is_self_nomination": "I am nominating myself",
            "nominee_may_be_contacted": "The nominee agreed that the committee may write "
            "to them about this nomination",
        }
        help_texts = {
            "nominee_may_be_contacted": "Then the nominee, too, is told when the nomination "
            "is accepted, scheduled or not taken forward. Leave it unticked if you have not "
            "asked them (not needed when nominating yourself).",
            "email": "Used only by the committee to invite the speaker.",
            "rationale": "Required: what the talk would bring to the GDS community.",
            "website": "A website or an ORCID iD is needed so the committee can see their work.",
        }
        widgets = {"rationale": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "rationale": {"required": "Tell the committee why this speaker should be invited."},
            "nominee_name": {"required": "Give the nominee's name."},
            "proposed_title": {"required": "Give a working title for the talk."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Send nomination")
        _web_address_messages(self, "website")
        self.helper.layout = Layout(
            "token",
            Fieldset("The nominee", *SpeakerNomination.NOMINEE_FIELDS),
            Fieldset("The talk", "proposed_title", "topics", "rationale"),
            Fieldset(
                "Broadening participation (voluntary)",
                HTML(FLAGS_EXPLAINED),
                "nominee_is_woman",
                "nominee_is_urm",
                "nominee_outside_us",
            ),
        )

    def clean_orcid(self) -> str:
        return normalize_orcid(self.cleaned_data["orcid"]) if self.cleaned_data["orcid"] else ""

    def clean(self):
        data = super().clean()
        if not data.get("website") and not data.get("orcid") and "website" not in self.errors:
            self.add_error("website", "Give the nominee's website or their ORCID iD.")
        wants_contact = data.get("nominee_may_be_contacted")
        if wants_contact and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Give the nominee's email, so the committee can write.")
        return data


class HostVolunteerForm(OneTimeTokenForm, forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics I could host",
    )

    class Meta:
        model = HostVolunteer
        fields = ["topics", "other_topics", "availability"]
        labels = {"other_topics": "Other topics I could host"}
        help_texts = {
            "availability": "e.g. weekday afternoons US Eastern time, from October",
        }
        widgets = {
            "other_topics": forms.Textarea(attrs={"rows": 2}),
            "availability": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"availability": {"required": "Tell us when you could host."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Volunteer to host")

    def clean(self):
        data = super().clean()
        if not data.get("topics") and not data.get("other_topics"):
            self.add_error("other_topics", "Pick a topic above or describe one here.")
        return data


class TypedEmailField(forms.EmailField):
    """An email field that reads full-width forms as the ASCII ones (NFKC) before checking."""

    def to_python(self, value):
        return typed_address(super().to_python(value))


class GuestRegistrationForm(forms.Form):
    """A guest's name and address; the view then mails a confirmation link."""

    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name, as you would like to be addressed."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = TypedEmailField(
        label="Email address",
        max_length=254,
        help_text="We send the confirmation link, the join link and reminders here.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter a complete email address, such as ada@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name, as you would like to be addressed.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        # The same refusal as at sign-up: a look-alike or mixed-script spelling could later
        # be read as somebody else's registration.
        refuse_unusual(email)
        return email


class FeedbackForm(forms.Form):
    """An attendee's rating (a fieldset of five radio buttons) and optional comment."""

    rating = forms.TypedChoiceField(
        label="How would you rate this webinar?",
        choices=[
            (5, "5 — excellent"),
            (4, "4 — good"),
            (3, "3 — fair"),
            (2, "2 — poor"),
            (1, "1 — very poor"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5."},
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What worked, what could be better. The Webinar committee reads every "
        "comment and may share it with the speakers, without your name.",
    )


class AnnouncementsForm(forms.Form):
    subscribed = forms.BooleanField(
        label="Email me when a new webinar is scheduled",
        required=False,
        help_text="One email per webinar, the day it is announced. Every email has a link "
        "to stop them.",
    )


def _started_webinars():
    """Attendance is recorded only for webinars that have started."""
    return Webinar.objects.filter(start_at__lte=timezone.now()).order_by("-start_at")


class AttendanceUploadForm(forms.Form):
    """The committee's first step of an attendance import: which webinar, which file."""

    webinar = forms.ModelChoiceField(
        queryset=Webinar.objects.none(),
        help_text="Webinars that have started, newest first.",
    )
    file = forms.FileField(
        label="Report (CSV)",
        help_text="The video platform's attendee or registration report, as exported (UTF-8 CSV, "
        "at most 5 MB).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["webinar"].queryset = _started_webinars()

    def clean_file(self) -> str:
        return _report_text(self.cleaned_data["file"])


def _report_text(upload) -> str:
    """An uploaded report's text: at most MAX_BYTES of UTF-8."""
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it and import "
            "each part.",
            code="too_large",
        )
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError(
            "The file is not UTF-8 text: export it again as CSV (UTF-8).", code="encoding"
        ) from error


class AttendanceConfirmForm(forms.Form):
    """The second step: the previewed file's text again, to be imported."""

    webinar = forms.ModelChoiceField(queryset=Webinar.objects.none(), widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["webinar"].queryset = _started_webinars()

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text.encode()) > MAX_BYTES:
            raise forms.ValidationError("The file is too large.", code="too_large")
        return text


class ReplayViewsUploadForm(forms.Form):
    file = forms.FileField(
        label="Statistics export (CSV)",
        help_text="The video host's export of views per video (UTF-8 CSV, at most 5 MB).",
    )

    def clean_file(self) -> str:
        return _report_text(self.cleaned_data["file"])


class ReplayViewsConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=MAX_BYTES)


class SpeakerAnswerForm(forms.Form):
    """The invited speaker accepts, with their talk's details and a date, or declines."""

    decision = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "I accept the invitation"), ("decline", "I decline")],
        widget=forms.RadioSelect,
    )
    talk_title = forms.CharField(label="Talk title", required=False, max_length=250)
    abstract = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown; maths with $…$ allowed. Shown on the webinar's page.",
    )
    bio = forms.CharField(
        label="Short biography",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few sentences about you, for the webinar's page and the host.",
    )
    photo = forms.ImageField(
        label="Photo (optional)", required=False, help_text="JPEG, PNG or WebP."
    )
    date = forms.ChoiceField(
        label="Date",
        required=False,
        choices=[("proposed", "The committee's proposed date suits me"), ("other", "I propose")],
        widget=forms.RadioSelect,
    )
    start_at = forms.DateTimeField(
        label="Your proposed start (UTC)",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Date and time in UTC.",
    )

    def __init__(self, *args, invitation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("talk_title", invitation.talk_title)
        super().__init__(*args, **kwargs)
        self.has_proposal = invitation.proposed_start_at is not None
        fields = ["decision", "talk_title", "abstract", "bio", "photo"]
        if self.has_proposal:
            when = invitation.proposed_start_at.astimezone(UTC).strftime("%a %-d %b %Y, %H:%M")
            self.fields["date"].choices = [
                ("proposed", f"The committee's proposed date suits me: {when} UTC"),
                ("other", "I propose another date"),
            ]
            fields.append("date")
        else:
            del self.fields["date"]
        fields.append("start_at")
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.layout = Layout(*fields, Submit("submit", "Send my answer"))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return clean_image(photo, max_side=480) if photo else None

    def clean(self):
        data = super().clean()
        if data.get("decision") != "accept":
            return data
        for name, message in (
            ("talk_title", "Give your talk's title."),
            ("abstract", "Please write a short abstract."),
            ("bio", "Please write a short biography."),
        ):
            if not (data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, message)
        wants_own = not self.has_proposal or data.get("date") == "other"
        if self.has_proposal and not data.get("date"):
            self.add_error("date", "Say whether the proposed date suits you.")
        elif wants_own and not data.get("start_at") and "start_at" not in self.errors:
            self.add_error("start_at", "Propose a start date and time (UTC).")
        elif wants_own and data["start_at"] <= timezone.now():
            self.add_error("start_at", "Propose a date in the future.")
        if not wants_own:
            data["start_at"] = None
        return data


class ReleaseForm(forms.Form):
    """The recording release: yes or no, with the speaker's name as their signature."""

    answer = forms.ChoiceField(
        label="Your answer",
        choices=[
            ("sign", "I agree: the replay may be published"),
            ("refuse", "I do not agree: the replay stays private"),
        ],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="Your full name",
        max_length=200,
        help_text="Typing your name signs your answer.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, speaker_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker_name = speaker_name
        if speaker_name:
            # Crispy renders help texts as HTML: the name is escaped here.
            self.fields["name"].help_text = format_html(
                "Typing your name signs your answer: {}, as invited "
                "(capitals, spaces and accents do not matter).",
                speaker_name,
            )
        self.helper = FormHelper()
        self.helper.layout = Layout("answer", "name", Submit("submit", "Send my answer"))

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Type your full name to sign your answer.")
        # Only the invited speaker signs: a link forwarded to someone else does not
        # make their name a release (issue 17 item 4). The committee corrects a
        # misspelt invitation in the admin and sends a new one.
        if self.speaker_name and not signature_matches(name, self.speaker_name):
            raise forms.ValidationError(
                f"Sign with the name this invitation is for: {self.speaker_name}. "
                "If it is wrong, write to the Webinar committee."
            )
        return name


class WithdrawReleaseForm(ReleaseForm):
    """Withdrawing a signed release: a refusal, signed like the agreement was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget = forms.HiddenInput()
        self.fields["answer"].initial = "refuse"
        self.helper.form_id = "withdraw-release"
        self.helper.layout = Layout("answer", "name", Submit("submit", "Withdraw my agreement"))

    def clean_answer(self) -> str:
        return "refuse"  # this form only ever withdraws
