"""`check --deploy` is clean in production mode (run in a fresh process with a production env)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "DATABASE_URL", "XDG_RUNTIME_DIR"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="gds_portal.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="gds.example.org",
        SITE_URL="https://gds.example.org",
        DEBUG="false",
        SECURE_COOKIES="true",
        EMAIL_URL="smtp://mail.example.org:587?tls=1",
    )
    return env


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif("DATABASE_URL" not in os.environ, reason="needs DATABASE_URL")
def test_check_deploy_is_clean_in_production_mode():
    result = run("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif("DATABASE_URL" not in os.environ, reason="needs DATABASE_URL")
def test_production_defaults_are_the_ones_the_header_tests_assume():
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.TRUSTED_PROXY_COUNT)"
    )
    result = run("shell", "--no-imports", "-c", code)
    assert result.stdout.splitlines()[-1].split() == [
        "__Host-sessionid", "__Host-csrftoken", "True", "True", "True", "0"
    ], result.stderr  # fmt: skip
