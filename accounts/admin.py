from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst

from accounts.identity import refuse_lookalike, refuse_unusual
from accounts.models import User
from accounts.protection import private_on_deletion, protected_accounts
from gds_portal.offices import offices


class AddressChecks:
    """The admin enters addresses too: the same rules as sign-up and email change.

    A new or changed address must not use look-alike spellings; any address must
    not be another account's in any spelling, or read the same as one. The second
    check runs on every save, also when the address is unchanged: an account that
    lost its address to an older one (migration 0004) cannot be saved until it is
    given its own, instead of failing on the unique constraint.
    """

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if "email" in self.changed_data:
            refuse_unusual(email)
        refuse_lookalike(email, exclude_pk=self.instance.pk)
        return User.objects.normalize_email(email)


class UserCreationForm(AddressChecks, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserEditForm(AddressChecks, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "affiliation", "career_stage", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "career_stage"]
    search_fields = ["email", "full_name", "affiliation", "orcid", "aps_member_number"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profile",
            {"fields": User.PROFILE_FIELDS},
        ),
        ("Roles", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = ["groups"]

    # Only a superuser hands out power. A committee member given `change_user` (to fix
    # names, say) must not make anyone, itself included, staff, superuser or a role
    # holder, nor edit a superuser's account: its password or email is a way in.
    role_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]

    # What would hand a protected account (accounts/protection.py) to someone else, or
    # shut its holder out: refused for every admin user, superusers included.
    protected_fields = ["email", "is_active", *role_fields]

    def _protected(self, obj) -> str | None:
        return protected_accounts.reason_for(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._protected(obj):
            return [*fields, *[f for f in self.protected_fields if f not in fields]]
        if request.user.is_superuser:
            return fields
        return [*fields, *self.role_fields]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if reason := self._protected(obj):
            messages.warning(request, self._refusal(reason))
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        obj = self.get_object(request, id)
        if reason := self._protected(obj):
            messages.error(request, self._refusal(reason))
            return redirect(reverse("admin:accounts_user_change", args=[obj.pk]))
        return super().user_change_password(request, id, form_url)

    @staticmethod
    def _refusal(reason: str) -> str:
        return (
            f"This account belongs to {reason}. Its password, email address, active flag, "
            "groups and powers cannot be changed here, by anyone: whoever could set them "
            "could sign in as its holder. The holder changes their own password and "
            "address on the site, signed in."
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        if self._protected(obj) or (obj is not None and offices.guarded_record_of(obj.pk)):
            # An account that holds or ever held an office that gives access (the
            # ombudsman's) is named by its record and its access log: deleting it
            # would erase who had access and free its profile for another account.
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk action's confirmation page already lists such accounts as not
        # deletable (has_delete_permission per object); this is the second lock.
        for user in queryset:
            if reason := self._protected(user) or offices.guarded_record_of(user.pk):
                raise PermissionDenied(f"{user.email} cannot be deleted ({reason}).")
        super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request):
        return _without_private_rows(super().get_deleted_objects(objs, request))


def _without_private_rows(deleted: tuple) -> tuple:
    """Django's deletion summary without the rows of `private_on_deletion` models: not
    listed, not counted, and no permission asked for them (their admins are read-only,
    so Django would refuse the deletion and say why). They still go with the account:
    the user's `delete()` cascades in the database whatever this page shows."""
    to_delete, counts, perms_needed, protected = deleted
    models = private_on_deletion.models()
    names = {str(model._meta.verbose_name) for model in models}
    plurals = {str(model._meta.verbose_name_plural) for model in models}
    prefixes = tuple(f"{capfirst(name)}: " for name in names)
    counts = {name: n for name, n in counts.items() if name not in plurals}
    perms_needed = {name for name in perms_needed if name not in names}
    return _drop_rows(to_delete, prefixes), counts, perms_needed, protected


def _drop_rows(items: list, prefixes: tuple[str, ...]) -> list:
    kept: list = []
    for item in items:
        if isinstance(item, list):
            kept.append(_drop_rows(item, prefixes))
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return [item for item in kept if item != []]


# --- allauth's addresses --------------------------------------------------------------


class EmailAddressForm(forms.ModelForm):
    """An address may not be added to, or moved onto, a protected account: a verified
    address is a way in (password reset mails it)."""

    class Meta:
        model = EmailAddress
        fields = ["user", "email", "verified", "primary"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if reason := protected_accounts.reason_for(user):
            raise forms.ValidationError(_refusal(reason))
        return user


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(BaseEmailAddressAdmin):
    """allauth's admin, with the user admin's protection (accounts/protection.py): a
    protected account's addresses cannot be added, changed, verified or deleted here, by
    anyone, superusers included. Adding a verified address would let its owner reset
    the holder's password; unverifying or deleting theirs would shut them out."""

    form = EmailAddressForm

    def has_change_permission(self, request, obj=None):
        if obj is not None and protected_accounts.reason_for(obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Also asked per row by the bulk deletion (get_deleted_objects), which then refuses.
        if obj is not None and protected_accounts.reason_for(obj.user):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and (reason := protected_accounts.reason_for(obj.user)):
            messages.warning(request, _refusal(reason))
        return super().change_view(request, object_id, form_url, extra_context)

    def make_verified(self, request, queryset) -> None:
        rows = list(queryset.select_related("user"))
        refused = [row for row in rows if protected_accounts.reason_for(row.user)]
        if refused:
            reason = protected_accounts.reason_for(refused[0].user) or ""
            self.message_user(request, _refusal(reason), level=messages.ERROR)
            return
        super().make_verified(request, queryset)

    make_verified.short_description = BaseEmailAddressAdmin.make_verified.short_description  # type: ignore[attr-defined]


def _refusal(reason: str) -> str:
    return UserAdmin._refusal(reason)
