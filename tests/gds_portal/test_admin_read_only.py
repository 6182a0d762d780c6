"""One way to make an admin read-only: gds_portal.adminsite.ReadOnlyAdminMixin.

Nine admins once each wrote their own `has_add_permission`/`has_change_permission`
returning False (some also delete), which drifted: a change to what "read-only"
means had to be made nine times. The source check keeps new ones on the mixin.
"""

import ast

import pytest
from django.contrib import admin

from gds_portal.adminsite import ReadOnlyAdminMixin
from tests.security.test_noqa import ROOT, python_files

WRITES = {"has_add_permission", "has_change_permission"}


def _returns_false(function: ast.FunctionDef) -> bool:
    body = [node for node in function.body if not isinstance(node, ast.Expr)]  # docstrings
    return (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and isinstance(body[0].value, ast.Constant)
        and body[0].value.value is False
    )


def test_no_admin_writes_its_own_read_only_permissions():
    hand_written = []
    for path in python_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", "bench"} or relative.name == "adminsite.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            refused = {
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef)
                and item.name in WRITES
                and _returns_false(item)
            }
            if refused == WRITES:
                hand_written.append(f"{relative}: {node.name}")
    assert hand_written == [], "use gds_portal.adminsite.ReadOnlyAdminMixin"


@pytest.mark.parametrize("deletable", [False, True])
def test_the_mixin_refuses_writes_and_leaves_deletion_to_the_permission(rf, personas, deletable):
    from accounts.models import User

    class Shown(ReadOnlyAdminMixin, admin.ModelAdmin):
        read_only_deletable = deletable

    model_admin = Shown(User, admin.site)
    request = rf.get("/")
    request.user = personas.staff  # a superuser: every permission Django would grant
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, personas.member)
    assert model_admin.has_view_permission(request, personas.member)
    assert model_admin.has_delete_permission(request, personas.member) is deletable
    request.user = personas.member  # no delete permission: refused even where deletable
    assert not model_admin.has_delete_permission(request, personas.member)
