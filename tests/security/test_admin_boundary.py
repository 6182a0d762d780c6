"""Admin boundary suite: every registered ModelAdmin by every role, against a reviewed table.

For each admin in admin.site._registry (so a new admin is covered the day it is
registered) and each role (anonymous, member, each committee persona, executive,
superuser), tests/security/admin_boundary.py requests the changelist, the add,
change, history and delete views of a seeded object (and, for a history admin,
the page of its first version), POSTs the delete confirmation, each action with
the object selected and, for a history admin, the past version (a `!` marks a
POST that changed the object or queued mail; every POST is rolled back
afterwards), and
tries each filter parameter the admin declares and a `__regex` lookup on every
field and every field one relation away. One test (one seeded world) per app.

The result must equal tests/security/admin_boundary_table.txt, which is
reviewed like code: a changed row is a changed boundary. After an intended
change, regenerate it with one command (without -n) and read the diff:

    UPDATE_ADMIN_TABLE=1 .venv/bin/pytest tests/security/test_admin_boundary.py -p no:randomly -q
    git diff tests/security/admin_boundary_table.txt

Whatever the table says, the same test holds what it must never show: a POST
that changed something from a role that cannot open the list, or that lacks
the permission the action declares (change, for an action that declares none;
delete, for the delete confirmation; none, ever, for a past version), a free
lookup accepted, a refused lookup answered other than 400, an anonymous visitor
or a member getting anything but the login page.
"""

import os
from pathlib import Path

import pytest

from tests.security.admin_boundary import ROLES, admin_apps, build_table, header_line

pytestmark = [pytest.mark.django_db]

TABLE = Path(__file__).with_name("admin_boundary_table.txt")
UPDATE = os.environ.get("UPDATE_ADMIN_TABLE") == "1"
HEADERS = [header for _persona, header in ROLES]


def expected_lines(app_label: str) -> list[str]:
    if not TABLE.exists():
        return []
    return [line for line in TABLE.read_text().splitlines() if line.startswith(f"{app_label}.")]


def write_lines(app_label: str, lines: list[str]):
    """Replace this app's rows in the table (regeneration runs the tests one by one)."""
    old = TABLE.read_text().splitlines()[1:] if TABLE.exists() else []
    keep = [line for line in old if not line.startswith(f"{app_label}.")]
    apps = set(admin_apps())
    keep = [line for line in keep if line.split(".", 1)[0] in apps]
    TABLE.write_text("\n".join([header_line(), *sorted(keep + lines)]) + "\n")


def cells(line: str) -> dict[str, str]:
    return dict(zip(HEADERS, line.split()[-len(HEADERS) :], strict=True))


@pytest.fixture(params=admin_apps())
def app_table(request, personas):
    return request.param, build_table(request.param, personas)


def test_admin_boundary_matches_the_reviewed_table(app_table):
    app_label, table = app_table
    lines = table.lines()
    if UPDATE:
        write_lines(app_label, lines)
    assert lines == expected_lines(app_label)
    assert invariant_breaks(lines) == []
    assert table.unpermitted == []


def invariant_breaks(lines: list[str]) -> list[str]:
    breaks = []
    lists = {line.split()[0]: cells(line) for line in lines if line.split()[1] == "list"}
    for line in lines:
        label, check = line.split()[0], line.split()[1]
        for role, cell in cells(line).items():
            if role in {"anon", "member"} and cell not in {"login", "-"}:
                breaks.append(f"{line.split('  ')[0]}: {role} got {cell}")
            if cell.endswith("!") and lists[label][role] != "ok":
                breaks.append(f"{line[:60].rstrip()}: {role} changed it without the list")
            if check == "lookup" and cell != "-":
                breaks.append(f"{line[:60].rstrip()}: {role} may filter freely")
            if check == "lookups" and "over http" in line and cell not in {"400", "nolist", "-"}:
                breaks.append(f"{line[:60].rstrip()}: {role} got {cell}")
    return breaks


def test_table_has_no_rows_for_admins_that_are_gone():
    apps = set(admin_apps())
    stale = [line for line in TABLE.read_text().splitlines()[1:] if line.split(".")[0] not in apps]
    assert stale == []
    assert TABLE.read_text().splitlines()[0] == header_line()


def test_may_run_follows_the_role_permissions(personas):
    """The unpermitted-change guard asks the admin, not the table."""
    from django.contrib import admin

    from accounts.models import User
    from gds_portal.models import OutboundEmail
    from tests.security.admin_boundary import may_run

    users, outbox = admin.site._registry[User], admin.site._registry[OutboundEmail]
    assert [
        may_run(users, personas.executive, "delete_selected"),  # view only
        may_run(users, personas.executive, None),
        may_run(outbox, personas.executive, "retry_now"),  # holds change_outboundemail
        may_run(users, personas.staff, None),
        may_run(users, None, None),
    ] == [False, False, True, True, False]
