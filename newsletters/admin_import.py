"""Import a back issue in the admin: upload a zip, read the dry run, confirm.

The same importer as `manage.py import_issue` (newsletters/importer.py); the
upload is kept between the two steps by newsletters/import_uploads.py. Only the
newsletter editors (newsletters/rules.py) reach these pages.
"""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from newsletters.import_uploads import UploadGone, upload_discard, upload_load, upload_store
from newsletters.importer import (
    Action,
    ImportPlan,
    ImportProblems,
    apply_import,
    parse_files,
    plan_import,
    zip_files,
)

# An archive may be as large as the admin lets a request be (gds_portal/middleware.py).
MAX_ARCHIVE_BYTES = settings.UPLOAD_REQUEST_MAX_BYTES - settings.REQUEST_MAX_BYTES
# Sent by static/js/newsletters-import.js, which shows the upload's progress and then
# goes where the answer says; a plain form post (no JavaScript) is redirected instead.
PROGRESS_HEADER = "X-Upload-Progress"


class IssueImportForm(forms.Form):
    archive = forms.FileField(
        label="Archive (.zip)",
        help_text=(
            "A zip of issue.md, one Markdown file per article, and the cover image and "
            "PDF that issue.md names (see “Importing an issue” in the newsletter guide). "
            "Nothing is imported yet: the next page shows what would change."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(
                f"This archive is {archive.size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_ARCHIVE_BYTES / 1_048_576:.0f} MB."
            )
        if not zipfile.is_zipfile(archive):
            raise forms.ValidationError("This file is not a zip archive.")
        archive.seek(0)
        return archive


def _plan_rows(plan: ImportPlan) -> list[dict]:
    """The plan as table rows, the changes first."""
    order = [Action.CREATED, Action.CHANGED, Action.REMOVED, Action.UNCHANGED]
    changes = sorted(plan.changes, key=lambda change: order.index(change.action))
    return [
        {
            "what": change.what,
            "name": change.name,
            "filename": change.filename,
            "action": change.action,
            "fields": ", ".join(
                [field.replace("_", " ") for field in change.fields]
                + ([change.note] if change.note else [])
            ),
        }
        for change in changes
    ]


def _outcome(plan: ImportPlan) -> str:
    if plan.nothing_changed:
        return f"Nothing changed: “{plan.parsed.issue.title}” is as the archive has it."
    counts = ", ".join(
        f"{plan.count('article', action)} {action}"
        for action in (Action.CREATED, Action.CHANGED, Action.UNCHANGED, Action.REMOVED)
    )
    return f"Imported “{plan.parsed.issue.title}”. Articles: {counts}."


class IssueImportAdminMixin:
    """The import pages of the Issue admin, linked from its list (object tools)."""

    def get_urls(self):
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        own = [
            path("import/", view(self.import_view), name="newsletters_issue_import"),
            path(
                "import/<str:token>/",
                view(self.import_preview_view),
                name="newsletters_issue_import_preview",
            ),
        ]
        return own + super().get_urls()  # type: ignore[misc]

    def changelist_view(self, request, extra_context=None):
        can_import = request.user.has_perm("newsletters.import_issue")
        extra_context = {**(extra_context or {}), "can_import": can_import}
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    def _import_context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.opts,  # type: ignore[attr-defined]
            "title": title,
        }

    def import_view(self, request):
        """Step 1: upload the archive; it is stored and the dry run shown next."""
        if not request.user.has_perm("newsletters.import_issue"):
            raise PermissionDenied
        form = IssueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = upload_store(data=form.cleaned_data["archive"].read(), user=request.user)
            preview = reverse("admin:newsletters_issue_import_preview", args=[token])
            if request.headers.get(PROGRESS_HEADER):
                return JsonResponse({"next": preview})
            return redirect(preview)
        context = {
            **self._import_context(request, "Import a back issue"),
            "form": form,
            "max_mb": f"{MAX_ARCHIVE_BYTES / 1_048_576:.0f}",
        }
        return TemplateResponse(request, "admin/newsletters/issue/import.html", context)

    def _archive(self, request, token: str) -> bytes:
        if not request.user.has_perm("newsletters.import_issue"):
            raise PermissionDenied
        try:
            return upload_load(token=token, user=request.user)
        except UploadGone:
            raise Http404("This upload has expired or is not yours; upload it again.") from None

    def import_preview_view(self, request, token: str):
        """Step 2: the dry run (GET) and its confirmation (POST)."""
        if request.method == "POST":
            return self._confirm(request, token)
        data = self._archive(request, token)
        try:
            parsed = parse_files(zip_files(io.BytesIO(data)))
            plan = plan_import(parsed)
        except ImportProblems as problems:
            return self._preview(request, token, problems=problems.problems)
        return self._preview(request, token, plan=plan)

    def _confirm(self, request, token: str):
        """Apply the upload once: the first of two presses at once claims it (a lock on the
        token held until the import commits), the second finds it gone and is told so."""
        if not request.user.has_perm("newsletters.import_issue"):
            raise PermissionDenied
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"newsletters.upload:{token}"]
                )
            try:
                data = upload_load(token=token, user=request.user)
            except UploadGone:
                raise Http404(
                    "This upload was already imported, has expired or is not yours: "
                    "nothing more was done."
                ) from None
            try:
                parsed = parse_files(zip_files(io.BytesIO(data)))
                plan = apply_import(parsed, by=request.user, reason="Imported in the admin")
            except ImportProblems:
                raise PermissionDenied from None  # the page offered no confirmation
            upload_discard(token=token, user=request.user)
        self.message_user(request, _outcome(plan), messages.SUCCESS)  # type: ignore[attr-defined]
        return redirect("admin:newsletters_issue_change", plan.issue.pk)  # type: ignore[union-attr]

    def _preview(self, request, token: str, *, plan=None, problems=()):
        context = {
            **self._import_context(request, "Import a back issue: what would change"),
            "token": token,
            "plan": plan,
            "rows": _plan_rows(plan) if plan else [],
            "problems": problems,
        }
        return TemplateResponse(request, "admin/newsletters/issue/import_preview.html", context)
