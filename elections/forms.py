from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core import signing

from accounts.models import User
from elections.models import (
    HANDOVER_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    Contest,
    Election,
    has_visible_text,
)
from gds_portal.form_errors import add_error_about, mark_concerned
from gds_portal.form_layout import Fieldset, Submit, mark_own_details
from gds_portal.once import OneTimeTokenForm
from gds_portal.uploads import clean_image


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class NominationForm(OneTimeTokenForm):
    """A member nominates themself or another member for one office.

    A member who nominates themself is a candidate at once, so they write the
    statement (and, if their account has none, the name voters see) here: the
    committee puts on the slate only candidates with both, and once nominations close
    nobody can add them (outside probe 2, F2).
    """

    contest = forms.ModelChoiceField(
        label="Office", queryset=Contest.objects.none(), empty_label=None
    )
    myself = forms.BooleanField(label="I nominate myself", required=False)
    nominee_email = forms.EmailField(
        label="Nominee's email address",
        required=False,
        help_text="The address they use for their GDS account. We write to them; "
        "you will not be told whether they accept.",
    )
    statement = forms.CharField(
        label="Your candidate statement (if you nominate yourself)",
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Needed when you nominate yourself; leave it empty when you nominate "
        f"someone else, who writes their own. Markdown; maths with $…$ allowed; at most "
        f"{STATEMENT_MAX_LENGTH} characters. Shown on the ballot next to your name; you can "
        "change it until nominations close.",
    )
    name = forms.CharField(
        label="Your name on the ballot (if you nominate yourself)",
        required=False,
        max_length=200,
        help_text="Your account has no name yet; voters and the results will show this one. "
        "It becomes your account's name (you can change it in your profile).",
    )

    def __init__(self, *args, election: Election, needs_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].queryset = election.contests.select_related("office")
        mark_own_details(self, name="name")  # the self-nominee's own name
        fields = ["token", "contest", "myself", "nominee_email", "statement"]
        if needs_name:
            fields.append("name")
        else:
            del self.fields["name"]
        self.helper = _helper(*fields, submit="Send the nomination")

    def clean(self):
        data = super().clean()
        if not data.get("myself"):
            if not data.get("nominee_email"):
                self.add_error(
                    "nominee_email", "Give the nominee's address, or tick “I nominate myself”."
                )
            return data
        if not has_visible_text(data.get("statement") or ""):
            self.add_error(
                "statement", "You nominate yourself: please write your statement for the ballot."
            )
        if "name" in self.fields and not has_visible_text(data.get("name") or ""):
            self.add_error("name", "Please give your name as voters should see it.")
        return data


class AnswerForm(forms.Form):
    """The nominee's answer; a statement is needed to accept."""

    decision = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "I accept the nomination"), ("decline", "I decline")],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label="Candidate statement",
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=f"Markdown; maths with $…$ allowed; at most {STATEMENT_MAX_LENGTH} characters. "
        "Shown on the ballot next to your name.",
    )
    photo = forms.ImageField(
        label="Photo (optional)", required=False, help_text="JPEG, PNG or WebP."
    )
    name = forms.CharField(
        label="Your name on the ballot",
        required=False,
        max_length=200,
        help_text="Your account has no name yet; voters and the results will show this one. "
        "It becomes your account's name (you can change it in your profile).",
    )

    def __init__(self, *args, needs_name: bool = False, **kwargs):
        """`needs_name`: the nominee's account has no name, so the ballot would show none
        of theirs; they give one when they accept (outside probe of issue 21)."""
        super().__init__(*args, **kwargs)
        mark_own_details(self, name="name")  # the nominee's own name
        fields = ["decision", "statement", "photo"]
        if needs_name:
            fields.insert(1, "name")
        else:
            del self.fields["name"]
        self.helper = _helper(*fields, submit="Send my answer")
        self.helper.form_enctype = "multipart/form-data"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return clean_image(photo, max_side=480) if photo else None

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not has_visible_text(data.get("statement") or ""):
            self.add_error("statement", "Please write a short statement for the ballot.")
        accepting = data.get("decision") == "accept"
        if accepting and "name" in self.fields and not has_visible_text(data.get("name") or ""):
            self.add_error("name", "Please give your name as voters should see it.")
        return data


REVIEW_SALT = "elections.ballot-review"
# What a ballot POST may carry besides the offices' fields: the CSRF token, the buttons
# and the review page's signed marker. Anything else is refused, never ignored: an
# ignored field for an office would cast an abstention the voter did not choose.
BALLOT_CONTROLS = frozenset({"csrfmiddlewaretoken", "review", "cast", "change", "reviewed"})


class BallotForm(forms.Form):
    """One fieldset per office: tick boxes for “up to K”, one menu per rank for ranked ones.

    Plain form controls only, so the whole ballot works with the keyboard and
    without JavaScript. Not a one-time-token form on purpose: a token row would
    store who sent a ballot form and when; the voter roll already refuses a
    second ballot (elections.services.voting.ballot_cast).

    A cast is taken only from the review page: it carries `reviewed`, the voter's,
    the election's and the reviewed choices signed by the server, and the choices
    cast must be those. The marker is stored nowhere (see above); it only proves
    that this voter was shown exactly these choices before casting them.
    """

    def __init__(self, *args, election: Election, voter: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.election, self.voter = election, voter
        self.contests = list(election.contests.all())
        layout = []
        for contest in self.contests:
            choices = [(str(c.pk), c.name) for c in contest.slate]
            names = self._add_fields(contest, choices)
            legend = f"{contest.office.name}: " + (
                "rank the candidates in order of preference"
                if contest.is_ranked
                else f"mark up to {contest.marks_allowed}"
            )
            layout.append(Fieldset(legend, *names))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    def _add_fields(self, contest: Contest, choices) -> list[str]:
        if not contest.is_ranked:
            name = f"c{contest.pk}"
            self.fields[name] = forms.MultipleChoiceField(
                label="Candidates",
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            return [name]
        names = []
        for rank in range(1, len(choices) + 1):
            name = f"c{contest.pk}_r{rank}"
            self.fields[name] = forms.ChoiceField(
                label=f"Choice {rank}",
                choices=[("", "(no choice)"), *choices],
                required=False,
            )
            names.append(Field(name))
        return names

    def full_clean(self):
        super().full_clean()
        mark_concerned(self)

    @property
    def casting(self) -> bool:
        return "cast" in self.data

    def review_token(self) -> str:
        """The marker the review page carries; call after is_valid()."""
        return signing.dumps(self._reviewed_payload(), salt=REVIEW_SALT)

    def _reviewed_payload(self) -> dict:
        marks = {str(pk): chosen for pk, chosen in self.marks.items()}
        return {"e": self.election.pk, "u": self.voter.pk, "m": marks}

    def clean(self):
        data = super().clean()
        if set(self.data) - set(self.fields) - BALLOT_CONTROLS:
            raise forms.ValidationError(
                "Your ballot was not cast: it named an office or a choice that is not on "
                "your ballot. Please make your choices again on this page."
            )
        if any(e.code == "invalid_choice" for es in self.errors.as_data().values() for e in es):
            self.add_error(
                None,
                "Your ballot was not cast: a choice is not a candidate for that office. "
                "Please make your choices again on this page.",
            )
        self.marks: dict[int, list[int]] = {}
        for contest in self.contests:
            self.marks[contest.pk] = self._contest_marks(contest, data)
        if self.casting and not self.errors and not self._was_reviewed():
            raise forms.ValidationError(
                "Your ballot was not cast: a ballot is cast only from the review page, "
                "with the choices shown there. Please review your choices, then cast."
            )
        return data

    def _was_reviewed(self) -> bool:
        try:
            reviewed = signing.loads(self.data.get("reviewed", ""), salt=REVIEW_SALT)
        except signing.BadSignature:
            return False
        return reviewed == self._reviewed_payload()

    def _contest_marks(self, contest: Contest, data) -> list[int]:
        if not contest.is_ranked:
            chosen = [int(pk) for pk in data.get(f"c{contest.pk}") or []]
            if len(set(chosen)) != len(chosen):
                # A form built by hand (c3=5&c3=5); the page's tick boxes cannot send it.
                self.add_error(
                    f"c{contest.pk}",
                    "A candidate was marked more than once. Mark each candidate at most "
                    "once, then review your ballot again.",
                )
            elif len(chosen) > contest.marks_allowed:
                self.add_error(
                    f"c{contest.pk}", f"Mark at most {contest.marks_allowed} candidates."
                )
            return chosen
        ranks = [data.get(f"c{contest.pk}_r{r}") or "" for r in range(1, len(contest.slate) + 1)]
        chosen = [int(pk) for pk in ranks if pk]
        first_gap = ranks.index("") if "" in ranks else len(ranks)
        # Errors about the office's choices together: each marks all its menus.
        names = [f"c{contest.pk}_r{r}" for r in range(1, len(ranks) + 1)]
        if any(ranks[first_gap:]):
            message = f"{contest.office.name}: fill the choices in order, with no gaps."
            add_error_about(self, names, message)
        if len(set(chosen)) != len(chosen):
            message = f"{contest.office.name}: rank each candidate at most once."
            add_error_about(self, names, message)
        return chosen


class HandoverNoteForm(OneTimeTokenForm):
    text = forms.CharField(
        label="Note for the next holders",
        max_length=HANDOVER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Only the current holders of this office can read it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("token", "text", submit="Save the note")


class TrackerForm(forms.Form):
    """Look up a tracker among the counted ballots.

    Sent by POST to the page's own address, never in a query string: an address lands
    in the server's access log with the IP and the time, and where trackers are printed
    on the ballots a logged tracker joins that visitor to a ballot (outside probe 3, F1).
    """

    tracker = forms.CharField(label="Your ballot tracker", max_length=40)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("tracker", submit="Look it up")
        self.helper.form_method = "post"
        self.helper.form_action = action
        # The browser must not keep the typed tracker in its form history either.
        self.fields["tracker"].widget.attrs["autocomplete"] = "off"


class _LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes carry no <label>; name each for screen readers."""

    def __init__(self, name: str):
        super().__init__()
        self.widgets[0].attrs["aria-label"] = f"{name}: date (UTC)"
        self.widgets[1].attrs["aria-label"] = f"{name}: time (UTC)"


WINDOW_FIELDS = {
    "nominations_open_at": "Nominations open",
    "nominations_close_at": "Nominations close",
    "voting_open_at": "Voting opens",
    "voting_close_at": "Voting closes",
}


class ElectionAdminForm(forms.ModelForm):
    class Meta:
        model = Election
        # The admin's fieldsets choose what is shown; these are the editable fields.
        fields = [
            "title",
            "slug",
            "description",
            "is_announced",
            "tracker_policy",
            "tie_rule",
            *WINDOW_FIELDS,
            "eligibility_cutoff",
            "term_starts_on",
            "term_ends_on",
        ]
        widgets = {name: _LabelledSplitDateTime(label) for name, label in WINDOW_FIELDS.items()}
