"""Sensitive fields are never searchable, filterable or list columns in any admin.

Issue 15, break 1: mail bodies, html bodies, headers, links, tokens, password
hashes and the voluntary diversity answers must not be reachable by `?q=`, a
list filter or the date hierarchy: each is an oracle (or a list) of what the
admin otherwise hides. The test walks admin.site._registry, so a new admin is
held to this the day it is registered.

A field is sensitive when its name matches SENSITIVE_NAME (so a new model's
`reset_token` or `body_html` is caught without anyone listing it) or when it is
listed in SENSITIVE_FIELDS; NOT_SENSITIVE names the few matches that are public
text, each with the reason.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path

SENSITIVE_NAME = re.compile(
    r"(^|_)(body|html|headers?|links?|token|secret|password|key|hash|data)(_|$)"
    r"|^nominee_is_|_outside_us$"
)
SENSITIVE_FIELDS = {
    # Account mail recipients are not secret, but whether a message is account mail
    # (and so carries a one-time link) must not be filterable beyond what the list shows.
    "gds_portal.OutboundEmail": {"sensitive", "last_error"},
    "accounts.User": {"user_permissions"},
}
NOT_SENSITIVE = {
    ("newsletters.Article", "body"): "published newsletter text, shown on public pages",
    ("meetings.Abstract", "body"): "the abstract text the committee reviews (shown in full)",
    ("meetings.Meeting", "body_max_length"): "a length limit, not text",
    ("meetings.Meeting", "title_max_length"): "a length limit, not text",
    ("webinars.Participant", "email_key"): "an attendee's address (canonical form, no "
    "secret), searched as the Registration admin searches its email",
}


def is_sensitive(model, name: str) -> bool:
    if (model._meta.label, name) in NOT_SENSITIVE:
        return False
    return bool(SENSITIVE_NAME.search(name)) or name in SENSITIVE_FIELDS.get(model._meta.label, ())


def sensitive_steps(model, path: str) -> list[str]:
    """Each sensitive field a lookup path passes through (`submitter__password` → password)."""
    found = []
    for field in get_fields_from_path(model, path):
        if is_sensitive(field.model, field.name):
            found.append(f"{field.model._meta.label}.{field.name}")
    return found


def search_paths(model_admin) -> list[str]:
    return [name.lstrip("^=@").removesuffix("__exact") for name in model_admin.search_fields]


def filter_paths(model_admin) -> list[str]:
    paths = []
    for item in model_admin.list_filter:
        if isinstance(item, (list, tuple)):
            paths.append(item[0])
        elif isinstance(item, str):
            paths.append(item)
    if model_admin.date_hierarchy:
        paths.append(model_admin.date_hierarchy)
    return paths


def column_paths(model_admin) -> list[str]:
    names = {f.name for f in model_admin.model._meta.get_fields()}
    return [name for name in model_admin.list_display if isinstance(name, str) and name in names]


def exposures() -> list[str]:
    found = []
    for model, model_admin in admin.site._registry.items():
        for kind, paths in [
            ("search_fields", search_paths(model_admin)),
            ("list_filter", filter_paths(model_admin)),
            ("list_display", column_paths(model_admin)),
        ]:
            found += [
                f"{model._meta.label} {kind} {path}: {', '.join(steps)}"
                for path in paths
                if (steps := sensitive_steps(model, path))
            ]
    return found


def test_no_admin_searches_filters_or_lists_a_sensitive_field():
    assert exposures() == []


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("gds_portal.OutboundEmail", "body_text"),
        ("gds_portal.OutboundEmail", "body_html"),
        ("gds_portal.OutboundEmail", "headers"),
        ("gds_portal.OutboundEmail", "sensitive"),
        ("accounts.User", "password"),
        ("axes.AccessAttempt", "post_data"),
        ("axes.AccessLog", "session_hash"),
        ("crrg.GroupMessage", "body"),
        ("meetings.SpeakerNomination", "nominee_is_woman"),
        ("meetings.SpeakerNomination", "nominee_is_urm"),
        ("webinars.SpeakerNomination", "nominee_outside_us"),
    ],
)
def test_the_rule_knows_the_sensitive_fields(label, name):
    from django.apps import apps

    assert is_sensitive(apps.get_model(label), name)


def test_not_sensitive_exceptions_name_real_fields():
    from django.apps import apps

    for label, name in NOT_SENSITIVE:
        apps.get_model(label)._meta.get_field(name)
