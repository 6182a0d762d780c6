"""Typed readers for settings that come from the environment.

Every reader fails loudly with the variable's name and the value it could not
use, so a typo in a deployment stops start-up instead of silently running with
a default (healthchecks' settings do the same).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ENV_DIR = Path(__file__).resolve().parent.parent / "env"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean "
        f"(one of 1/0, true/false, yes/no, on/off), not {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {raw!r}."
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def load_env_file(name: str) -> None:
    """Fill the variables the environment leaves unset from env/<name>.env.

    Development and tests only: manage.py loads env/local.env in a developer's checkout,
    pytest env/test.env (tests/environment.py), and GDS_ENV=<name> names one explicitly
    (the Makefile). A deployment sets none of these and reads its real environment alone.
    """
    path = ENV_DIR / f"{name}.env"
    if not path.is_file():
        raise ImproperlyConfigured(f"GDS_ENV={name!r}: there is no {path}.")
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip())
