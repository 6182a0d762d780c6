"""Access rows for the site-wide admin: roles, users, outbox, site text.

See tests/security/access.py for the format.

Each committee role reaches only its own models; none but the administrators
manage groups (which would let them grant themselves any role), and only the
executive committee reads the member list. Every committee has the outbox, but
reads there only its own domain's mail (issue 15, break 9): account mail only
superusers see listed, and no one sees a personal link (tests/gds_portal/
test_mail_admin.py covers every domain and every lookup).
"""

from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage

from accounts.models import User
from gds_portal.models import OutboundEmail
from tests.security.access import FORBIDDEN, LOGIN, OK, REDIRECT, Row

SECRET_LINK = "https://gds.example.org/accounts/password/reset/key/1-SECRET-KEY/"
LEAVE_LINK = "https://gds.example.org/crrg/leave/LEAVE-TOKEN-OF-MIA/"
RESET_SUBJECT = "[GDS] Password reset"
CRRG_SUBJECT = "[GDS CRRG] Message to the Epidemiology group"


def world(personas) -> dict:
    reset_mail = OutboundEmail.objects.create(
        to=[personas.member.email],
        subject=RESET_SUBJECT,
        body_text=f"Reset: {SECRET_LINK}",
        sensitive=True,
        domain="accounts",
    )
    crrg_mail = OutboundEmail.objects.create(
        to=[personas.member.email],
        subject=CRRG_SUBJECT,
        domain="crrg",
        body_text=f"To leave the group: {LEAVE_LINK}",
        headers={"List-Unsubscribe": f"<{LEAVE_LINK}>"},
    )
    page = FlatPage.objects.create(url="/about/", title="About GDS", content="About us.")
    page.sites.add(1)
    return {
        "reset_mail": reset_mail,
        "crrg_mail": crrg_mail,
        "page": page,
        "private": [SECRET_LINK, LEAVE_LINK],
    }


def superusers(world) -> list:
    return list(User.objects.filter(is_superuser=True).values_list("email", flat=True))


def roles(world) -> list:
    return sorted(Group.objects.values_list("name", "permissions__codename"), key=str)


ROLE_ONLY = ("newsletter_editor", "program_committee", "webinar_committee", "crrg_coordinator")
OUTBOX = "/admin/gds_portal/outboundemail/?status=all"
RESET_MAIL = "/admin/gds_portal/outboundemail/{reset_mail.pk}/change/"
CRRG_MAIL = "/admin/gds_portal/outboundemail/{crrg_mail.pk}/change/"
EXECUTIVE_ONLY = {
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
    Row("anonymous outbox", None, "GET", RESET_MAIL, LOGIN),
    Row("member outbox", "member", "GET", OUTBOX, LOGIN),
    *[
        Row(f"{role} {what}", role, "GET", url, FORBIDDEN)
        for role in ROLE_ONLY
        for what, url in EXECUTIVE_ONLY.items()
    ],
    *[
        Row(f"{role} {what}", role, "GET", url, FORBIDDEN)
        for role in (*ROLE_ONLY, "executive")
        for what, url in ADMINISTRATORS_ONLY.items()
    ],
    *[
        Row(f"executive {what}", "executive", "GET", url, OK)
        for what, url in EXECUTIVE_ONLY.items()
    ],
    # The outbox: each committee lists its own domain's mail, never account mail
    # or another committee's (the executive committee reads no committee's mail).
    *[
        Row(
            f"{role} outbox",
            role,
            "GET",
            OUTBOX,
            OK,
            hidden=(
                RESET_SUBJECT,
                SECRET_LINK,
                LEAVE_LINK,
                *([] if role == "crrg_coordinator" else [CRRG_SUBJECT]),
            ),
        )
        for role in (*ROLE_ONLY, "executive")
    ],
    # Opening a message outside one's domains finds nothing ("does not exist").
    *[
        Row(
            f"{role} reset mail",
            role,
            "GET",
            RESET_MAIL,
            REDIRECT,
            hidden=(RESET_SUBJECT, SECRET_LINK),
        )
        for role in (*ROLE_ONLY, "executive")
    ],
    *[
        Row(
            f"{role} crrg mail", role, "GET", CRRG_MAIL, REDIRECT, hidden=(CRRG_SUBJECT, LEAVE_LINK)
        )
        for role in (*ROLE_ONLY, "executive")
        if role != "crrg_coordinator"
    ],
    # The coordinators read their group's mail, without the member's leave link.
    Row(
        "crrg_coordinator crrg mail read",
        "crrg_coordinator",
        "GET",
        CRRG_MAIL,
        OK,
        hidden=(LEAVE_LINK,),
    ),
    # Superusers see account mail listed, never its secret, and no personal link.
    Row("staff outbox", "staff", "GET", OUTBOX, OK, hidden=(SECRET_LINK, LEAVE_LINK)),
    Row("staff reset mail", "staff", "GET", RESET_MAIL, OK, hidden=(SECRET_LINK,)),
    Row("staff crrg mail", "staff", "GET", CRRG_MAIL, OK, hidden=(LEAVE_LINK,)),
    # The executive committee may read the member list, never change who is an administrator.
    Row(
        "executive cannot make a superuser",
        "executive",
        "POST",
        "/admin/accounts/user/{personas.executive.pk}/change/",
        FORBIDDEN,
        data=lambda w: {
            "email": w["personas"].executive.email,
            "full_name": "Exec",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
        unchanged=superusers,
    ),
    Row(
        "executive cannot change roles",
        "executive",
        "POST",
        "/admin/auth/group/add/",
        FORBIDDEN,
        data={"name": "Mine"},
        unchanged=roles,
    ),
    Row("staff groups", "staff", "GET", "/admin/auth/group/", OK),
    Row("staff login lockouts", "staff", "GET", "/admin/axes/accessattempt/", OK),
]
