"""The COVID Research and Resources Group: interest groups, questionnaires, responses.

Questionnaires are general (the CRRG membership form is one of them, member
surveys are others). Answers point at their question with PROTECT, so the
database itself refuses to delete a question that has been answered: the
coordinators retire it instead and nothing a member typed is ever lost.
"""

from datetime import datetime
from typing import Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from solo.models import SingletonModel

from accounts.enums import Role
from crrg.enums import MailingKind, MembershipSource, QuestionKind
from gds_portal.once import OneTimeToken


def validate_link(value: str) -> None:
    """A path on this site ("/webinars/…") or an http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class CrrgPage(SingletonModel):
    """What the public /crrg/ page says about the group; edited by the coordinators."""

    about = models.TextField(
        "what the group is and does",
        blank=True,
        help_text="Markdown. Shown at the top of the public CRRG page.",
    )
    webinars_url = models.CharField(
        "related webinars link",
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text="A path on this site such as /webinars/?topic=covid, or a full https:// "
        "address. Leave empty to hide the link.",
    )
    webinars_link_text = models.CharField(
        max_length=120, default="COVID research webinars", blank=True
    )

    class Meta:
        verbose_name = "CRRG public page"

    def __str__(self) -> str:
        return "CRRG public page"


class InterestGroup(models.Model):
    """A focused group inside the CRRG (modeling, data analytics, imaging, technologies)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    leads = models.ManyToManyField(
        "community.Person",
        blank=True,
        related_name="led_interest_groups",
        help_text="People who lead the group; link a person to an account to tie it to a member.",
    )
    active = models.BooleanField(default=True, help_text="Inactive groups are hidden publicly.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crrg:home") + f"#group-{self.slug}"


class InterestGroupMembership(models.Model):
    """A member in an interest group; `left_at` records that they left (and stay out)."""

    group = models.ForeignKey(InterestGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_memberships"
    )
    source = models.CharField(max_length=12, choices=MembershipSource.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group__order", "group__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="crrg_one_membership_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} in {self.group.name}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


# Generic in the model, as django-stubs' QuerySet is, so rows of an annotated queryset keep
# their annotations under mypy (make lint).
_Questionnaire = TypeVar("_Questionnaire", bound="Questionnaire", covariant=True)


class QuestionnaireQuerySet(models.QuerySet[_Questionnaire]):
    def open(self, now: datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.filter(Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))

    def membership(self) -> Self:
        return self.filter(grants_membership=True)


class Questionnaire(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    introduction = models.TextField(blank=True, help_text="Markdown, shown above the questions.")
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to keep it open until you close it."
    )
    grants_membership = models.BooleanField(
        "answering makes you a CRRG member",
        default=False,
        help_text="The open membership questionnaire is the one members answer at /crrg/join/.",
    )
    # A survey belongs to a committee (the executive committee's barriers survey, the
    # CRRG's membership form): its members edit it and read its results, and so do the
    # coordinators named on it, whatever their role (crrg/rules.py, one rule).
    owner = models.CharField(
        "owned by",
        max_length=40,
        choices=[(role.value, role.value) for role in Role],  # the committees' own names
        default=Role.CRRG_COORDINATORS,
        help_text="The committee whose members edit this survey and read its results.",
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_questionnaires",
        help_text="Members outside the owning committee who also read its results and exports.",
    )
    # Anonymous mode (docs/surveys.md): whether a member responded is kept apart from
    # what they answered, with nothing that joins the two (Participation, Response).
    anonymous = models.BooleanField(
        "anonymous",
        default=False,
        help_text="Answers are stored without the respondent's name, time or order, and "
        "results show only groups of at least the number below. Both are fixed once "
        "anyone has started answering.",
    )
    min_cell_size = models.PositiveSmallIntegerField(
        "smallest group shown",
        default=5,
        validators=[MinValueValidator(5)],
        help_text="Anonymous surveys: smaller counts are hidden, free-text answers appear "
        "once this many have answered a question, and responses join the results in "
        "groups of this size. At least 5.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="crrg_questionnaire_closes_after_opening",
                violation_error_message="The closing time must come after the opening time.",
            ),
            models.CheckConstraint(
                condition=Q(grants_membership=False) | Q(owner=Role.CRRG_COORDINATORS),
                name="crrg_membership_form_is_the_crrgs",
                violation_error_message="Only a survey the CRRG coordinators own can make "
                "its respondents CRRG members.",
            ),
            models.CheckConstraint(
                condition=Q(grants_membership=False) | Q(anonymous=False),
                name="crrg_membership_form_is_not_anonymous",
                violation_error_message="The membership questionnaire cannot be anonymous: "
                "joining the CRRG is answering with your name.",
            ),
            models.CheckConstraint(
                condition=Q(min_cell_size__gte=5),
                name="crrg_min_cell_size_at_least_5",
                violation_error_message="The smallest group shown must be at least 5.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.grants_membership:
            return reverse("crrg:join")
        return reverse("surveys:answer", kwargs={"slug": self.slug})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def has_started(self) -> bool:
        """Whether anyone answered, drafts and anonymous participation included."""
        if self.pk is None:
            return False
        return (
            Response.with_drafts.filter(questionnaire=self).exists()
            or Participation.objects.filter(questionnaire=self).exists()
        )

    def clean(self) -> None:
        # The promise made to respondents may not change under them: answers given
        # with a name must not become "anonymous" (they are linked) and answers given
        # anonymously, or saved for later under that promise, must not gain a name.
        if self.pk is not None and self.has_started():
            anonymous, k = (
                Questionnaire.objects.filter(pk=self.pk)
                .values_list("anonymous", "min_cell_size")
                .get()
            )
            errors = {}
            if anonymous != self.anonymous:
                errors["anonymous"] = (
                    "Members have started answering this survey under the promise it made "
                    "them, so whether it is anonymous cannot change. Make a new survey instead."
                )
            # Results shown at one k and then another give hidden counts away (outside
            # probe: raising k one step at a time turned each "x" into an exact count).
            if k != self.min_cell_size:
                errors["min_cell_size"] = (
                    "Members have started answering, and results may have been read at the "
                    "current size: changing it would let hidden counts be worked out. Make "
                    "a new survey instead."
                )
            if errors:
                raise ValidationError(errors)


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveIntegerField(default=0)
    text = models.CharField("question", max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(default=False)
    shown_if = models.ForeignKey(
        "Choice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependent_questions",
        verbose_name="show only if this answer was chosen",
        help_text="An answer to an earlier single- or multiple-choice question of this "
        "questionnaire. Leave empty to always show the question.",
    )
    retired = models.BooleanField(
        default=False,
        help_text="Retired questions are no longer asked; their answers stay in the export.",
    )

    class Meta:
        ordering = ["questionnaire", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in QuestionKind.with_choices()

    def has_answers(self) -> bool:
        """Answered in a submitted response. Answers in drafts do not count: a draft is
        read by nobody, and its answer to a question that goes is dropped with it.

        For an anonymous survey: whether anyone has submitted the survey at all. Which
        questions the answers touch must not show through what the admin refuses
        (outside probe: with one member's response waiting for its group, refusals to
        delete a question or a choice told which ones that member had answered)."""
        if self.pk is None:
            return False
        stored = Question.objects.filter(pk=self.pk).values_list(
            "questionnaire_id", "questionnaire__anonymous"
        )
        survey_id, anonymous = stored.get()
        if anonymous:
            return Participation.objects.filter(questionnaire_id=survey_id).exists()
        return self.answers.filter(response__submitted_at__isnull=False).exists()

    def clean(self) -> None:
        errors = {}
        if self.pk and self.kind and self.has_answers():
            stored_kind = Question.objects.filter(pk=self.pk).values_list("kind", flat=True).get()
            if stored_kind != self.kind:
                errors["kind"] = (
                    "Members have answered this question (in an anonymous survey: the "
                    "survey), so its kind cannot change. Retire it and add a new question "
                    "instead."
                )
        if self.pk and self.questionnaire_id and self.has_answers():
            stored = Question.objects.filter(pk=self.pk).values_list("questionnaire", flat=True)
            if stored.get() != self.questionnaire_id:
                errors["questionnaire"] = (
                    "Members have answered this question, so it stays in its survey (its "
                    "answers belong there). Add a new question to the other survey instead."
                )
        if self.pk and self.has_answers():
            errors.update(self._frozen_condition_errors())
        if self.shown_if_id:
            errors.update(self._condition_errors())
        errors.update(self._dependants_order_errors())
        if errors:
            raise ValidationError(errors)

    def _frozen_condition_errors(self) -> dict[str, str]:
        """An anonymous survey's question keeps the condition it was answered under: its
        results are hidden whole when that condition's answer is hidden, and a condition
        cleared or moved would show them (outside probe: clearing it showed a count the
        summary hid)."""
        stored = Question.objects.filter(pk=self.pk).values_list(
            "shown_if_id", "questionnaire__anonymous"
        )
        shown_if_id, anonymous = stored.get()
        if anonymous and shown_if_id != self.shown_if_id:
            return {
                "shown_if": "Members have answered this anonymous survey, so when this "
                "question is asked cannot change: its results depend on it. Retire it and "
                "add a new question instead."
            }
        return {}

    def _condition_errors(self) -> dict[str, str]:
        controller = self.shown_if.question
        if controller.questionnaire_id != self.questionnaire_id:
            return {"shown_if": "Pick an answer to a question of this same questionnaire."}
        if not controller.has_choices:
            return {"shown_if": "Pick an answer to a single- or multiple-choice question."}
        if self.pk and controller.pk == self.pk:
            return {"shown_if": "A question cannot depend on its own answer."}
        if (controller.order, controller.pk or 0) >= (self.order, self.pk or float("inf")):
            # On "order", which every form of a question has (the survey's list of
            # questions has no condition field: an error there was a 500).
            return {"order": "The question it depends on must come earlier (lower order)."}
        return {}

    def _dependants_order_errors(self) -> dict[str, str]:
        """The order rule from the other side: questions asked only after an answer to
        this one must still come after it (outside probe: moving a question below its
        own follow-up was accepted)."""
        if self.pk is None:
            return {}
        dependants = Question.objects.filter(shown_if__question_id=self.pk).exclude(pk=self.pk)
        if any((d.order, d.pk) <= (self.order, self.pk) for d in dependants.only("order")):
            return {
                "order": "Questions asked only after an answer to this one must come after "
                "it (higher order): move them first, or give this one a lower order."
            }
        return {}


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=300)
    interest_group = models.ForeignKey(
        InterestGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="choices",
        help_text="Members who pick this answer are placed in this interest group.",
    )

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self) -> str:
        return f"{self.question.text} → {self.label}"

    def clean(self) -> None:
        # Placing respondents in a CRRG interest group is the CRRG's business alone.
        if self.interest_group_id and self.question_id:
            questionnaire = self.question.questionnaire
            if questionnaire.anonymous:
                raise ValidationError(
                    {
                        "interest_group": "An anonymous survey places nobody in interest "
                        "groups: its answers are not linked to anyone. Leave this empty."
                    }
                )
            if questionnaire.owner != Role.CRRG_COORDINATORS:
                raise ValidationError(
                    {
                        "interest_group": "Only the CRRG's own surveys place respondents in "
                        "interest groups; leave this empty."
                    }
                )


class SubmittedResponses(models.Manager["Response"]):
    """Responses that were submitted: the default everywhere (pages, summaries, exports,
    the admin, related managers), so an unfinished draft is never counted or shown.
    Only the answering services reach drafts, through `Response.with_drafts`."""

    def get_queryset(self) -> models.QuerySet["Response"]:
        return super().get_queryset().filter(submitted_at__isnull=False)


class Response(models.Model):
    """One member's answers to one questionnaire; at most one per member and questionnaire.

    A member may save their answers and finish later: the response is then a draft
    (`submitted_at` empty) until they submit it, and is deleted unsent when the
    questionnaire closes (manage.py crrg_discard_drafts).

    A submitted response to an anonymous survey has no user, its three dates are the
    survey's opening time (no time of its own), and its primary key, like its answers'
    and their picked choices', is drawn at random (crrg.services.answering): nothing in the row
    orders it among the others or ties it to the member's Participation.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="crrg_responses",
        null=True,
        blank=True,
    )
    consent_contact = models.BooleanField("coordinators may contact me", default=False)
    consent_listed = models.BooleanField("list my name on the public member page", default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the member leaves the CRRG; answering again clears it.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Anonymous surveys: a response is held out of every result until at least
    # `min_cell_size` have gathered, then the group joins the results together, so that
    # comparing results before and after one member answered never isolates them.
    held = models.BooleanField(default=False)

    with_drafts = models.Manager()
    objects = SubmittedResponses()

    class Meta:
        ordering = ["-created_at"]
        default_manager_name = "objects"
        # Deleting a questionnaire, a member or a draft must reach drafts too.
        base_manager_name = "with_drafts"
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="crrg_one_response_per_member"
            ),
            # A draft is always someone's (to resume it); only a submitted anonymous
            # response has no user.
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(submitted_at__isnull=False),
                name="crrg_draft_has_a_member",
            ),
            models.CheckConstraint(
                condition=Q(held=False) | Q(user__isnull=True),
                name="crrg_only_anonymous_responses_are_held",
            ),
        ]

    def __str__(self) -> str:
        who = self.user.full_name if self.user_id else "Anonymous response"
        return f"{who} — {self.questionnaire.title}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: a question with answers cannot be deleted, only retired.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    choices = models.ManyToManyField(Choice, through="AnswerChoice", blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="crrg_one_answer"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=5),
                name="crrg_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.text}: {self.display()}"

    def display(self) -> str:
        """The answer as one line of text (used on pages and in exports)."""
        kind = self.question.kind
        if kind in QuestionKind.with_choices():
            return "; ".join(c.label for c in self.choices.all())
        if kind == QuestionKind.YES_NO:
            return {True: "Yes", False: "No"}.get(self.boolean, "")
        if kind == QuestionKind.SCALE:
            return str(self.number) if self.number else ""
        return self.text


class AnswerChoice(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE)
    # PROTECT: a chosen answer option is never silently dropped from responses.
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="picks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="crrg_one_pick_per_choice")
        ]

    def __str__(self) -> str:
        return self.choice.label


class GroupMessage(models.Model):
    """A message coordinators sent to an interest group (the record; mail is in the outbox)."""

    group = models.ForeignKey(InterestGroup, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.group.name}: {self.subject}"


# Reminders stop after this many: a member who has not answered after an invitation and
# two reminders has made their choice, and more mail only teaches them to ignore ours.
MAX_REMINDERS = 2


class Invitation(models.Model):
    """A member's participation in a survey: that they were invited, and how often mailed.

    One per member and survey (a database constraint), written only by the services
    (crrg.services.mailings.survey_invite, survey_remind). It is kept apart from the answers on
    purpose and must stay so: no link to a Response or an Answer, nothing copied from
    them. A later change (anonymous surveys, issue 18 item 2) records here *that* a
    member responded, for one-response-per-member and for reminders, while what they
    answered is stored with nothing that joins it to this row; a foreign key, a shared
    timestamp or an ordering between the two would undo that. (For a named survey,
    "has submitted" is read from the member's own response when needed, never stored.)
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_mailed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["questionnaire", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="crrg_one_invitation_per_member"
            ),
            models.CheckConstraint(
                condition=Q(reminders_sent__lte=MAX_REMINDERS),
                name="crrg_at_most_two_reminders",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} invited to {self.questionnaire.title}"


class SurveyMailing(models.Model):
    """One invitation or reminder round a coordinator sent (the record; mail is in the
    outbox, one personal message per member)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="mailings"
    )
    kind = models.CharField(max_length=12, choices=MailingKind.choices)
    # Who it went to, in words ("Members of the Program committee"), as it read then.
    audience = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.questionnaire.title} ({self.sent_at:%Y-%m-%d})"


class SurveyMailingToken(OneTimeToken):
    """The one-time token of the invitation and reminder forms (gds_portal.once): the
    same form sent twice, or in parallel, mails nobody twice and answers with the
    mailing the first one made."""

    mailing = models.ForeignKey(
        SurveyMailing, null=True, on_delete=models.CASCADE, related_name="+"
    )


class Participation(models.Model):
    """That a member responded to an anonymous survey, and on which day: for one
    response per member, reminders and the response rate. Never what they answered.

    Written in the same service call as the anonymous Response, and kept apart from it
    on purpose: no key to it, no time finer than the day (the Response has none at
    all), nothing copied from it. Named surveys need no row here: their Response
    carries the member.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )
    responded_on = models.DateField()

    class Meta:
        ordering = ["questionnaire", "responded_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="crrg_one_participation_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} responded to {self.questionnaire.title}"


class PublishedSummary(models.Model):
    """A survey's results as its committee released them to members: a snapshot of the
    counts, small groups suppressed, free text never included. A snapshot, not a live
    view: results that moved as each member answered would tell a reader who watched
    what that member said."""

    questionnaire = models.OneToOneField(
        Questionnaire, on_delete=models.CASCADE, related_name="published_summary"
    )
    note = models.TextField(
        "note from the committee",
        blank=True,
        help_text="Plain text shown above the results; line breaks are kept.",
    )
    # [{"question": str, "rows": [[label, count or null]], "answered": int or null,
    #   "hidden_label": "<5"}], built by crrg.selectors.published_figures.
    figures = models.JSONField(default=list)
    respondents = models.PositiveIntegerField(default=0)
    released_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "published summaries"

    def __str__(self) -> str:
        return f"Published summary of {self.questionnaire.title}"
