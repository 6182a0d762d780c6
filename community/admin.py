from django.contrib import admin
from django.utils.html import format_html

from community.forms import PersonForm
from community.models import Person, Unit
from community.services import person_save


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm
    list_display = ["name", "affiliation", "position", "has_account", "public_page"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation", "email", "orcid"]
    list_filter = [("user", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "affiliation", "position", "bio", "photo"]}),
        ("Links", {"fields": ["website", "orcid", "email", "user"]}),
    ]

    def save_model(self, request, obj, form, change):
        person_save(person=obj)

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
