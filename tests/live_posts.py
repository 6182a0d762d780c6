"""The same form POST sent several times at once to the live test server, as a browser
would send it (a real session cookie and CSRF token): the exactly-once tests use it."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.test import Client


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hands a redirect back as the answer, so a test sees where a POST sends the browser."""

    def redirect_request(self, *args, **kwargs):
        return None


def browser_session(user, url: str) -> tuple[str, str]:
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


def post_in_parallel(url: str, fields: dict, *, user, times: int) -> list[tuple[int, str]]:
    """Load the form at `url` as `user`, then POST `fields` `times` times at the same
    moment (a barrier releases every thread together); returns each answer's
    (status, Location) — every one must be a redirect, or the list is short."""
    cookies, csrf = browser_session(user, url)
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": csrf}, doseq=True).encode()
    opener = urllib.request.build_opener(NoRedirect)
    start = threading.Barrier(times)
    answers: list[tuple[int, str]] = []

    def post():
        request = urllib.request.Request(  # noqa: S310 -- http URL of the live test server
            url, data=body, headers={"Cookie": cookies, "Referer": url}, method="POST"
        )
        start.wait()
        try:
            opener.open(request)
        except urllib.error.HTTPError as response:
            answers.append((response.code, response.headers["Location"]))

    threads = [threading.Thread(target=post) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
