"""Revisions in the admin, for articles and issues alike: the history page links each
revision to a comparison with the one before; the comparison page offers to restore the
older one (a new revision, by whoever restored). What a revision holds, and who may
restore it, is the model's RevisionSpec (newsletters/revisions.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from newsletters.revisions import revision_changes, revision_of, revisions_of, spec_for
from newsletters.services import RestoreError, restore_revision


class RevisionAdminMixin:
    """For a SimpleHistoryAdmin of a model in newsletters.revisions.SPECS; put
    "compare_link" in its history_list_display."""

    def get_urls(self):
        # Before simple-history's "<id>/history/<version>/", which would take "compare".
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"  # type: ignore[attr-defined]
        own = [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name=f"{prefix}_restore",
            ),
        ]
        return own + super().get_urls()  # type: ignore[misc]

    def _admin_url(self, name: str, *args) -> str:
        opts = self.opts  # type: ignore[attr-defined]
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)

    @admin.display(description="compare")
    def compare_link(self, record):
        # Only the newer revision in the link: the comparison page finds the one before,
        # so the list costs no query per row.
        url = self._admin_url("compare", record.id)
        return format_html(
            '<a href="{}?new={}">Compare with the revision before</a>', url, record.history_id
        )

    def _revised_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is None:
            raise Http404(f"No such {spec_for(self.model).noun}.")  # type: ignore[attr-defined]
        if not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        return obj

    def compare_view(self, request, object_id):
        """Two revisions side by side, field by field; the older one can be restored."""
        obj = self._revised_object(request, object_id)
        spec = spec_for(obj)
        new_id, old_id = request.GET.get("new"), request.GET.get("old")
        new = revision_of(obj, new_id) if new_id else revisions_of(obj).first()
        if new is None:
            raise Http404(f"This {spec.noun} has no revisions yet.")
        old = revision_of(obj, old_id) if old_id else (new.prev_record or new)
        if (old.history_date, old.history_id) > (new.history_date, new.history_id):
            old, new = new, old  # always read from the older to the newer
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.opts,  # type: ignore[attr-defined]
            "title": f"Compare revisions of “{obj}”",
            "object": obj,
            "spec": spec,
            "old": old,
            "new": new,
            "changes": revision_changes(old, new),
            "can_restore": request.user.has_perm(spec.restore_perm, obj),
        }
        return TemplateResponse(request, "admin/newsletters/revision_compare.html", context)

    def restore_view(self, request, object_id, revision_id):
        obj = self._revised_object(request, object_id)
        if request.method != "POST":
            return redirect(self._admin_url("history", obj.pk))
        if not request.user.has_perm(spec_for(obj).restore_perm, obj):
            raise PermissionDenied
        revision = revision_of(obj, revision_id)
        try:
            restore_revision(obj=obj, revision=revision, by=request.user)
        except RestoreError as error:
            self.message_user(request, error.message, messages.ERROR)  # type: ignore[attr-defined]
        else:
            when = timezone.localtime(revision.history_date)
            self.message_user(  # type: ignore[attr-defined]
                request,
                f"Restored the revision of {when:%Y-%m-%d %H:%M:%S}; it is now the newest.",
                messages.SUCCESS,
            )
        return redirect(self._admin_url("history", obj.pk))
