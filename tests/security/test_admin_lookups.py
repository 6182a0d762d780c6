"""Break 1 of issue 15: URL lookups in the admin as an oracle for hidden fields.

The executive committee may list the outbox but never read account mail; with
`?body_text__regex=` the changelist count told it, one character at a time, the
superuser's password-reset link. These tests replay that attack and its cousins
on third-party admins, and hold the mechanism (gds_portal/adminsite.py) that
closes the class for every ModelAdmin.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.auth.models import Group
from django.core import checks
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from gds_portal.adminsite import (
    LookupAllowlistMixin,
    PortalAdminSite,
    allowed_url_lookups,
    check_every_admin_guarded,
)
from gds_portal.models import OutboundEmail

pytestmark = [pytest.mark.django_db]


RESET_LINK = "https://testserver/accounts/password/reset/key/1-abc123-secret/"
OUTBOX = "/admin/gds_portal/outboundemail/"


def reset_mail():
    return OutboundEmail.objects.create(
        from_email="portal@example.org",
        to=["staff@example.org"],
        subject="Password reset",
        body_text=f"Reset your password: {RESET_LINK}",
        body_html=f'<a href="{RESET_LINK}">Reset</a>',
        headers={"X-Reset": RESET_LINK},
        sensitive=True,
    )


def answers(client, url, params):
    """What the attacker observes for each guess: status and page (less the CSRF noise)."""
    seen = []
    for value in params:
        response = client.get(url, value)
        seen.append((response.status_code, b"1 outgoing email" in response.content))
    return seen


@pytest.mark.parametrize(
    "lookup",
    [
        "body_text__regex",
        "body_text__startswith",
        "body_html__contains",
        "headers__icontains",
        "body_text__contains",
        "to__icontains",
        "sensitive__exact",
        "last_error__regex",
    ],
)
def test_outbox_lookup_on_hidden_field_refused_whatever_the_guess(personas, client_for, lookup):
    reset_mail()
    client = client_for(personas.executive)
    right, wrong = (
        ({lookup: "Reset your password: https"}, {lookup: "zzz"})
        if lookup != "sensitive__exact"
        else ({lookup: "1"}, {lookup: "0"})
    )
    seen = answers(client, OUTBOX, [{**right, "status": "all"}, {**wrong, "status": "all"}])
    # Refused before any query: the same 400 for a right and a wrong guess, no count.
    assert seen == [(400, False), (400, False)]


def test_outbox_regex_oracle_recovers_nothing(personas, client_for):
    """The attack as run: extend a prefix one character at a time while the count says 1."""
    reset_mail()
    client = client_for(personas.executive)
    prefix = "Reset your password: https://testserver/accounts/password/reset/key/"
    found = ""
    for char in "0123456789abc-":
        response = client.get(OUTBOX, {"status": "all", "body_text__regex": f"^{prefix}{char}"})
        if b"1 outgoing email" in response.content:
            found += char
    assert found == ""


def test_outbox_own_filters_still_work(personas, client_for):
    mail = reset_mail()  # account mail: listed to superusers only
    client = client_for(personas.staff)
    year = mail.created_at.year
    response = client.get(OUTBOX, {"status": "queued", "created_at__year": str(year)})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_user_password_hash_lookup_refused(personas, client_for):
    """Executive may list users; the password hash is no oracle."""
    client = client_for(personas.executive)
    guesses = [{"password__startswith": "md5$"}, {"password__startswith": "x"}]
    seen = answers(client, "/admin/accounts/user/", guesses)
    assert seen == [(400, False), (400, False)]


def test_relation_lookup_through_filter_path_refused(personas, client_for):
    """A list_filter path (`groups`) is no licence to reach the related model's fields."""
    client = client_for(personas.staff)
    response = client.get("/admin/accounts/user/", {"groups__name__startswith": "Exec"})
    assert response.status_code == 400
    allowed = client.get("/admin/accounts/user/", {"groups__id__exact": Group.objects.first().pk})
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    ("url", "lookup"),
    [
        ("/admin/auth/group/", "permissions__codename__startswith"),
        ("/admin/account/emailaddress/", "email__startswith"),
        ("/admin/axes/accessattempt/", "get_data__contains"),
        ("/admin/flatpages/flatpage/", "content__contains"),
        ("/admin/sites/site/", "domain__startswith"),
    ],
)
def test_third_party_admins_refuse_free_lookups(personas, client_for, url, lookup):
    response = client_for(personas.staff).get(url, {lookup: "a"})
    assert response.status_code == 400


def test_every_registered_admin_is_guarded():
    assert [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, LookupAllowlistMixin)
    ] == []
    assert isinstance(admin.site._wrapped, PortalAdminSite)


def test_new_admin_is_guarded_the_day_it_is_registered(new_site):
    site = new_site()

    class PlainUserAdmin(admin.ModelAdmin):
        list_filter = ["is_active"]

    site.register(User, PlainUserAdmin)
    model_admin = site._registry[User]
    request = RequestFactory().get("/")
    assert model_admin.lookup_allowed("is_active__exact", "1", request)
    assert not model_admin.lookup_allowed("password__startswith", "md5", request)
    assert not model_admin.lookup_allowed("email__regex", ".", request)


def test_admin_own_lookup_rule_can_narrow_not_widen(new_site):
    class Widening(admin.ModelAdmin):
        def lookup_allowed(self, lookup, value, request=None):
            return True

    site = new_site()
    site.register(User, Widening)
    assert not site._registry[User].lookup_allowed("password__regex", ".", None)


def test_system_check_fails_for_an_unguarded_site(new_site):
    site = new_site(admin.AdminSite)
    site.register(User)
    assert [e.id for e in check_every_admin_guarded()] == ["gds_portal.E101"]


def test_system_check_passes_for_the_project():
    assert [e for e in checks.run_checks() if e.id and e.id.startswith("gds_portal.E1")] == []


def test_date_hierarchy_and_filters_are_the_allowlist():
    model_admin = admin.site._registry[OutboundEmail]
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True)
    assert allowed_url_lookups(model_admin, request) == {
        "status",
        "domain",
        "created_at__gte",
        "created_at__lt",
        "created_at__isnull",
        "created_at__year",
        "created_at__month",
        "created_at__day",
    }


def test_refusal_is_django_disallowed_lookup(personas):
    """The 400 is DisallowedModelAdminLookup (SuspiciousOperation), raised before any query."""
    model_admin = admin.site._registry[OutboundEmail]
    request = RequestFactory().get(OUTBOX, {"body_text__regex": "."})
    request.user = personas.staff
    with pytest.raises(DisallowedModelAdminLookup):
        model_admin.get_changelist_instance(request)


def test_admin_own_parameters_still_work(personas, client_for):
    """Pagination, ordering, search, show-all, popups, facets and the error flag never
    count as lookups."""
    reset_mail()
    client = client_for(personas.staff)
    params = {
        "p": "1",
        "o": "1",
        "q": "Password",
        "all": "",
        "_popup": "1",
        "_to_field": "id",
        "_facets": "1",
        "status": "all",
    }
    response = client.get(OUTBOX, params)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert client.get(OUTBOX, {"e": "1"}).status_code == 200


def test_autocomplete_still_works(personas, client_for):
    response = client_for(personas.staff).get(
        "/admin/autocomplete/",
        {
            "app_label": "community",
            "model_name": "person",
            "field_name": "user",
            "term": personas.member.email,
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(personas.member.pk)]


def test_raw_id_popup_limit_choices_to_still_works(personas, client_for):
    """SortingCategory.parent's popup filters by limit_choices_to={"kind": HEADING}."""
    client = client_for(personas.staff)
    url = "/admin/meetings/sortingcategory/"
    popup = client.get(url, {"_popup": "1", "_to_field": "id", "kind": "heading"})
    free = client.get(url, {"_popup": "1", "_to_field": "id", "kind": "focus"})
    assert (popup.status_code, free.status_code) == (200, 400)


@pytest.mark.parametrize(
    "part",
    [
        "year=2147483648",
        "year=9999",
        "year=2020&{f}__month=99999999999999999999",
        "year=2020&{f}__month=1&{f}__day=99999999999999999999",
    ],
)
def test_date_drill_down_out_of_range_is_the_error_flag_not_a_500(part, personas):
    """A year past what a date holds made datetime() raise OverflowError, which the admin
    does not catch, and year 9999 alone made Django's end of range (year 10000) raise a
    ValueError outside its own check: every list with a date drill-down was a 500 for
    every role that opens it (found by the outside probes)."""
    client = Client(raise_request_exception=False)
    client.force_login(personas.staff)
    hierarchies = [
        (model, model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    ]
    assert hierarchies, "some admins have a date drill-down"
    answers = {}
    for model, field in hierarchies:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(f"{url}?{field}__" + part.format(f=field))
        answers[model._meta.label] = (response.status_code, response.get("Location", ""))
    assert {label: answer for label, answer in answers.items() if answer[0] != 302} == {}
    assert all(location.endswith("?e=1") for _, location in answers.values())
