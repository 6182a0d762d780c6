"""A database connection killed anywhere in a request: the friendly 503, text kept.

Under a storm of pg_terminate_backend (a failover, an administrator), 11 % of
abstract submissions were 500s from queries outside the abstract form's own
protected save: the session load, the user lookup, the view's first query. Any
OperationalError/InterfaceError that ends a request now answers with the 503 page
(gds_portal.views.server_error), which keeps every posted field and offers to
send them again (issue 15, break 12).

How the connection is killed, at an exact point and without hooks in our code:
the test takes an ACCESS EXCLUSIVE lock on the table the request is about to
read (django_session, accounts_user, meetings_meeting), waits until the live
server's backend queues on that lock, and terminates it — as the house test of
the protected save does with an advisory lock (tests/meetings/test_db_faults.py).
"""

import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction

from gds_portal.models import OutboundEmail
from meetings.models import Abstract, FormToken
from tests.bad_input import form_values
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.live_posts import browser_session
from tests.meetings.conftest import form_data
from tests.meetings.test_db_faults import _field_value, _post

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def focus():
    """The category that tests.meetings.conftest.form_data submits to."""
    meeting = MeetingFactory(name="March Meeting 2021", slug="march-2021")
    return SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")


def _kill_the_reader_of(table: str, killed: list[int], holding: threading.Event) -> None:
    """Lock `table`, terminate the first other backend that waits on it, unlock."""
    db = connections["default"]
    try:
        with transaction.atomic(), db.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            holding.set()
            give_up = time.monotonic() + 30
            while time.monotonic() < give_up and not killed:
                # Polling the server, not sleeping: ends as soon as the request waits.
                cursor.execute(
                    "SELECT pid FROM pg_locks WHERE relation = %s::regclass AND NOT granted",
                    [table],
                )
                if row := cursor.fetchone():
                    cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                    killed.append(row[0])
    finally:
        db.close()


def _post_while_killing(table: str, url: str, data: dict, cookies: str):
    killed: list[int] = []
    holding = threading.Event()
    killer = threading.Thread(target=_kill_the_reader_of, args=(table, killed, holding))
    killer.start()
    try:
        assert holding.wait(timeout=30)
        return (*_post(url, data, cookies), killed)
    finally:
        killer.join(timeout=30)


# The request reads these tables in this order: the session (middleware, lazily),
# the signed-in user (authentication), then the view's own first query.
KILL_POINTS = ["django_session", "accounts_user", "meetings_meeting"]


@pytest.mark.parametrize("table", KILL_POINTS)
def test_connection_killed_outside_the_save_is_the_503_with_the_text_kept(
    live_server, focus, table
):
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
    if table == "django_session":
        # Sessions are read through the cache (cached_db): a session the cache no longer
        # holds (evicted, or another server's) is read from the table, which dies here.
        caches[settings.SESSION_CACHE_ALIAS].clear()
    status, page, headers, killed = _post_while_killing(table, url, data, cookies)

    assert len(killed) == 1, table
    assert status == 503, page
    assert headers["Retry-After"] == "5"
    assert "no-store" in headers["Cache-Control"]
    assert "The database did not answer" in page
    # Every field comes back, ready to be sent again to the same address.
    for name in ("title", "body", "keywords", "authors-0-name", "authors-0-affiliations"):
        assert _field_value(page, name) == data[name], name
    assert _field_value(page, "token") == str(token)
    assert f'action="/meetings/my/abstracts/new/{focus.meeting.slug}/"' in page
    assert [Abstract.objects.count(), FormToken.objects.count()] == [0, 0]

    # "Send again" posts exactly what the page holds, and it goes through once.
    resent = {name: values[0] for name, values in form_values(page).items()}
    assert resent == data
    status, _, headers = _post(url, resent, cookies)
    abstract = Abstract.objects.get()
    assert (status, headers["Location"]) == (302, abstract.get_absolute_url())
    assert (abstract.title, abstract.body) == (data["title"], data["body"])
    assert OutboundEmail.objects.filter(to=["member@example.org"]).count() == 1


def test_connection_killed_on_a_page_load_is_the_503(live_server, focus):
    member = UserFactory(email="member@example.org")
    url = f"{live_server.url}/meetings/my/abstracts/new/{focus.meeting.slug}/"
    cookies, _ = browser_session(member, url)
    killed: list[int] = []
    holding = threading.Event()
    killer = threading.Thread(target=_kill_the_reader_of, args=("accounts_user", killed, holding))
    killer.start()
    try:
        assert holding.wait(timeout=30)
        request = urllib.request.Request(url, headers={"Cookie": cookies})  # noqa: S310 -- live server URL
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request)  # noqa: S310 -- http URL of the live test server
    finally:
        killer.join(timeout=30)
    assert (len(killed), error.value.code) == (1, 503)
    page = error.value.read().decode()
    assert "The database did not answer" in page
    assert "<form" not in page  # nothing was sent, so nothing to send again
