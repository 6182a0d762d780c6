from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from community.forms import PersonForm
from community.models import Person, Unit
from community.photos import build_photo_sizes
from community.services import person_edit_announce, person_link_account, person_save
from gds_portal.offices import offices


def may_link_accounts(request) -> bool:
    return request.user.has_perm("community.link_person_account")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    """Committees edit profiles; only the executive committee or a superuser links accounts.

    Past versions are for reading (the admin site makes every history read-only):
    reverting would restore an old account link too."""

    form = PersonForm
    list_display = ["name", "affiliation", "position", "has_account", "public_page"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation", "email", "orcid"]
    list_filter = [("user", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["user"]
    history_list_display = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "affiliation", "position", "bio", "photo"]}),
        ("Links", {"fields": ["website", "orcid", "email", "user"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Read-only means the admin's form has no such field: a posted value is ignored.
        readonly = list(super().get_readonly_fields(request, obj))
        if (
            obj is not None
            and not request.user.is_superuser
            and offices.appointing_offices_of(obj.pk)
        ):
            # The holder or an appointee of an office that gives access: their public
            # profile is where reporters are sent (its address, website, bio), so only
            # a superuser edits any of it, and each edit is told to the office.
            return [f for _, opts in self.fieldsets for f in opts["fields"]]
        guarded = obj is not None and offices.guarded_offices_of(obj.pk)
        if guarded and not request.user.is_superuser:
            # A holder of an office that gives access (the ombudsman's): their name is
            # how members and the record tell who held it, so only a superuser changes
            # it (a committee could otherwise rename the ombudsman).
            readonly.append("name")
        return readonly if may_link_accounts(request) else [*readonly, "user"]

    def save_model(self, request, obj, form, change):
        wanted = obj.user
        relink = "user" in form.changed_data
        if relink:
            obj.user_id = form.initial.get("user")  # what is stored; the link comes next
        obj._history_user = request.user
        person_save(person=obj)
        if change:
            edited = [f for f in form.changed_data if f != "user"]
            was_named = form.initial.get("name", "") if "name" in edited else ""
            person_edit_announce(person=obj, fields=edited, by=request.user, was_named=was_named)
        if "photo" in form.changed_data and obj.photo:
            build_photo_sizes(obj.photo)  # the fixed sizes pages show (community/photos.py)
        if relink:
            try:
                person_link_account(person=obj, user=wanted, by=request.user)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)

    @admin.display(boolean=True, description="account")
    def has_account(self, obj):
        return obj.user_id is not None

    @admin.display(description="page")
    def public_page(self, obj):
        return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
