"""Real concurrency against PostgreSQL: parallel requests and parallel submissions."""

import re
import threading
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings import services
from meetings.enums import AbstractState
from meetings.models import Abstract, FormToken
from tests.factories.accounts import UserFactory
from tests.factories.meetings import abstract_data
from tests.meetings.conftest import form_data

# serialized_rollback puts back what data migrations wrote (committee groups, units)
# after the flush that ends a transactional test, so later tests still find them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser_session(user, url: str) -> tuple[str, str]:
    """A logged-in session cookie and the CSRF token from loading the form, like a browser."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    request = urllib.request.Request(  # noqa: S310 -- http URL of the live test server
        url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 -- http URL of the live test server
        html = response.read().decode()
        csrf_cookie = re.search(
            rf"{settings.CSRF_COOKIE_NAME}=([^;]+)", response.headers["Set-Cookie"]
        )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={session}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf_cookie.group(1)}"
    )
    return cookies, token


def test_twenty_parallel_posts_of_one_token_make_one_abstract(live_server, focus):
    # Transactional tests empty the tables, committee groups included: plain members only.
    member = UserFactory(email="member@example.org")
    url = f"{live_server.url}/meetings/my/abstracts/new/{focus.meeting.slug}/"
    cookies, csrf = _browser_session(member, url)
    body = urllib.parse.urlencode(
        {**form_data(token=uuid.uuid4(), action="submit"), "csrfmiddlewaretoken": csrf}
    ).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    start = threading.Barrier(20)
    locations: list[str] = []

    def post():
        request = urllib.request.Request(  # noqa: S310 -- http URL of the live test server
            url, data=body, headers={"Cookie": cookies, "Referer": url}, method="POST"
        )
        start.wait()
        try:
            opener.open(request)
        except urllib.error.HTTPError as response:
            locations.append((response.code, response.headers["Location"]))

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    abstract = Abstract.objects.get()
    assert abstract.state == AbstractState.SUBMITTED
    url = abstract.get_absolute_url()
    assert sorted(locations) == [(302, url)] + [(302, f"{url}?resent=1")] * 19
    assert FormToken.objects.count() == 1
    assert OutboundEmail.objects.filter(to__contains=["member@example.org"]).count() == 1


def test_parallel_submissions_never_share_a_reference(focus):
    members = [UserFactory(), UserFactory()]
    start = threading.Barrier(10)
    references: list[str] = []
    errors: list[Exception] = []

    def submit(member):
        try:
            start.wait()
            outcome = services.abstract_save(
                meeting=focus.meeting,
                by=member,
                data=abstract_data(focus),
                token=uuid.uuid4(),
                submit=True,
            )
            references.append(outcome.abstract.reference)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(members[n % 2],)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [f"MAR21-{n:06d}" for n in range(1, 11)]


def test_parallel_decision_sends_mail_each_abstract_once(focus):
    from meetings.enums import Decision
    from tests.factories.meetings import make_abstract

    # The services refuse anyone outside the Program committee (defence in depth).
    chair = UserFactory(roles=[Role.PROGRAM_COMMITTEE])
    abstracts = [make_abstract(submitter=UserFactory(), category=focus) for _ in range(3)]
    services.abstracts_decide(abstracts=abstracts, decision=Decision.REJECT, by=chair)
    OutboundEmail.objects.all().delete()  # the receipts
    start = threading.Barrier(6)
    sent: list[int] = []
    errors: list[Exception] = []

    def send():
        try:
            start.wait()
            sent.append(services.decisions_send(meeting=focus.meeting, by=chair))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 3
    recipients = sorted(m.to[0] for m in OutboundEmail.objects.all())
    assert recipients == sorted(a.submitter.email for a in abstracts)
