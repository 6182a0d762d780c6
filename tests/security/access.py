"""The access matrix: who may reach what, as a table each app extends.

Each app contributes `tests/<app>/access_rows.py` with two names:

    def world(personas) -> dict:
        '''Create the objects the rows talk about; return them by name.'''
        victim = ProfileFactory(user=personas.member, notes="Mia's private notes")
        return {"victim": victim, "private": ["Mia's private notes"]}

    ROWS = [
        Row("member reads own", "member", "GET", "/things/{victim.pk}/", OK),
        Row("other member refused", "other_member", "GET", "/things/{victim.pk}/", NOT_FOUND),
        Row("other member cannot edit", "other_member", "POST", "/things/{victim.pk}/edit/",
            REFUSED, data={"notes": "pwned"}, unchanged=lambda w: w["victim"].notes_now()),
    ]

`url` and every `hidden` string are `str.format`-ed with the world. A persona
is an attribute of the `personas` fixture (tests/conftest.py) or None for an
anonymous visitor. The test asserts the outcome, that no string in
`world["private"]` appears in a refused response, that no `hidden` string
appears in any response of that row, and, with `unchanged`, that the value it
returns is the same before and after the request.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

# Outcomes.
OK = "ok"  # 200
REDIRECT = "redirect"  # 302 somewhere other than a login page (a form that saved)
LOGIN = "login"  # 302 to a login page
FORBIDDEN = "forbidden"  # 403
NOT_FOUND = "not_found"  # 404
REFUSED = "refused"  # any of login, 403, 404: use when the exact refusal does not matter
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Row:
    name: str
    persona: str | None
    method: str
    url: str
    expect: str
    data: dict[str, Any] | Callable[[dict], dict] | None = None
    hidden: tuple[str, ...] = ()
    unchanged: Callable[[dict], Any] | None = None
    module: str = field(default="", compare=False)


def outcome(response) -> str:
    code = response.status_code
    if code == 200:
        return OK
    if code == 403:
        return FORBIDDEN
    if code == 404:
        return NOT_FOUND
    if code in {301, 302, 303}:
        location = response["Location"]
        return LOGIN if location.startswith(LOGIN_PATHS) else REDIRECT
    return f"status {code}"


def matches(expected: str, actual: str) -> bool:
    if expected == REFUSED:
        return actual in {LOGIN, FORBIDDEN, NOT_FOUND}
    return expected == actual


def local_apps() -> list[str]:
    """Our own apps (those in this repository), in INSTALLED_APPS order."""
    root = Path(settings.BASE_DIR)
    return [config.label for config in apps.get_app_configs() if Path(config.path).parent == root]


def row_modules():
    for app in local_apps():
        try:
            yield importlib.import_module(f"tests.{app}.access_rows")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{app}.access_rows":
                raise


def all_rows() -> list[tuple[Any, Row]]:
    rows = []
    for module in row_modules():
        names = [row.name for row in module.ROWS]
        assert len(names) == len(set(names)), f"{module.__name__}: row names must be unique"
        rows += [(module, row) for row in module.ROWS]
    return rows
