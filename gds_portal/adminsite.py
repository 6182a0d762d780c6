"""The admin site every ModelAdmin registers on, and the URL-lookup allowlist it enforces.

Django's admin accepts a query-string lookup on any local field of a model
(`?body_text__regex=^https://…/reset/a`), so the changelist's count is an oracle
for fields the admin never shows: a password-reset link was recovered that way in
~255 requests. Here every ModelAdmin accepts only the URL parameters its own
filters put in a URL:

- the parameters of its list filters (`get_list_filter(request)`): a
  SimpleListFilter's `parameter_name`, and exactly the parameters Django's field
  filters write for the declared field path (`status__exact`, `user__id__exact`,
  `created_at__gte` …, never `status__regex` or `user__password__startswith`);
- its `date_hierarchy` drill-down (`<field>__year`, `__month`, `__day`);
- the `limit_choices_to` lookups of a raw-id popup (Django's own rule, value-bound).

The admin's own parameters (`p`, `o`, `q`, `all`, `e`, `_popup`, `_to_field`,
`_facets`) never reach `lookup_allowed`: the changelist strips them first, and
`_to_field` has its own check (`to_field_allowed`).

Anything else is refused with Django's DisallowedModelAdminLookup: a 400 answered
before any query runs, so the response is the same whatever the data holds. A
400 rather than silently dropping the parameter, because a silently ignored
filter shows an unfiltered list that a committee member would read as the
filtered one. An admin may narrow further in its own `lookup_allowed` (the
allowlist is asked first, then the admin's own rule); it cannot widen.

The site also keeps django-simple-history's past versions read-only
(`PastVersionsReadOnlyMixin`): its version page saves the old version back on any
POST, after asking only for *view* permission, so a committee member who may only
read an abstract could put its decision back to "submitted", and a nomination or
an issue could change status without its service.

Why a site and not a mixin to remember: `PortalAdminSite.register` puts the
allowlist in front of whatever admin class is registered (ours, Django's auth
Group, flatpages, sites, allauth, axes, simple-history), and the read-only
history in front of every SimpleHistoryAdmin, so a new admin is safe the day it
is added. `check_every_admin_guarded` fails `manage.py check` (and therefore
start-up and the test run) if an admin reached a site some other way.
"""

from django.contrib import admin
from django.contrib.admin import sites
from django.contrib.admin.filters import (
    AllValuesFieldListFilter,
    BooleanFieldListFilter,
    ChoicesFieldListFilter,
    DateFieldListFilter,
    EmptyFieldListFilter,
    FieldListFilter,
    ListFilter,
    RelatedFieldListFilter,
    SimpleListFilter,
)
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core import checks
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

# What each of Django's field filters puts in a URL for a field path `p`
# (mirrors the `lookup_kwarg*` names they set in __init__). Most specific first:
# subclasses (RelatedOnlyFieldListFilter, the meetings filters) inherit their
# parent's parameters. A filter class that derives from none of these must say
# which suffixes it uses in `url_parameter_suffixes`, or the system check fails.
FIELD_FILTER_SUFFIXES: list[tuple[type[FieldListFilter], tuple[str, ...]]] = [
    (EmptyFieldListFilter, ("__isempty",)),
    (RelatedFieldListFilter, ("__{target}__exact", "__isnull")),
    (BooleanFieldListFilter, ("__exact", "__isnull")),
    (ChoicesFieldListFilter, ("__exact", "__isnull")),
    (DateFieldListFilter, ("__gte", "__lt", "__isnull")),
    (AllValuesFieldListFilter, ("", "__isnull")),
]
DATE_HIERARCHY_SUFFIXES = ("__year", "__month", "__day")


class UnknownFilter(Exception):
    """A list filter whose URL parameters cannot be known without running it."""


def field_filter_class(field) -> type[FieldListFilter]:
    """The filter class Django picks for a plain field name in list_filter."""
    for test, filter_class in FieldListFilter._field_list_filters:
        if test(field):
            return filter_class
    raise UnknownFilter(field)


def field_filter_parameters(model, field_path: str, filter_class) -> set[str]:
    field = get_fields_from_path(model, field_path)[-1]
    filter_class = filter_class or field_filter_class(field)
    suffixes = getattr(filter_class, "url_parameter_suffixes", None)
    if suffixes is None:
        suffixes = next(
            (known for base, known in FIELD_FILTER_SUFFIXES if issubclass(filter_class, base)),
            None,
        )
    if suffixes is None:
        raise UnknownFilter(filter_class)
    target = getattr(getattr(field, "target_field", None), "name", "pk")
    return {field_path + suffix.format(target=target) for suffix in suffixes}


def allowed_url_lookups(model_admin, request=None) -> set[str]:
    """Every URL parameter this admin's filters and date hierarchy use."""
    if request is not None:
        list_filter = model_admin.get_list_filter(request)
    else:
        list_filter = model_admin.list_filter
    allowed = set()
    for item in list_filter:
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            allowed.add(item.parameter_name)
        elif isinstance(item, type) and issubclass(item, ListFilter):
            allowed.update(getattr(item, "url_parameters", None) or _unknown(item))
        elif isinstance(item, (list, tuple)):
            allowed |= field_filter_parameters(model_admin.model, item[0], item[1])
        else:
            allowed |= field_filter_parameters(model_admin.model, item, None)
    if model_admin.date_hierarchy:
        allowed.update(model_admin.date_hierarchy + s for s in DATE_HIERARCHY_SUFFIXES)
    return allowed


def _unknown(filter_class):
    raise UnknownFilter(filter_class)


def popup_lookup_allowed(model, lookup: str, value) -> bool:
    """A raw-id popup filters by the limit_choices_to of a ForeignKey to this model."""
    for fk_lookup in model._meta.related_fkey_lookups:
        if callable(fk_lookup):
            fk_lookup = fk_lookup()
        if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
            return True
    return False


class LookupAllowlistMixin:
    """Accept a URL lookup only if the admin's own filters would write it (see module)."""

    def lookup_allowed(self, lookup, value, request=None):
        allowed = lookup in allowed_url_lookups(self, request)
        if not (allowed or popup_lookup_allowed(self.model, lookup, value)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist_instance(self, request):
        # The date drill-down builds dates from the URL and turns a ValueError into the
        # admin's "?e=1" answer, but only around its first date: a number past what C's
        # long holds raises OverflowError there, and a bare year 9999 makes the end of
        # its range (year 10000) raise ValueError outside that check. Without this, a
        # 500 on every list with a date_hierarchy. Answer both like any bad filter value.
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class ReadOnlyAdminMixin:
    """An admin that shows records and never writes them.

    For records that are someone's own words or a log of what happened (reviews, sent
    decisions, the term sync's grants, announcements, responses): they are written
    elsewhere, by the person or the service whose record they are, so the admin adds
    and changes nothing. Deletion is refused too unless the class sets
    `read_only_deletable = True`; it is then left to the model's delete permission.
    Put it before admin.ModelAdmin in the bases.
    """

    read_only_deletable = False

    def has_add_permission(self, request, obj=None):  # obj: inlines are asked with one
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.read_only_deletable and super().has_delete_permission(request, obj)


class PastVersionsReadOnlyMixin:
    """A SimpleHistoryAdmin whose past versions are for reading (see module)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("Past versions are read-only; change the object itself.")
        # Shown as text, not as inputs: a form that cannot be saved should not look editable.
        request._showing_past_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        declared = list(super().get_readonly_fields(request, obj))
        if not getattr(request, "_showing_past_version", False):
            return declared
        # From the model, not from get_fieldsets(): that asks get_form(), which asks here.
        # Prepopulated fields and their sources stay inputs: simple-history's view hands
        # the admin's prepopulated_fields to the form as they are, so they must be in it.
        opts = self.model._meta
        prepopulated = self.prepopulated_fields
        keep = {*declared, *prepopulated, *(src for srcs in prepopulated.values() for src in srcs)}
        editable = [f.name for f in (*opts.concrete_fields, *opts.many_to_many) if f.editable]
        return declared + [name for name in editable if name not in keep]


def _needed_guards(admin_class: type[admin.ModelAdmin]) -> tuple[type, ...]:
    guards = []
    if not issubclass(admin_class, LookupAllowlistMixin):
        guards.append(LookupAllowlistMixin)
    history = issubclass(admin_class, SimpleHistoryAdmin)
    if history and not issubclass(admin_class, PastVersionsReadOnlyMixin):
        guards.append(PastVersionsReadOnlyMixin)
    return tuple(guards)


def guarded(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """`admin_class` with the allowlist asked before its own lookup_allowed, and with
    read-only past versions if it is a SimpleHistoryAdmin."""
    guards = _needed_guards(admin_class)
    if not guards:
        return admin_class
    return type(
        admin_class.__name__,
        (*guards, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )


class PortalAdminSite(admin.AdminSite):
    """The default admin site (see gds_portal.apps.PortalAdminConfig)."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = guarded(admin_class or admin.ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)


@checks.register(checks.Tags.admin, checks.Tags.security)
def check_every_admin_guarded(app_configs=None, **kwargs):
    """Every registered ModelAdmin, on every site, carries the allowlist and has
    filters whose URL parameters are known."""
    errors = []
    for site in sites.all_sites:
        for model, model_admin in site._registry.items():
            label = f"{site.name}: {model._meta.label}"
            if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(
                model_admin, PastVersionsReadOnlyMixin
            ):
                errors.append(
                    checks.Error(
                        f"{label} admin lets a POST write a past version back.",
                        hint="Register it through admin.site (PortalAdminSite) so that "
                        "gds_portal.adminsite.PastVersionsReadOnlyMixin guards it.",
                        obj=type(model_admin),
                        id="gds_portal.E103",
                    )
                )
            if not isinstance(model_admin, LookupAllowlistMixin):
                errors.append(
                    checks.Error(
                        f"{label} admin accepts any URL lookup.",
                        hint="Register it through admin.site (PortalAdminSite) so that "
                        "gds_portal.adminsite.LookupAllowlistMixin guards it.",
                        obj=type(model_admin),
                        id="gds_portal.E101",
                    )
                )
                continue
            try:
                allowed_url_lookups(model_admin)
            except UnknownFilter as error:
                errors.append(
                    checks.Error(
                        f"{label}: the URL parameters of list filter {error} are unknown.",
                        hint="Give the filter class `url_parameter_suffixes` (field filters) "
                        "or `url_parameters` (other ListFilters).",
                        obj=type(model_admin),
                        id="gds_portal.E102",
                    )
                )
    return errors
