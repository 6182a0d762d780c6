"""Access rows for My GDS and the member profile (see tests/security/access.py)."""

from accounts.models import User
from tests.security.access import LOGIN, OK, REDIRECT, Row


def world(personas) -> dict:
    victim = personas.member
    victim.aps_member_number = "APS-4242-PRIVATE"
    victim.affiliation = "Mia's Quiet Lab"
    victim.save()
    return {"victim": victim, "private": [victim.email, "APS-4242-PRIVATE", "Mia's Quiet Lab"]}


def victim_profile(world) -> tuple:
    return User.objects.values_list("full_name", "affiliation", "email").get(pk=world["victim"].pk)


VICTIM = ("{victim.email}", "APS-4242-PRIVATE", "Mia's Quiet Lab")
EDIT = {
    "full_name": "Pwned",
    "affiliation": "Pwned",
    "country": "",
    "career_stage": "",
    "orcid": "",
    "aps_member_number": "",
}

ROWS = [
    # Anonymous visitors are sent to log in and see nothing.
    Row("anonymous my gds", None, "GET", "/my/", LOGIN),
    Row("anonymous profile form", None, "GET", "/my/profile/", LOGIN),
    Row(
        "anonymous profile post",
        None,
        "POST",
        "/my/profile/",
        LOGIN,
        data=EDIT,
        unchanged=victim_profile,
    ),
    Row("anonymous email page", None, "GET", "/accounts/email/", LOGIN),
    Row("anonymous password change", None, "GET", "/accounts/password/change/", LOGIN),
    # A member sees their own data.
    Row("member my gds", "member", "GET", "/my/", OK),
    Row("unverified member my gds", "unverified", "GET", "/my/", OK, hidden=VICTIM),
    # Another member's pages never show the victim's data; there is no id to tamper with.
    Row("other member my gds", "other_member", "GET", "/my/", OK, hidden=VICTIM),
    Row("other member profile form", "other_member", "GET", "/my/profile/", OK, hidden=VICTIM),
    Row("other member email page", "other_member", "GET", "/accounts/email/", OK, hidden=VICTIM),
    Row(
        "other member profile post edits only self",
        "other_member",
        "POST",
        "/my/profile/",
        REDIRECT,
        data=EDIT,
        unchanged=victim_profile,
    ),
    # Members are not staff: the admin sends them to its login page.
    Row("member admin index", "member", "GET", "/admin/", LOGIN),
    Row(
        "member admin user change",
        "other_member",
        "GET",
        "/admin/accounts/user/{victim.pk}/change/",
        LOGIN,
    ),
]
