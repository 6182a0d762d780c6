"""The coordinators' workspace: questionnaires, questions, interest groups, memberships."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from solo.admin import SingletonModelAdmin

from accounts.enums import Role
from accounts.models import User
from crrg.enums import QuestionKind
from crrg.models import (
    Answer,
    AnswerChoice,
    Choice,
    CrrgPage,
    GroupMessage,
    InterestGroup,
    InterestGroupMembership,
    Participation,
    Question,
    Questionnaire,
    Response,
)
from crrg.rules import owned_q
from crrg.selectors import answering
from crrg.services import editing as editing_services
from crrg.services import groups as groups_services
from gds_portal.adminsite import ReadOnlyAdminMixin


@admin.register(CrrgPage)
class CrrgPageAdmin(SingletonModelAdmin):
    pass


@admin.register(InterestGroup)
class InterestGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "active", "order", "member_count", "roster_link"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["leads"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(members=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        )

    @admin.display(description="members", ordering="members")
    def member_count(self, obj):
        return obj.members

    @admin.display(description="roster")
    def roster_link(self, obj):
        return format_html(
            '<a href="{}">Roster and messages</a>', reverse("crrg:roster", args=[obj.slug])
        )


class MembershipForm(forms.ModelForm):
    """Coordinators add a member by the email address they already know.

    No list of every account (with its address) is ever offered to pick from.
    """

    member_email = forms.EmailField(
        label="Member's email address", help_text="The address the member signs in with."
    )

    class Meta:
        model = InterestGroupMembership
        fields = ["group"]

    def clean_member_email(self):
        email = self.cleaned_data["member_email"]
        user = User.objects.with_email(email).filter(is_active=True).first()
        if user is None:
            raise ValidationError("No member signs in with this address.")
        self.member = user
        return email


@admin.register(InterestGroupMembership)
class InterestGroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["member_name", "member_affiliation", "group", "source", "joined_at", "left_at"]
    list_filter = ["group", "source", ("left_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "group"]
    search_fields = ["user__full_name", "user__affiliation", "group__name"]
    actions = ["mark_left", "restore"]
    readonly_fields = ["member_name", "source", "joined_at", "left_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MembershipForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["group", "member_email"]
        return ["member_name", "group", "source", "joined_at", "left_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "group"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.user = form.member
            created = groups_services.interest_group_add(group=obj.group, user=form.member)
            obj.pk, obj.source = created.pk, created.source
            obj._state.adding = False

    def get_queryset(self, request):
        return answering.seen_by_coordinators(super().get_queryset(request))

    @admin.display(description="member", ordering="user__full_name")
    def member_name(self, obj):
        return obj.user.full_name

    @admin.display(description="affiliation", ordering="user__affiliation")
    def member_affiliation(self, obj):
        return obj.user.affiliation

    @admin.action(description="Take the selected members out of their group")
    def mark_left(self, request, queryset):
        for membership in queryset.select_related("user", "group"):
            groups_services.interest_group_leave(user=membership.user, group=membership.group)
        self.message_user(request, "The selected members have left their groups.")

    @admin.action(description="Put the selected members back in their group")
    def restore(self, request, queryset):
        for membership in queryset.select_related("user", "group"):
            groups_services.interest_group_add(group=membership.group, user=membership.user)
        self.message_user(request, "The selected members are back in their groups.")


def _refused_in_words(formset, refusal):
    """`formset` whose forms refuse a deletion with `refusal(instance)` (a message, or
    None when only drafts hold the row: they go with it) instead of Django's own
    refusal, which lists every protected row by its text: a member's answers (in an
    anonymous survey, one person's words however few answered) and each pick of a
    choice, counted one by one (outside probe of anonymous surveys)."""

    class RefusedInWords(formset.form):
        def hand_clean_DELETE(self):
            if self.cleaned_data.get("DELETE", False) and self.instance.pk:
                message = refusal(self.instance)
                if message:
                    raise ValidationError(message)

    formset.form = RefusedInWords
    return formset


class QuestionInlineFormSet(forms.BaseInlineFormSet):
    def delete_existing(self, obj, commit=True):
        # Answers only in unsubmitted drafts (read by nobody) go with the question.
        if commit:
            editing_services.question_delete(question=obj)
            return
        super().delete_existing(obj, commit=commit)

    def clean(self):
        # Before super(): its uniqueness check runs the admin's own generic
        # "protected related objects" refusal, and ours says what to do instead.
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) and form.instance.has_answers():
                raise ValidationError(
                    f"“{form.instance.text}”: {editing_services.in_use_message(form.instance)}"
                )
        super().clean()


class QuestionInline(admin.TabularInline):
    model = Question
    formset = QuestionInlineFormSet
    fields = ["order", "text", "kind", "required", "retired"]
    extra = 0
    show_change_link = True
    verbose_name_plural = "questions (open one to add its choices, help text or a condition)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return _refused_in_words(formset, _question_refusal)


class QuestionnaireForm(forms.ModelForm):
    """The coordinators named on a survey are typed as email addresses: no list of every
    account (with its address) is offered to pick from."""

    coordinator_emails = forms.CharField(
        label="Coordinators",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Email addresses of members outside the owning committee who may read "
        "this survey's results and exports, one per line. They sign in with them.",
    )

    class Meta:
        model = Questionnaire
        fields = [
            "title",
            "slug",
            "owner",
            "introduction",
            "opens_at",
            "closes_at",
            "grants_membership",
            "anonymous",
            "min_cell_size",
        ]

    def __init__(self, *args, owners: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if "min_cell_size" in self.fields:
            self.fields["min_cell_size"].widget.attrs["min"] = 5
        if self.instance.pk:
            emails = self.instance.coordinators.order_by("email").values_list("email", flat=True)
            self.initial["coordinator_emails"] = "\n".join(emails)
        if owners is not None and "owner" in self.fields:
            # A committee member gives a survey to a committee they sit on, never another
            # (and only a committee that owns it can open it here: CoordinatedOnly).
            field = self.fields["owner"]
            field.choices = [c for c in field.choices if c[0] in set(owners)]

    def clean_coordinator_emails(self):
        users, unknown = [], []
        for line in self.cleaned_data["coordinator_emails"].splitlines():
            email = line.strip()
            if not email:
                continue
            user = User.objects.with_email(email).filter(is_active=True).first()
            if user is None:
                unknown.append(email)
            else:
                users.append(user)
        if unknown:
            raise ValidationError(
                "No member signs in with: %(emails)s. Check the spelling, or ask them to "
                "sign up first; the other addresses were kept as you typed them.",
                params={"emails": ", ".join(unknown)},
            )
        self.coordinator_users = users
        return self.cleaned_data["coordinator_emails"]


class CoordinatedOnly:
    """Rows of the surveys the viewer's committee owns (crrg.rules.owned_q), in the list,
    its filters, search, change pages and history. Coordinators named on a survey read
    its results on the site and never edit it here."""

    survey_path = "questionnaire__"

    def get_queryset(self, request):
        rule = owned_q(request.user, prefix=self.survey_path)
        return super().get_queryset(request).filter(rule)

    def has_view_permission(self, request, obj=None):
        if obj is not None and not self.get_queryset(request).filter(pk=obj.pk).exists():
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self.get_queryset(request).filter(pk=obj.pk).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.get_queryset(request).filter(pk=obj.pk).exists():
            return False
        return super().has_delete_permission(request, obj)


# What a survey's or a question's deletion takes with it from drafts (read by nobody),
# and the record of who answered an anonymous survey (shown to nobody either).
DRAFT_MODELS = (Response, Answer, AnswerChoice, Participation)
DRAFT_NAMES = {str(model._meta.verbose_name) for model in DRAFT_MODELS}
DRAFT_PLURALS = {str(model._meta.verbose_name_plural) for model in DRAFT_MODELS}


def _drop_drafts(items: list) -> list:
    """Django's nested list of what a deletion takes, without the drafts' rows: each
    names its member, and a committee never learns who has a draft."""
    kept: list = []
    for item in items:
        if isinstance(item, list):
            kept.append(_drop_drafts(item))
        elif not any(str(item).startswith(f"{capfirst(name)}: ") for name in DRAFT_NAMES):
            kept.append(item)
    return [item for item in kept if item != []]


def _without_drafts(deleted: tuple, *, submitted: bool) -> tuple:
    """Django's deletion summary, minus what only drafts hold up: with nothing submitted,
    the drafts go too (editing_services.questionnaire_delete, question_delete), so they neither
    block the deletion as protected, nor ask for a permission on responses, nor show."""
    to_delete, counts, perms_needed, _protected = deleted
    if submitted:
        # Kept whole by the database. Django would list every protected answer by its
        # text, drafts' included (read by nobody): say what holds it, not what it says.
        held = ["Answers members submitted (retire the question, or close the survey)"]
        return _drop_drafts(to_delete), counts, perms_needed, held
    counts = {name: n for name, n in counts.items() if name not in DRAFT_PLURALS}
    perms_needed = {name for name in perms_needed if name not in DRAFT_NAMES}
    return _drop_drafts(to_delete), counts, perms_needed, []


def _owners(request) -> list[str] | None:
    """The committees a survey may be given to by this user; None: any (superusers)."""
    if request.user.is_superuser:
        return None
    return list(request.user.groups.values_list("name", flat=True))


@admin.register(Questionnaire)
class QuestionnaireAdmin(CoordinatedOnly, admin.ModelAdmin):
    survey_path = ""
    form = QuestionnaireForm
    list_display = [
        "title",
        "slug",
        "owner",
        "opens_at",
        "closes_at",
        "grants_membership",
        "anonymous",
        "response_count",
        "links",
    ]
    list_filter = ["owner", "grants_membership", "anonymous"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "opens_at"
    inlines = [QuestionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        owners = _owners(request)

        class WithOwners(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, owners=owners, **inner)

        return WithOwners

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        owners = _owners(request)
        if owners and Role.CRRG_COORDINATORS not in owners:
            initial.setdefault("owner", owners[0])
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.coordinators.set(form.coordinator_users)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        questionnaire = self.get_object(request, object_id)
        if request.method == "GET" and questionnaire is not None:
            for question in questionnaire.questions.filter(
                kind__in=QuestionKind.with_choices(), retired=False, choices__isnull=True
            ):
                self.message_user(
                    request,
                    f"“{question.text}” has no choices yet, so members are not asked it: "
                    "open the question to add them.",
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # The promise made to those who started answering stays (Questionnaire.clean).
        if obj is not None and obj.has_started():
            fields += ["anonymous", "min_cell_size"]
        return fields

    def get_deleted_objects(self, objs, request):
        submitted = Response.objects.filter(questionnaire__in=list(objs)).exists()
        return _without_drafts(super().get_deleted_objects(objs, request), submitted=submitted)

    def delete_model(self, request, obj):
        editing_services.questionnaire_delete(questionnaire=obj)

    def delete_queryset(self, request, queryset):
        for questionnaire in queryset:
            editing_services.questionnaire_delete(questionnaire=questionnaire)

    def get_queryset(self, request):
        submitted = Q(responses__submitted_at__isnull=False)  # a join skips the manager
        return (
            super().get_queryset(request).annotate(responses_n=Count("responses", filter=submitted))
        )

    @admin.display(description="responses", ordering="responses_n")
    def response_count(self, obj):
        return obj.responses_n

    @admin.display(description="pages")
    def links(self, obj):
        return format_html(
            '<a href="{}">Answer page</a> · <a href="{}">Summary</a>',
            obj.get_absolute_url(),
            reverse("crrg:summary", args=[obj.slug]),
        )


CHOICE_IN_USE = (
    "Members picked this answer in submitted responses, so it cannot be deleted; "
    "change its wording only if the meaning stays the same."
)


CONDITION_IN_USE = (
    "Another question is shown only when {what} is chosen: change or clear that "
    "question's condition first."
)


def _question_refusal(question: Question) -> str | None:
    """Why an inline may not delete `question`, in words (None: it may)."""
    if question.has_answers():
        return editing_services.in_use_message(question)
    if Question.objects.filter(shown_if__question=question).exclude(pk=question.pk).exists():
        return CONDITION_IN_USE.format(what="one of its answers")
    return None


def _choice_refusal(choice: Choice) -> str | None:
    """Why an inline may not delete `choice`, in words (None: it may)."""
    if _picked_in_a_submission(choice):
        if choice.question.questionnaire.anonymous:
            return editing_services.ANONYMOUS_IN_USE
        return CHOICE_IN_USE
    if choice.dependent_questions.exists():
        return CONDITION_IN_USE.format(what="this answer")
    return None


def _picked_in_a_submission(choice: Choice) -> bool:
    # Anonymous: any submission holds every choice (Question.has_answers says why).
    if choice.question.questionnaire.anonymous:
        return choice.question.has_answers()
    return AnswerChoice.objects.filter(
        choice=choice, answer__response__submitted_at__isnull=False
    ).exists()


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    def delete_existing(self, obj, commit=True):
        # Picks in unsubmitted drafts (read by nobody) go with the choice; a pick in a
        # submission keeps it (the form refused the deletion before this).
        if commit:
            AnswerChoice.objects.filter(
                choice=obj, answer__response__submitted_at__isnull=True
            ).delete()
        super().delete_existing(obj, commit=commit)

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if self.instance.has_choices and not kept:
            raise ValidationError("A choice question needs at least one choice: add them below.")
        # On a new question Choice.clean cannot see the survey yet (the choice has no
        # question): the formset can (outside probe: an exec survey placed respondents
        # in a CRRG interest group through "Add question").
        questionnaire = getattr(self.instance, "questionnaire", None)
        if questionnaire is not None and questionnaire.owner != Role.CRRG_COORDINATORS:
            for form in kept:
                if form.cleaned_data.get("interest_group"):
                    form.add_error(
                        "interest_group",
                        "Only the CRRG's own surveys place respondents in interest groups; "
                        "leave this empty.",
                    )


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    fields = ["order", "label", "interest_group"]
    extra = 3

    def get_formset(self, request, obj=None, **kwargs):
        # Only submitted picks hold a choice (outside probe: a draft's pick blocked the
        # deletion and told the committee someone's unsent draft chose it).
        formset = super().get_formset(request, obj, **kwargs)
        return _refused_in_words(formset, _choice_refusal)

    def get_fields(self, request, obj=None):
        # obj: the question. Placing respondents in interest groups is the CRRG's own
        # surveys' business (Choice.clean refuses it elsewhere): not offered there at all.
        if obj is not None and obj.questionnaire.owner != Role.CRRG_COORDINATORS:
            return ["order", "label"]
        return self.fields


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "questionnaire",
            "order",
            "text",
            "help_text",
            "kind",
            "required",
            "shown_if",
            "retired",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Conditions point at answers of choice questions; label them fully.
        self.fields["shown_if"].queryset = Choice.objects.filter(
            question__kind__in=["single_choice", "multiple_choice"]
        ).select_related("question__questionnaire")
        self.fields["shown_if"].label_from_instance = lambda c: (
            f"{c.question.questionnaire.title} — {c.question.text} → {c.label}"
        )


@admin.register(Question)
class QuestionAdmin(CoordinatedOnly, admin.ModelAdmin):
    form = QuestionForm
    list_display = [
        "text",
        "questionnaire",
        "order",
        "kind",
        "required",
        "shown_if_label",
        "retired",
        "answer_count",
    ]
    list_filter = [("questionnaire", admin.RelatedOnlyFieldListFilter), "kind", "retired"]
    list_select_related = ["questionnaire", "shown_if"]
    search_fields = ["text", "questionnaire__title"]
    inlines = [ChoiceInline]
    actions = ["retire"]

    def get_queryset(self, request):
        # Drafts count nowhere; an anonymous survey's answers are counted only in its
        # summary, in groups and with small counts hidden (outside probe: this column
        # showed, exactly and at once, which questions a member had just answered).
        counted = Q(answers__response__submitted_at__isnull=False) & Q(
            questionnaire__anonymous=False
        )
        return super().get_queryset(request).annotate(answers_n=Count("answers", filter=counted))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        rule = owned_q(request.user)

        class ForMySurveys(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                # Only surveys this user coordinates, to add to and to depend on.
                questionnaire = self.fields["questionnaire"]
                questionnaire.queryset = Questionnaire.objects.filter(rule)
                shown_if = self.fields["shown_if"]
                shown_if.queryset = shown_if.queryset.filter(
                    question__questionnaire__in=Questionnaire.objects.filter(rule)
                )

        return ForMySurveys

    @admin.display(description="answers", ordering="answers_n")
    def answer_count(self, obj):
        if obj.questionnaire.anonymous:
            return "— (anonymous: see the summary)"
        return obj.answers_n

    @admin.display(description="shown only if")
    def shown_if_label(self, obj):
        return obj.shown_if.label if obj.shown_if_id else "—"

    @admin.action(description="Retire the selected questions (keep their answers)")
    def retire(self, request, queryset):
        for question in queryset:
            editing_services.question_retire(question=question)
        self.message_user(request, "Retired. Their answers stay in summaries and exports.")

    def delete_view(self, request, object_id, extra_context=None):
        question = self.get_object(request, object_id)
        if question is not None and question.has_answers():
            message = editing_services.in_use_message(question)
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:crrg_question_change", args=[question.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        refused = 0
        for question in queryset:
            try:
                editing_services.question_delete(question=question)
            except editing_services.QuestionInUse:
                refused += 1
        if refused:
            self.message_user(
                request,
                f"{refused} question(s) kept. {editing_services.QuestionInUse.message}",
                messages.ERROR,
            )

    def delete_model(self, request, obj):
        editing_services.question_delete(question=obj)

    def get_deleted_objects(self, objs, request):
        submitted = any(question.has_answers() for question in objs)
        return _without_drafts(super().get_deleted_objects(objs, request), submitted=submitted)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "shown_answer"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("choices")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="answer")
    def shown_answer(self, obj):
        return obj.display()


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, CoordinatedOnly, admin.ModelAdmin):
    """Read-only: a response is the member's own words. Emails are not shown here."""

    read_only_deletable = True

    list_display = [
        "member_name",
        "member_affiliation",
        "questionnaire",
        "created_at",
        "updated_at",
        "consent_contact",
        "consent_listed",
        "withdrawn_at",
    ]
    list_filter = [
        ("questionnaire", admin.RelatedOnlyFieldListFilter),
        "consent_contact",
        "consent_listed",
        ("withdrawn_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["user", "questionnaire"]
    search_fields = ["user__full_name", "user__affiliation"]
    fields = [
        "member_name",
        "member_affiliation",
        "questionnaire",
        "consent_contact",
        "consent_listed",
        "created_at",
        "updated_at",
        "withdrawn_at",
    ]
    readonly_fields = fields
    inlines = [AnswerInline]

    def get_queryset(self, request):
        # An anonymous survey's responses are read as results only (its summary): one
        # response, nameless, is still one person's answers side by side.
        named = super().get_queryset(request).filter(user__isnull=False)
        return answering.seen_by_coordinators(named)

    @admin.display(description="member", ordering="user__full_name")
    def member_name(self, obj):
        return obj.user.full_name

    @admin.display(description="affiliation")
    def member_affiliation(self, obj):
        return obj.user.affiliation


@admin.register(GroupMessage)
class GroupMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "group", "sent_at", "recipient_count"]
    list_filter = ["group"]
    list_select_related = ["group"]
    # The body is a mail body: never searchable (a search count is an oracle); see
    # tests/security/test_admin_sensitive_fields.py.
    search_fields = ["subject"]
    read_only_deletable = True  # a message sent, as it was sent
    fields = ["group", "subject", "body", "sent_at", "recipient_count"]
    readonly_fields = fields
