"""Database faults: the request's connection is terminated inside its transaction.

The live server handles the request in its own thread and connection. A signal
receiver makes that connection wait on a PostgreSQL advisory lock the test holds,
right after the abstract row has been written (authors are bulk-inserted, which
sends no signals, so the hook sits on the abstract's own save); the test then
kills the waiting backend with pg_terminate_backend, as a failover or an
administrator would.
"""

import html
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.db import connection, connections
from django.db.models.signals import post_save

from gds_portal.models import OutboundEmail
from meetings.models import (
    Abstract,
    AbstractAuthor,
    Affiliation,
    FormToken,
    HistoricalAbstract,
    ReferenceCounter,
)
from tests.factories.accounts import UserFactory
from tests.live_posts import NoRedirect, browser_session
from tests.meetings.conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOCK_KEY = 7_310_010  # any bigint no other code uses as an advisory lock key


def _wait_on_lock(sender, instance, created, **kwargs):
    # Runs in the live server's request thread, inside the submission's transaction.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _kill_the_waiter(killed: list[int], done: threading.Event) -> None:
    """Hold the lock, wait until a backend queues on it, terminate that backend."""
    db = connections["default"]
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
            done.set()
            give_up = time.monotonic() + 30
            while time.monotonic() < give_up:
                # Polling the server, not sleeping: the loop ends as soon as the
                # request is inside its transaction, waiting on our lock.
                cursor.execute(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND objid = %s",
                    [LOCK_KEY],
                )
                if row := cursor.fetchone():
                    cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                    killed.append(row[0])
                    break
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    finally:
        db.close()


def _post(url: str, data: dict, cookies: str):
    request = urllib.request.Request(  # noqa: S310 -- http URL of the live test server
        url,
        data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": cookies, "Referer": url},
        method="POST",
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as response:
        return response.code, response.read().decode(), response.headers


def _field_value(page: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, name
    tag = match.group(0)
    if tag.startswith("<textarea"):
        end = page.index("</textarea>", match.end())
        return html.unescape(page[match.end() : end]).removeprefix("\n")
    return html.unescape(re.search(r'value="([^"]*)"', tag).group(1))


def test_connection_killed_mid_submission_keeps_text_and_writes_nothing(live_server, focus):
    member = UserFactory(email="member@example.org")
    url = f"{live_server.url}/meetings/my/abstracts/new/{focus.meeting.slug}/"
    cookies, csrf = browser_session(member, url)
    token = uuid.uuid4()
    data = {
        **form_data(
            token=token,
            action="submit",
            title="Résumé of $\\alpha$ phases — ünïcode kept",
            body="Line one with $x^2$.\nLine two & <three>.",
        ),
        "csrfmiddlewaretoken": csrf,
    }
    killed: list[int] = []
    holding = threading.Event()
    killer = threading.Thread(target=_kill_the_waiter, args=(killed, holding))
    killer.start()
    assert holding.wait(timeout=30)
    post_save.connect(_wait_on_lock, sender=Abstract, dispatch_uid="db-fault")
    try:
        status, page, headers = _post(url, data, cookies)
    finally:
        post_save.disconnect(sender=Abstract, dispatch_uid="db-fault")
        killer.join(timeout=30)

    assert len(killed) == 1
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert "nothing was saved" in page
    assert "please try again" in page
    # Every word typed comes back, the token too (so a retry cannot save twice).
    for name in ("title", "body", "keywords", "authors-0-name", "authors-0-affiliations"):
        assert _field_value(page, name) == data[name], name
    assert _field_value(page, "token") == str(token)
    # The transaction rolled back: no partial rows anywhere.
    assert [
        Abstract.objects.count(),
        HistoricalAbstract.objects.count(),
        AbstractAuthor.objects.count(),
        Affiliation.objects.count(),
        FormToken.objects.count(),
        ReferenceCounter.objects.count(),
        OutboundEmail.objects.count(),
    ] == [0] * 7

    # The same form sent again succeeds at once: no restart, no double.
    status, _, headers = _post(url, data, cookies)
    abstract = Abstract.objects.get()
    assert (status, headers["Location"]) == (302, abstract.get_absolute_url())
    assert (abstract.reference, abstract.title, abstract.body) == (
        "MAR21-000001",
        data["title"],
        data["body"],
    )
    assert list(abstract.authors.values_list("name", flat=True)) == ["Mia Member"]
    assert OutboundEmail.objects.filter(to=["member@example.org"]).count() == 1
