"""Settings come from the environment; production defaults must pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gds_portal.env import env_bool, env_int, env_list, load_env_file

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    # Long and varied enough for check --deploy (a fixed value: tests must be repeatable).
    "SECRET_KEY": "vQ3#n8Lx!p2Rz7Kt@w5Hy9Md&c4Fj6Bs0Ge1Ua$r3Ti8Ox2Nl5Yk7Pq9Vm4Cz6Wd1",
    "ALLOWED_HOSTS": "gds.example.org",
    "SITE_URL": "https://gds.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from this process's environment minus everything the test env sets
    # (and the browser tests' async-safety switch), so production defaults apply.
    dropped = {
        *PRODUCTION_ENV,
        "SECURE_COOKIES",
        "SECURE_SSL_REDIRECT",
        "STATIC_HASHED",
        "WHITENOISE_USE_FINDERS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_bad_boolean_stops_start_up_with_a_clear_message():
    result = _manage("check", **{**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
    assert "'maybe'" in result.stderr


def test_missing_secret_key_stops_start_up():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_non_postgres_database_is_refused():
    result = _manage("check", **{**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_the_web_server_reads_only_the_real_environment():
    # gunicorn imports gds_portal.wsgi, which loads no env file: even in a checkout with
    # the development tools, an unset DATABASE_URL stops start-up instead of becoming
    # env/local.env's embedded server (with its DEBUG=true).
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GDS_ENV"}}
    result = subprocess.run(
        [sys.executable, "-c", "import gds_portal.wsgi"],
        cwd=ROOT,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_env_files_fill_only_what_the_environment_leaves_unset(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://real.example.org")
    monkeypatch.delenv("EMAIL_URL")
    load_env_file("test")
    assert os.environ["SITE_URL"] == "https://real.example.org"
    assert os.environ["EMAIL_URL"] == "locmem:"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("yes", True), ("0", False), ("off", False)]
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("GDS_FLAG", raw)
    assert env_bool("GDS_FLAG", not expected) is expected


def test_env_int_and_list(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("GDS_N", "12")
    monkeypatch.setenv("GDS_HOSTS", "a.org, b.org,,")
    assert env_int("GDS_N", 1) == 12
    assert env_list("GDS_HOSTS") == ["a.org", "b.org"]
    monkeypatch.setenv("GDS_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="GDS_N must be a whole number"):
        env_int("GDS_N", 1)
