"""Scale-out: app servers and mail workers share nothing but PostgreSQL (and the cache).

Two gunicorn processes serve the same test database: a login made through one
is valid on the other (sessions live in the database, not in a process). Two
outbox workers run at once against one queue and an SMTP server started here:
every queued message arrives exactly once (rows are claimed with SKIP LOCKED).
"""

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import closing
from email import message_from_bytes
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.models import User
from gds_portal.enums import MailStatus
from gds_portal.models import OutboundEmail
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = quote(db["HOST"] or "localhost", safe="")
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(**extra: str) -> dict:
    return {**os.environ, "DATABASE_URL": _database_url(), **extra}


class Server:
    def __init__(self, **env: str):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "gds_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=_env(**env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_until_up(self) -> None:
        for _ in range(600):  # polls, up to about a minute on a busy machine
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                self.process.poll()
                assert self.process.returncode is None, "gunicorn exited"
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start")

    def request(self, method: str, path: str, *, cookies: dict | None = None, body=None):
        connection_ = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(body)
        # Closed however the exchange ends: a refused connect while gunicorn starts
        # would otherwise leave the socket to the garbage collector (a ResourceWarning).
        with closing(connection_):
            connection_.request(method, path, body=body, headers=headers)
            response = connection_.getresponse()
            content = response.read().decode()
        set_cookies = dict(
            re.match(r"([^=]+)=([^;]*)", value).groups()
            for name, value in response.getheaders()
            if name.lower() == "set-cookie"
        )
        return response.status, dict(response.getheaders()), content, set_cookies

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def two_servers():
    servers = [Server(), Server()]
    try:
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_a_login_made_on_one_server_is_valid_on_the_other(two_servers):
    first, second = two_servers
    # The servers use the production hashers (the tests' fast MD5 is not among them).
    password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleoutsalt", iterations=1000)
    user = UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    User.objects.filter(pk=user.pk).update(password=password)
    _, _, form, cookies = first.request("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    status, headers, _, login_cookies = first.request(
        "POST",
        "/accounts/login/",
        cookies=cookies,
        body={"csrfmiddlewaretoken": token, "login": "ada@example.org", "password": PASSWORD},
    )
    assert status == 302, headers
    session = {"sessionid": login_cookies["sessionid"]}

    status, _, page, _ = second.request("GET", "/my/", cookies=session)
    assert status == 200
    assert "Ada Lovelace" in page
    # Without the cookie the same page on the same server asks to log in.
    assert second.request("GET", "/my/")[0] == 302


def test_a_change_retires_the_cached_page_on_every_process_at_once(tmp_path):
    """The default file cache is one cache for every process of a machine: a write
    made by one process retires the page the others cached, at once (outside probe of
    issue 22: with a cache per process, two workers alternated old and new figures)."""
    from datetime import timedelta

    from django.test import override_settings
    from django.utils import timezone

    from gds_portal.models import SiteConfiguration
    from tests.factories.webinars import WebinarFactory, add_participants

    webinar = WebinarFactory(start_at=timezone.now() - timedelta(days=7))
    add_participants(webinar, range(100))
    # The site settings exist, as after a site's first request: creating them is a write
    # to a public table (every page shows them), which would retire the first page stored.
    SiteConfiguration.get_solo()
    cache = {"CACHE_URL": f"file://{tmp_path}", "PAGE_CACHE_SECONDS": "60"}
    servers = [Server(**cache), Server(**cache)]
    try:
        for server in servers:
            server.wait_until_up()

        def registrants(server) -> tuple[str, bool]:
            status, headers, page, _ = server.request("GET", "/webinars/")
            assert status == 200
            shown = re.search(r'data-testid="numbers-registrants">(\d+)<', page).group(1)
            return shown, headers.get("X-Page-Cache") == "hit"

        for server in servers:
            registrants(server)  # each stores the page (in its own memory)
            assert registrants(server) == ("100", True)
        # A third process (this one) writes, with the servers' cache.
        file_cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path),
            }
        }
        with override_settings(CACHES=file_cache, PAGE_CACHE_SECONDS=60):
            add_participants(webinar, range(100, 250))
        for server in servers:  # each renders afresh: its copy was retired
            assert registrants(server) == ("250", False)
    finally:
        for server in servers:
            server.stop()


class Collector:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        # A slow server keeps both workers busy at once, so they contend for rows.
        await asyncio.sleep(0.02)
        return "250 OK"


def test_two_outbox_workers_deliver_every_message_exactly_once():
    collector = Collector()
    smtp = Controller(collector, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        OutboundEmail.objects.bulk_create(
            OutboundEmail(
                from_email="GDS <no-reply@example.org>",
                to=[f"m{i}@example.org"],
                subject=f"Message {i}",
                body_text=f"Body {i}",
            )
            for i in range(60)
        )
        env = _env(EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}")
        command = [sys.executable, "manage.py", "send_queued_mail", "--batch", "3"]
        workers = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        for worker in workers:
            worker.communicate(timeout=120)
    finally:
        smtp.stop()

    assert all(worker.returncode == 0 for worker in workers)
    subjects = sorted(m["Subject"] for m in collector.messages)
    assert subjects == sorted(f"Message {i}" for i in range(60))
    statuses = set(OutboundEmail.objects.values_list("status", flat=True))
    assert statuses == {MailStatus.SENT}
