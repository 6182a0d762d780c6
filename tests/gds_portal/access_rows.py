"""Access rows for the site-wide admin: roles, users, outbox, site text.

See tests/security/access.py for the format.

Each committee role reaches only its own models; none but the administrators
manage groups (which would let them grant themselves any role), and only the
executive committee reads the outbox and the member list.
"""

from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage

from accounts.models import User
from gds_portal.models import OutboundEmail
from tests.security.access import FORBIDDEN, LOGIN, OK, Row

SECRET_LINK = "https://gds.example.org/accounts/password/reset/key/1-SECRET-KEY/"


def world(personas) -> dict:
    reset_mail = OutboundEmail.objects.create(
        to=[personas.member.email], subject="[GDS] Password reset",
        body_text=f"Reset: {SECRET_LINK}", sensitive=True,
    )  # fmt: skip
    page = FlatPage.objects.create(url="/about/", title="About GDS", content="About us.")
    page.sites.add(1)
    return {"reset_mail": reset_mail, "page": page, "private": [SECRET_LINK]}


def superusers(world) -> list:
    return list(User.objects.filter(is_superuser=True).values_list("email", flat=True))


def roles(world) -> list:
    return sorted(Group.objects.values_list("name", "permissions__codename"), key=str)


ROLE_ONLY = ("newsletter_editor", "program_committee", "webinar_committee", "crrg_coordinator")
EXECUTIVE_ONLY = {
    "outbox": "/admin/gds_portal/outboundemail/",
    "outbox message": "/admin/gds_portal/outboundemail/{reset_mail.pk}/change/",
    "users": "/admin/accounts/user/",
    "user": "/admin/accounts/user/{personas.member.pk}/change/",
    "site configuration": "/admin/gds_portal/siteconfiguration/",
    "flat pages": "/admin/flatpages/flatpage/",
    "flat page": "/admin/flatpages/flatpage/{page.pk}/change/",
}
ADMINISTRATORS_ONLY = {
    "groups": "/admin/auth/group/",
    "add group": "/admin/auth/group/add/",
    "login lockouts": "/admin/axes/accessattempt/",
}

ROWS = [
    Row("anonymous admin index", None, "GET", "/admin/", LOGIN),
    Row("anonymous outbox", None, "GET", EXECUTIVE_ONLY["outbox message"], LOGIN),
    *[Row(f"{role} {what}", role, "GET", url, FORBIDDEN)
      for role in ROLE_ONLY for what, url in EXECUTIVE_ONLY.items()],
    *[Row(f"{role} {what}", role, "GET", url, FORBIDDEN)
      for role in (*ROLE_ONLY, "executive") for what, url in ADMINISTRATORS_ONLY.items()],
    *[Row(f"executive {what}", "executive", "GET", url, OK)
      for what, url in EXECUTIVE_ONLY.items()],
    # Reset mail carries a one-time secret: nobody reads it in the admin, not even staff.
    Row("executive reset mail", "executive", "GET", EXECUTIVE_ONLY["outbox message"], OK,
        hidden=(SECRET_LINK,)),
    Row("staff reset mail", "staff", "GET", EXECUTIVE_ONLY["outbox message"], OK,
        hidden=(SECRET_LINK,)),
    # The executive committee may read the member list, never change who is an administrator.
    Row("executive cannot make a superuser", "executive", "POST",
        "/admin/accounts/user/{personas.executive.pk}/change/", FORBIDDEN,
        data=lambda w: {"email": w["personas"].executive.email, "full_name": "Exec",
                        "is_active": "on", "is_staff": "on", "is_superuser": "on"},
        unchanged=superusers),
    Row("executive cannot change roles", "executive", "POST", "/admin/auth/group/add/",
        FORBIDDEN, data={"name": "Mine"}, unchanged=roles),
    Row("staff groups", "staff", "GET", "/admin/auth/group/", OK),
    Row("staff login lockouts", "staff", "GET", "/admin/axes/accessattempt/", OK),
]  # fmt: skip
