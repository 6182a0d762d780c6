"""The executive committee's admin for the office: who is the ombudsman, from when.

Concerns, replies, the access log and the form tokens have no admin at all, on
purpose: the admin is not a way for a superuser, staff or the committee to reach a
concern (docs/ombudsman.md; tests/ombudsman/test_confidentiality.py holds it).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from ombudsman.models import OmbudsmanAssignment
from ombudsman.services import ombudsman_assign


class AssignmentAddForm(forms.ModelForm):
    class Meta:
        model = OmbudsmanAssignment
        fields = ["holder", "starts_on"]

    def clean(self):
        cleaned = super().clean()
        current = OmbudsmanAssignment.objects.filter(ends_on__isnull=True).first()
        starts_on = cleaned.get("starts_on")
        if current and starts_on and starts_on <= current.starts_on:
            raise ValidationError(
                f"The current ombudsman started on {current.starts_on:%d %B %Y}; "
                "the next one must start after that (the current term then ends the day before)."
            )
        return cleaned


@admin.register(OmbudsmanAssignment)
class OmbudsmanAssignmentAdmin(admin.ModelAdmin):
    list_display = ["holder", "starts_on", "ends_on", "assigned_by"]
    list_select_related = ["holder", "assigned_by"]
    list_filter = [("ends_on", admin.EmptyFieldListFilter)]
    ordering = ["-starts_on"]
    raw_id_fields = ["holder"]
    readonly_fields = ["holder", "starts_on", "assigned_by", "created_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AssignmentAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Adding names the holder; afterwards only the end of the term can change.
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["holder", "starts_on"]
        return ["holder", "starts_on", "ends_on", "assigned_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The form checked the start date; the service ends the current term.
        made = ombudsman_assign(holder=obj.holder, starts_on=obj.starts_on, by=request.user)
        obj.pk = made.pk

    def has_delete_permission(self, request, obj=None):
        # The assignments are the office's history: end one, never delete it.
        return False
