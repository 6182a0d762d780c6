"""Authentication abuse: throttling, client addresses, reset links, redirects, password change."""

import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from accounts.models import User
from gds_portal.models import OutboundEmail
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def fail_login(client: Client, email: str, **extra):
    return client.post(LOGIN, {"login": email, "password": "wrong-password"}, **extra)


def good_login(client: Client, email: str, **extra):
    return client.post(LOGIN, {"login": email, "password": PASSWORD}, **extra)


def test_tenth_failed_login_locks_the_account_with_a_friendly_429():
    UserFactory(email="ada@example.org")
    client = Client()
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False):
        for _ in range(9):
            assert fail_login(client, "ada@example.org").status_code == 200
        response = fail_login(client, "ada@example.org")
        # Even the right password is refused now, from any address.
        locked = good_login(Client(REMOTE_ADDR="198.51.100.7"), "ada@example.org")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert "Please wait before trying again" in html
    assert re.search(r"try again at <strong><time[^>]*>10:15 UTC</time></strong>", html)
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_lockout_ends_after_fifteen_minutes():
    UserFactory(email="ada@example.org")
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False) as clock:
        for n in range(10):
            fail_login(Client(REMOTE_ADDR=f"198.51.100.{n}"), "ada@example.org")
        assert good_login(Client(), "ada@example.org").status_code == 429
        clock.shift(15 * 60 + 1)
        assert good_login(Client(), "ada@example.org").status_code == 302


def test_account_count_ignores_letter_case():
    UserFactory(email="ada@example.org")
    client = Client()
    for n in range(10):
        response = fail_login(client, "ada@example.org".upper() if n % 2 else "Ada@Example.org")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "ada@example.org"


def test_one_address_is_throttled_across_accounts():
    for n in range(10):
        UserFactory(email=f"member{n}@example.org")
    client = Client(REMOTE_ADDR="203.0.113.9")
    responses = [fail_login(client, f"member{n}@example.org").status_code for n in range(10)]
    assert responses == [200] * 9 + [429]
    # Another address may still sign in to an account that was tried only once.
    assert good_login(Client(REMOTE_ADDR="203.0.113.10"), "member0@example.org").status_code == 302


def test_spoofed_forwarded_for_does_not_reset_the_address_count(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        UserFactory(email=f"member{n}@example.org")
    codes = [
        fail_login(
            Client(REMOTE_ADDR="203.0.113.9"),
            f"member{n}@example.org",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(10)
    ]
    assert codes == [200] * 9 + [429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_behind_one_proxy_only_the_proxy_appended_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        UserFactory(email=f"member{n}@example.org")
    codes = [
        # The client forges the left part; our proxy appends the real address.
        fail_login(
            Client(REMOTE_ADDR="10.0.0.2"),
            f"member{n}@example.org",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        ).status_code
        for n in range(10)
    ]
    assert codes == [200] * 9 + [429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_admin_login_is_throttled_too(personas):
    client = Client()
    for _ in range(9):
        client.post("/admin/login/", {"username": "staff@example.org", "password": "nope"})
    response = client.post("/admin/login/", {"username": "staff@example.org", "password": "x"})
    assert response.status_code == 429
    assert good_login(Client(), "staff@example.org").status_code == 429


def test_signup_is_throttled_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    client = Client(REMOTE_ADDR="203.0.113.50")
    codes = []
    for n in range(4):
        data = {
            "email": f"new{n}@example.org",
            "password1": "Bernoulli-1843-x",
            "password2": "Bernoulli-1843-x",
            "full_name": f"New {n}",
        }
        codes.append(client.post("/accounts/signup/", data).status_code)
    assert codes == [302, 302, 302, 429]
    assert User.objects.filter(email__startswith="new").count() == 3


def test_signup_throttle_page_says_when_to_try_again(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "0/h/ip"}
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False):
        response = Client().post("/accounts/signup/", {"email": "x@example.org"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "try again by <strong><time" in response.content.decode()
    assert "11:00 UTC" in response.content.decode()


def test_password_reset_is_throttled_per_account():
    UserFactory(email="ada@example.org")
    codes = [
        Client(REMOTE_ADDR=f"203.0.113.{n}")
        .post("/accounts/password/reset/", {"email": "ada@example.org"})
        .status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]
    assert OutboundEmail.objects.filter(to=["ada@example.org"]).count() == 5


def test_reset_link_uses_site_url_even_with_a_forged_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    settings.SITE_URL = "https://gds.example.org"
    UserFactory(email="ada@example.org")
    Client().post(
        "/accounts/password/reset/", {"email": "ada@example.org"}, HTTP_HOST="evil.example"
    )
    body = OutboundEmail.objects.get(to=["ada@example.org"]).body_text
    links = re.findall(r"https?://[^\s/]+/accounts/\S+", body)
    assert len(links) == 1
    assert links[0].startswith("https://gds.example.org/accounts/password/reset/key/")
    assert "evil.example" not in body


def test_confirmation_link_uses_site_url_even_with_a_forged_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    settings.SITE_URL = "https://gds.example.org"
    data = {
        "email": "new@example.org",
        "password1": "Bernoulli-1843-x",
        "password2": "Bernoulli-1843-x",
        "full_name": "New Member",
    }
    Client().post("/accounts/signup/", data, HTTP_HOST="evil.example")
    body = OutboundEmail.objects.get(to=["new@example.org"]).body_text
    assert re.findall(r"https?://[^\s/]+", body) == ["https://gds.example.org"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
    ],
)
def test_login_next_never_leaves_the_site(target):
    UserFactory(email="ada@example.org")
    response = Client().post(
        f"{LOGIN}?next={target}", {"login": "ada@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/"


def test_login_next_within_the_site_is_followed():
    UserFactory(email="ada@example.org")
    response = Client().post(
        f"{LOGIN}?next=/my/profile/", {"login": "ada@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/my/profile/"


def test_admin_login_next_never_leaves_the_site(personas):
    response = Client().post(
        "/admin/login/?next=https://evil.example/",
        {"username": "staff@example.org", "password": PASSWORD},
    )
    # Django's login view falls back to LOGIN_REDIRECT_URL, never to `next`.
    assert response.status_code == 302
    assert response["Location"] == "/my/"


def test_logout_next_never_leaves_the_site(client_for, personas):
    response = client_for(personas.member).post("/accounts/logout/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_password_change_requires_the_current_password(client_for, personas):
    client = client_for(personas.member)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "not-my-password",
            "password1": "Brand-new-pass-42",
            "password2": "Brand-new-pass-42",
        },
    )
    assert response.status_code == 200
    assert "Please type your current password" in response.content.decode()
    personas.member.refresh_from_db()
    assert personas.member.check_password(PASSWORD)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Brand-new-pass-42",
            "password2": "Brand-new-pass-42",
        },
    )
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.check_password("Brand-new-pass-42")


def test_password_change_form_has_no_way_around_the_current_password(client_for, personas):
    response = client_for(personas.member).post(
        "/accounts/password/change/",
        {"password1": "Brand-new-pass-42", "password2": "Brand-new-pass-42"},
    )
    assert response.status_code == 200
    personas.member.refresh_from_db()
    assert personas.member.check_password(PASSWORD)


def test_lockout_records_carry_no_password():
    UserFactory(email="ada@example.org")
    fail_login(Client(), "ada@example.org")
    attempt = AccessAttempt.objects.get()
    assert "wrong-password" not in f"{attempt.post_data} {attempt.get_data}"
    assert attempt.attempt_time <= timezone.now()
