"""The newsletter editors' workspace: issues with their articles, bylines and references."""

import rules
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from gds_portal.adminsite import ReadOnlyAdminMixin
from gds_portal.history import status_history_table
from gds_portal.markdown import render_citing_markdown
from gds_portal.uploads import clean_image, clean_pdf
from newsletters import selectors
from newsletters.admin_import import IssueImportAdminMixin
from newsletters.admin_revisions import RevisionAdminMixin
from newsletters.enums import ArticleState, IssueStatus
from newsletters.figures import figure_names_in, missing_figures_error
from newsletters.models import (
    Article,
    Authorship,
    Figure,
    Issue,
    IssueAnnouncement,
    Reference,
    Subscriber,
)
from newsletters.services import (
    PublishError,
    ReviewError,
    article_approve,
    article_return_to_draft,
    article_submit,
    issue_publish,
    issue_unpublish,
)


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes carry no <label>; name them for screen readers."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Publication date"
        self.widgets[1].attrs["aria-label"] = "Publication time"


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = [
            "title",
            "slug",
            "season",
            "year",
            "volume",
            "number",
            "summary",
            "cover",
            "pdf",
            "published_at",
        ]
        widgets = {"published_at": LabelledSplitDateTime}

    def clean_published_at(self):
        published_at = self.cleaned_data.get("published_at")
        if published_at is None and self.instance.status != IssueStatus.DRAFT:
            raise forms.ValidationError(
                "A published or scheduled issue needs its publication time. "
                "To take the issue off the site, use the “Unpublish” action instead."
            )
        return published_at

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            return clean_image(cover, max_side=1200)
        return cover

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and hasattr(pdf, "content_type"):
            return clean_pdf(pdf)
        return pdf


class ArticleInlineForm(forms.ModelForm):
    """An article edited in its issue's page: its figures are on the article's own page,
    so a figure name in the body must name one already saved there."""

    class Meta:
        model = Article
        fields = ["order", "kind", "title", "slug", "standfirst", "body"]

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        names = figure_names_in(body)
        if names:
            figures = self.instance.figures if self.instance.pk else Figure.objects.none()
            stored = set(figures.values_list("slug", flat=True))
            error = missing_figures_error(names - stored)
            if error:
                raise forms.ValidationError(error)
        return body


class ArticleInline(admin.StackedInline):
    model = Article
    form = ArticleInlineForm
    extra = 0
    fields = [("order", "kind"), ("title", "slug"), "standfirst", "body", "authors_link"]
    readonly_fields = ["authors_link"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["order", "id"]
    show_change_link = True

    @admin.display(description="authors and references")
    def authors_link(self, obj):
        if obj.pk is None:
            return "Save the issue first, then add authors and references on the article's page."
        url = reverse("admin:newsletters_article_change", args=[obj.pk])
        return format_html('<a href="{}">Edit authors and references</a>', url)


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return IssueStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == IssueStatus.PUBLISHED:
            return queryset.visible()
        if value == IssueStatus.SCHEDULED:
            return queryset.filter(status__in=[IssueStatus.SCHEDULED]).exclude(
                pk__in=queryset.visible()
            )
        if value == IssueStatus.DRAFT:
            return queryset.filter(status=IssueStatus.DRAFT)
        return queryset


@admin.register(Issue)
class IssueAdmin(IssueImportAdminMixin, RevisionAdminMixin, SimpleHistoryAdmin):
    form = IssueForm
    list_display = [
        "title",
        "year",
        "season",
        "state",
        "published_at",
        "article_count",
        "site_link",
    ]
    list_filter = [StateFilter, "year", "season"]
    search_fields = ["title", "slug", "summary", "articles__title"]
    ordering = ["-year", "-published_at"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["state", "site_link", "publication_history"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("season", "year"), ("volume", "number"), "summary"]}),
        ("Printed edition", {"fields": ["cover", "pdf"]}),
        ("Publication", {"fields": ["state", "published_at", "site_link"]}),
        ("Publication history", {"fields": ["publication_history"]}),
    ]
    inlines = [ArticleInline]
    # Each revision links to a comparison with the one before (RevisionAdminMixin), which
    # restores the title, address, season, text and files, never the status or publication time.
    history_list_display = ["status", "compare_link"]
    actions = ["publish", "unpublish"]
    date_hierarchy = "published_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="state")
    def state(self, obj):
        return obj.state_label

    @admin.display(description="status changes")
    def publication_history(self, obj):
        if obj.pk is None:
            return "—"
        return status_history_table(obj, extra={"Publication time": lambda v: v.published_at})

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    @admin.display(description="on the site")
    def site_link(self, obj):
        if obj.pk is None:
            return "—"
        if obj.is_visible:
            return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())
        return format_html('<a href="{}">Preview</a>', obj.get_preview_url())

    def has_publish_permission(self, request):
        return request.user.has_perm("newsletters.publish_issue")

    @admin.action(
        description="Publish selected issues (at their publication time, or now)",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        for issue in queryset:
            try:
                issue = issue_publish(issue=issue, by=request.user)
            except PublishError as error:
                self.message_user(request, error.message, messages.ERROR)
                continue
            if issue.status == IssueStatus.SCHEDULED:
                when = issue.published_at.strftime("%d %B %Y, %H:%M %Z")
                self.message_user(request, f"“{issue}” is scheduled for {when}.", messages.SUCCESS)
            else:
                self.message_user(request, f"“{issue}” is published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected issues (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        for issue in queryset:
            issue_unpublish(issue=issue, by=request.user)
        self.message_user(request, f"{len(queryset)} issue(s) are drafts again.", messages.SUCCESS)


class LabelledTabularInline(admin.TabularInline):
    """Tabular inlines name their inputs only in the column headers; label each input too."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield


class AuthorshipInline(LabelledTabularInline):
    model = Authorship
    extra = 1
    fields = ["order", "person", "role"]
    autocomplete_fields = ["person"]
    ordering = ["order", "id"]


class ReferenceInline(admin.StackedInline):
    # Stacked: with the fields for the citation downloads a reference is too wide a row.
    model = Reference
    extra = 0
    fieldsets = [
        (None, {"fields": ["order", "citation", ("doi", "url")]}),
        (
            "For the BibTeX and RIS downloads (offered where there is a DOI)",
            {"fields": ["authors", "title", ("journal", "volume", "pages", "year")]},
        ),
    ]
    ordering = ["order", "id"]


class FigureForm(forms.ModelForm):
    class Meta:
        model = Figure
        fields = ["slug", "image", "alt", "caption"]
        widgets = {"caption": forms.TextInput(attrs={"size": 60})}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            # The portal's one image check: real image data, re-encoded without EXIF.
            return clean_image(image, max_side=1600)
        return image


class FigureFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Every `![fig:name]` in the article's body (as just edited: the admin builds the
        formsets on the unsaved article) names one of the figures that will be kept."""
        super().clean()
        kept = {
            form.cleaned_data["slug"]
            for form in self.forms
            if form.cleaned_data.get("slug") and not form.cleaned_data.get("DELETE")
        }
        error = missing_figures_error(figure_names_in(self.instance.body or "") - kept)
        if error:
            raise forms.ValidationError(error)


class FigureInline(admin.StackedInline):
    model = Figure
    form = FigureForm
    formset = FigureFormSet
    extra = 0
    fields = [("slug", "image"), "alt", "caption", "size"]
    readonly_fields = ["size"]
    ordering = ["slug"]

    @admin.display(description="size in pixels")
    def size(self, obj):
        return f"{obj.width} by {obj.height}" if obj.pk else "—"


@admin.register(Article)
class ArticleAdmin(RevisionAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "issue", "kind", "order", "state", "author_names", "site_link"]
    list_filter = ["state", "kind", "issue"]
    list_select_related = ["issue"]
    search_fields = ["title", "standfirst", "body", "authorships__person__name", "issue__title"]
    ordering = ["-issue__year", "issue", "order"]
    autocomplete_fields = ["issue"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "issue",
        ("order", "kind"),
        ("title", "slug"),
        "standfirst",
        "body",
        "review",
        "site_link",
    ]
    readonly_fields = ["review", "site_link"]
    inlines = [AuthorshipInline, ReferenceInline, FigureInline]
    change_form_template = "admin/newsletters/article/change_form.html"
    actions = ["submit_for_review", "approve"]
    # The change form's review buttons: the name posted → the service and what it says.
    REVIEW_STEPS = {
        "_submit_review": (article_submit, "is submitted for review"),
        "_approve": (article_approve, "is approved"),
        "_return_draft": (article_return_to_draft, "is a draft again"),
    }

    class Media:
        js = ["js/article-preview.js"]
        css = {"all": ["css/article-preview.css"]}

    @admin.display(description="review")
    def review(self, obj):
        if obj.pk is None:
            return "Draft (a new article)"
        if obj.state == ArticleState.IN_REVIEW and obj.submitted_by is not None:
            state = f"In review, submitted by {obj.submitted_by}"
        else:
            state = obj.get_state_display()
        if obj.state != ArticleState.APPROVED and obj.issue.status != IssueStatus.DRAFT:
            # Readers see approved articles only (ArticleQuerySet.visible).
            return (
                f"{state}. Its issue is {obj.issue.get_status_display().lower()}: this "
                "article is hidden from readers until it is approved."
            )
        return state

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        user = request.user
        context["review_buttons"] = [
            (name, label)
            for name, label, state, perm in [
                ("_submit_review", "Save and submit for review", ArticleState.DRAFT, "submit"),
                ("_approve", "Save and approve", ArticleState.IN_REVIEW, "approve"),
                ("_return_draft", "Save and return to draft", ArticleState.IN_REVIEW, "return"),
                ("_return_draft", "Save and return to draft", ArticleState.APPROVED, "return"),
            ]
            if obj is not None
            and obj.state == state
            and rules.has_perm(f"newsletters.{perm}_article", user, obj)
        ]
        preview_url = reverse("admin:newsletters_article_preview")
        context["preview_url"] = f"{preview_url}?article={obj.pk}" if obj else preview_url
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def response_change(self, request, obj):
        for name, (step, done) in self.REVIEW_STEPS.items():
            if name in request.POST:
                try:
                    step(article=obj, by=request.user)
                except (ReviewError, PermissionDenied) as error:
                    # The form was saved before the step was tried: say so.
                    message = getattr(error, "message", None) or str(error)
                    self.message_user(
                        request, f"{message} Your changes were saved.", messages.ERROR
                    )
                else:
                    self.message_user(request, f"“{obj}” {done}.", messages.SUCCESS)
                return redirect("admin:newsletters_article_change", obj.pk)
        return super().response_change(request, obj)

    def _review_action(self, request, queryset, step, done):
        for article in queryset:
            try:
                step(article=article, by=request.user)
            except (ReviewError, PermissionDenied) as error:
                message = getattr(error, "message", None) or str(error)
                self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, f"“{article}” {done}.", messages.SUCCESS)

    @admin.action(description="Submit selected articles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._review_action(request, queryset, article_submit, "is submitted for review")

    @admin.action(description="Approve selected articles", permissions=["change"])
    def approve(self, request, queryset):
        self._review_action(request, queryset, article_approve, "is approved")

    def preview_view(self, request):
        """The body rendered as readers will see it (the one renderer, the same sanitised
        HTML), for the pane beside the editor; with the saved figures of `?article=`.
        A fragment for the page's script; a whole page when posted without JavaScript."""
        if request.method != "POST":
            return redirect("admin:newsletters_article_changelist")
        if not request.user.has_perm("newsletters.preview_article_body"):
            raise PermissionDenied
        article = None
        article_id = request.GET.get("article", "")
        if article_id.isdigit():
            article = Article.objects.filter(pk=article_id).first()
        figures = list(article.figures.all()) if article else []
        n_references = article.references.count() if article else 0
        body = render_citing_markdown(
            request.POST.get("body", ""),
            reference_count=n_references,
            figures=selectors.figure_images(figures),
            show_missing_figures=True,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Preview",
            "article": article,
            "body": body,
        }
        if request.headers.get("X-Preview") == "fragment":
            return TemplateResponse(request, "admin/newsletters/article/preview_pane.html", context)
        return TemplateResponse(request, "admin/newsletters/article/preview.html", context)

    # The history page lists every revision (who, when, what) with a link to compare it
    # with the one before; the comparison page offers to restore the older one.
    history_list_display = ["compare_link"]

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{prefix}_preview",
            ),
        ]
        return own + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authorships__person")

    @admin.display(description="authors")
    def author_names(self, obj):
        return ", ".join(a.person.name for a in obj.authorships.all()) or "— none yet —"

    @admin.display(description="on the site")
    def site_link(self, obj):
        if obj.pk is None:
            return "—"
        if obj.issue.is_visible:
            return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())
        return format_html('<a href="{}">Preview</a>', obj.get_preview_url())


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "status",
        "kind",
        "user",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["email"]
    # The kind too: what a reader receives is theirs to choose (their subscription's page).
    readonly_fields = [
        "email",
        "user",
        "status",
        "kind",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]

    def has_add_permission(self, request):
        return False  # readers subscribe themselves (double opt-in); never added for them


@admin.register(IssueAnnouncement)
class IssueAnnouncementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log of announcement mails: written by the sending service."""

    read_only_deletable = True
    list_display = ["issue", "subscriber", "created_at"]
    list_filter = ["issue"]
    list_select_related = ["issue", "subscriber"]
    search_fields = ["subscriber__email"]
