"""The executive committee's election workspace.

The executive committee's permissions here are its row of the role table
(accounts/roles.py); this app writes no data migration.

What no admin shows, on purpose: the voter roll, ballots and trackers (the roll
says who voted, ballots what was voted; results pages show counts and the
published ballots once the committee publishes), handover notes (private to the
office's holders) and who nominated whom.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst

from community.models import Person
from elections.enums import CandidacyStatus
from elections.forms import ElectionAdminForm
from elections.guarded import term_refused
from elections.models import Candidacy, Contest, Election, Office, RoleGrant, Term
from elections.selectors import offices_without_candidates, voting_blocked_because
from elections.services.nominations import candidacy_set_approved, slate_publish
from elections.services.results import results_publish
from elections.services.terms import term_add, term_change, term_delete
from gds_portal.adminsite import ReadOnlyAdminMixin
from gds_portal.offices import offices

FROZEN = (
    "Voting has opened and the voter roll is frozen, so nothing of this election can be "
    "changed any more: not its title, address (slug), announcement, windows, term, rules "
    "or offices. Hiding it or renaming it now would take the ballot away from members in "
    "mid-vote and break the links mailed to them."
)


SLATE_PUBLISHED = (
    "The slate is published, so the nomination window can no longer be changed: the "
    "committee approved the candidates' statements as they were when nominations closed, "
    "and reopening nominations would let candidates rewrite them after approval."
)
NOMINATION_WINDOW = ["nominations_open_at", "nominations_close_at"]


def _frozen(election) -> bool:
    return isinstance(election, Election) and election.roll_frozen_at is not None


def _report(modeladmin, request, action, done=None) -> None:
    """Run `action`; say why if it was refused, else `done(result)` if given (every
    action says what it did: outside probe 2, F6)."""
    try:
        result = action()
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        modeladmin.message_user(request, text, messages.ERROR)
    else:
        if done is not None:
            modeladmin.message_user(request, done(result), messages.SUCCESS)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "seats", "role_list", "order"]
    search_fields = ["name"]
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "order", "seats", "roles", "description"]

    def _guarded(self, obj) -> bool:
        return isinstance(obj, Office) and bool(offices.guarded(obj.slug))

    def get_readonly_fields(self, request, obj=None):
        # Another app finds an office that gives access by its slug (the ombudsman's):
        # renamed, it would leave its record behind and a new office could take the
        # slug with a backdated term. Its seat count is the app's rule (one holder).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug", "seats"] if self._guarded(obj) else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self._guarded(obj) else super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._guarded(obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="roles")
    def role_list(self, obj):
        return ", ".join(obj.roles) or "—"


class TermAdminForm(forms.ModelForm):
    # The rules of an office that gives access (elections.guarded) are checked by
    # Term.clean, which the form runs: the add form, the change form and the services
    # answer alike.
    class Meta:
        model = Term
        fields = ["office", "person", "title", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        office, person = cleaned.get("office"), cleaned.get("person")
        changed = self.instance.pk is None or "person" in self.changed_data
        if office is None or person is None or not changed or not offices.guarded(office.slug):
            return cleaned
        # Two profiles with one name: the record and the holder's mail would read
        # like a re-appointment of the other one. Refused until one is renamed.
        twins = Person.objects.filter(name__iexact=person.name).exclude(pk=person.pk)
        if twins.exists():
            raise forms.ValidationError(
                f"Another profile is also named {person.name}: rename one of them first "
                "(a superuser can), so that the record of who held this office says "
                "which person it names."
            )
        return cleaned


ADD_WARNING = (
    "For an office that gives access (the ombudsman's), saving a term appoints its "
    "person from the first day, which cannot be before today nor more than a year "
    "ahead, and ends the term under way the day before. Until that first day the new "
    "term can be corrected or deleted (the ended term gets its last day back); once "
    "it has started it is the record of who had access. The office's holder is told "
    "at once."
)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Terms of office. An office that gives access (gds_portal.offices.guard: the
    ombudsman's) keeps its terms as a record of who had access (elections.guarded):
    a term that has ended is frozen, a term under way may only be ended (today or
    later), a term that has not started may be corrected or deleted; a new one starts
    today or later, after the latest, and ends the one under way."""

    form = TermAdminForm
    list_display = ["holder", "office", "label", "starts_on", "ends_on", "is_current_now"]
    list_filter = ["office"]
    list_select_related = ["office", "person__user"]
    search_fields = ["person__name"]
    ordering = ["office__order", "-starts_on"]
    raw_id_fields = ["person"]
    fields = ["office", "person", "title", "starts_on", "ends_on", "election"]
    readonly_fields = ["election"]

    def _guarded(self, obj) -> bool:
        return isinstance(obj, Term) and bool(offices.guarded(obj.office.slug))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": self.fields, "description": ADD_WARNING})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self._guarded(obj):
            return fields
        # As stored: a form that failed validation has already set its values on obj.
        starts_on, ends_on = Term.objects.values_list("starts_on", "ends_on").get(pk=obj.pk)
        today = timezone.localdate()
        if ends_on is not None and ends_on < today:
            return [*fields, "office", "person", "title", "starts_on", "ends_on"]
        if starts_on <= today:
            return [*fields, "office", "person", "starts_on"]
        return [*fields, "office"]

    def has_delete_permission(self, request, obj=None):
        if self._guarded(obj) and term_refused(obj, deleting=True):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            term_change(term=obj, by=request.user)
            return
        # The form checked the rules; the service ends the term under way.
        term_add(term=obj, by=request.user)
        ended = Term.objects.filter(ended_by=obj).select_related("person", "office")
        for term in ended:
            last = date_format(term.ends_on) if term.ends_on else ""
            self.message_user(
                request,
                f"Saving this term ended the term under way: {term.person_name} "
                f"({term.label}, from {date_format(term.starts_on)}) now ends on {last}.",
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        term_delete(term=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # Latest first: a later term must go before the one it follows.
        for term in queryset.select_related("office", "person").order_by("-starts_on"):
            term_delete(term=term, by=request.user)

    @admin.display(description="person", ordering="person__name")
    def holder(self, obj):
        return obj.person_name

    @admin.display(description="current", boolean=True)
    def is_current_now(self, obj):
        return obj.is_current()


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Remove this office"


class ContestInline(admin.TabularInline):
    model = Contest
    formset = LabelledInlineFormSet
    extra = 1
    fields = ["order", "office", "seats", "rule", "max_marks"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Tabular inlines name their inputs only in the column headers.
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    form = ElectionAdminForm
    inlines = [ContestInline]
    list_display = ["title", "phase_label", "voting_open_at", "roll_size", "ballot_count", "links"]
    list_filter = ["is_announced"]
    search_fields = ["title"]
    ordering = ["-voting_open_at"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_slate", "publish_results"]
    readonly_fields = [
        "slate_approved_at",
        "roll_frozen_at",
        "roll_size",
        "first_reminder_at",
        "sealed_at",
        "counted_at",
        "ballot_count",
        "ballot_hash",
        "results_published_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "description",
                    "is_announced",
                    "tracker_policy",
                    "tie_rule",
                ]
            },
        ),
        (
            "Windows and eligibility",
            {
                "fields": [
                    "nominations_open_at",
                    "nominations_close_at",
                    "voting_open_at",
                    "voting_close_at",
                    "eligibility_cutoff",
                ]
            },
        ),
        ("The term being elected", {"fields": ["term_starts_on", "term_ends_on"]}),
        ("Progress (set by the portal)", {"fields": readonly_fields}),
    ]

    def has_change_permission(self, request, obj=None):
        # Once the roll is frozen nothing of the election may change: unticking
        # "announced" would hide the election and its ballot in mid-vote, a new slug
        # would break every mailed link, and the windows, rules and offices are the
        # rules of a vote under way (outside probe 2, F3). The page becomes read-only
        # and Django refuses a POST to it; the list's actions (publish the slate or
        # the results) ask for change permission without an election and still run.
        if obj is not None and obj.roll_frozen_at:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and (election := self.get_object(request, object_id)):
            self._warn_about_the_slate(request, election)
            if election.roll_frozen_at:
                self.message_user(request, FROZEN, messages.INFO)
            elif election.slate_approved_at:
                self.message_user(request, SLATE_PUBLISHED, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def _warn_about_the_slate(self, request, election: Election) -> None:
        """Once nominations close, say what would keep voting from opening (roll_freeze)."""
        if election.roll_frozen_at or timezone.now() < election.nominations_close_at:
            return
        opens = date_format(timezone.localtime(election.voting_open_at), "j F Y, H:i e")
        if reason := voting_blocked_because(election):
            when = "was due to open" if election.voting_open_at <= timezone.now() else "opens"
            self.message_user(
                request,
                f"Voting {when} on {opens}, but it will not open: {reason}. Put the accepted "
                "candidates on the slate (Candidacies) and run “Publish the slate”; the slate "
                "can only be published before voting opens, so first move the voting window "
                "later if it has begun.",
                messages.WARNING,
            )
        if empty := offices_without_candidates(election):
            self.message_user(
                request,
                f"Nobody is on the slate for {', '.join(empty)}: such an office is counted "
                "with no winner. Remove it from the offices to fill if that is not wanted.",
                messages.WARNING,
            )

    def get_inlines(self, request, obj):
        # Once the roll is frozen the offices are shown as text (offices_fixed): a
        # read-only inline table would carry empty column headers for screen readers.
        return [] if _frozen(obj) else self.inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if _frozen(obj):
            return [*fieldsets, ("Offices to fill (fixed)", {"fields": ["offices_fixed"]})]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if _frozen(obj):
            return [*fields, "offices_fixed"]
        if isinstance(obj, Election) and obj.slate_approved_at:
            # Shown, not editable: the form leaves them out, so a POST cannot move them
            # (SLATE_PUBLISHED says why on the page).
            return [*fields, *NOMINATION_WINDOW]
        return fields

    @admin.display(description="offices to fill")
    def offices_fixed(self, obj):
        return "; ".join(
            f"{c}: {c.get_rule_display()}" for c in obj.contests.select_related("office")
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting an election whose roll is frozen would delete its roll and ballots.
        if obj is not None and obj.roll_frozen_at:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, where allowed (above)
        return actions

    @admin.display(description="phase")
    def phase_label(self, obj):
        return obj.get_phase_display()

    @admin.display(description="pages")
    def links(self, obj):
        return format_html(
            '<a href="{}">Election page</a> · <a href="{}">Results</a> · '
            '<a href="{}?contest__election__id__exact={}">Candidacies</a>',
            obj.get_absolute_url(),
            reverse("elections:results", kwargs={"slug": obj.slug}),
            reverse("admin:elections_candidacy_changelist"),
            obj.pk,
        )

    @admin.action(description="Publish the slate of the selected elections", permissions=["change"])
    def publish_slate(self, request, queryset):
        for election in queryset:
            _report(
                self,
                request,
                lambda e=election: slate_publish(election=e, by=request.user),
                lambda _, e=election: (
                    f"{e}: the slate is published; members see it on the election page."
                ),
            )

    @admin.action(
        description="Publish the results (creates the winners' terms)", permissions=["change"]
    )
    def publish_results(self, request, queryset):
        for election in queryset:
            _report(
                self,
                request,
                lambda e=election: results_publish(election=e, by=request.user),
                lambda terms, e=election: (
                    f"{e}: the results are published, with "
                    f"{_count(len(terms), 'new term', 'new terms')} for the winners."
                ),
            )


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ["candidate", "contest", "election", "status", "is_approved", "nominations"]
    list_filter = ["status", "is_approved", "contest__election"]
    list_select_related = ["user", "person", "contest__office", "contest__election"]
    search_fields = ["user__full_name"]
    ordering = ["contest__election", "contest__order", "pk"]
    actions = ["approve", "remove_from_slate"]
    fields = ["contest", "candidate", "status", "statement", "photo", "is_approved", "answered_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # candidacies come from members' nominations

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="candidate")
    def candidate(self, obj):
        return obj.name

    @admin.display(description="election")
    def election(self, obj):
        return obj.contest.election

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_nominations=Count("nominations"))

    @admin.display(description="nominations", ordering="n_nominations")
    def nominations(self, obj):
        return obj.n_nominations

    @admin.action(description="Put the selected on the slate", permissions=["change"])
    def approve(self, request, queryset):
        self._set_approved(request, queryset, approved=True)

    @admin.action(description="Take the selected off the slate", permissions=["change"])
    def remove_from_slate(self, request, queryset):
        self._set_approved(request, queryset, approved=False)

    def _set_approved(self, request, queryset, *, approved: bool) -> None:
        selected = list(queryset)
        unaccepted = sum(c.status != CandidacyStatus.ACCEPTED for c in selected)
        verb = "put on the slate" if approved else "taken off the slate"

        def done(changed: int) -> str:
            unchanged = len(selected) - unaccepted - changed
            text = f"{_count(changed, 'candidate', 'candidates')} {verb}."
            if unchanged:
                already = "on it already" if approved else "not on it"
                text += f" {_count(unchanged, 'was', 'were')} {already}."
            if unaccepted:
                were, it = (
                    ("was not an accepted candidate", "was")
                    if unaccepted == 1
                    else ("were not accepted candidates", "were")
                )
                text += f" {unaccepted} {were} (declined or not answered) and {it} left alone."
            return text

        _report(
            self,
            request,
            lambda: candidacy_set_approved(
                candidacies=selected, approved=approved, by=request.user
            ),
            done,
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log of the term sync (manage.py sync_office_roles): read only."""

    list_display = ["user", "role", "term", "granted_on", "withdrawn_on", "held_before"]
    list_filter = ["role"]
    list_select_related = ["user", "term__office", "term__person__user"]
    ordering = ["-granted_on", "-pk"]
    fields = ["user", "role", "term", "granted_on", "withdrawn_on", "held_before"]
    readonly_fields = fields
