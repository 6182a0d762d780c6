"""Identity properties: look-alike spellings of a member's address, through every door.

Hypothesis writes the member's address with any mix of case changes, letters from
other alphabets that look the same (dotless i, long s, Kelvin sign, Cyrillic and
Greek letters, full-width forms, a digit one for an l, `rn` for an m) and invisible
characters, and tries it at sign-up, login (allauth's and the admin's), the login
throttle, email change, password reset and the admin's user forms. Whatever the
spelling:

* no page answers 500;
* no second account ever holds the address or a spelling of it;
* a spelling signs in only to the account whose canonical form it has, and a
  failed attempt counts only against the member's own lockout;
* a reset link goes only to an account's own address on file.

The attacker's alphabet below is test data (what an attacker would type), written
independently of the ICU data the code uses.
"""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.identity import canonical_email
from accounts.models import User
from gds_portal.models import OutboundEmail
from tests.accounts.test_views import SIGNUP
from tests.bad_input import FORM_SETTINGS
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MEMBER = "iris.sokal@example.org"
# An account from before the fix: the member's address with a dotless i, created
# directly (no form would accept it now), with its own password.
SQUATTER = "\u0131ris.sokal@example.org"
SQUATTER_PASSWORD = "squatter-pass-42"

LOOKALIKES = {
    "i": ["\u0131", "\u0130", "\u0456", "\u03b9", "\uff49", "\u2170", "i\u0307"],
    "s": ["\u017f", "\u0455", "\uff53"],
    "o": ["\u043e", "\u03bf", "\uff4f"],
    "k": ["\u212a", "\u03ba", "\uff4b"],
    "a": ["\u0430", "\u0251", "\uff41"],
    "l": ["1", "\u04cf", "\u217c", "\uff4c"],
    "e": ["\u0435", "\uff45"],
    "x": ["\u0445", "\uff58"],
    "m": ["rn", "\uff4d"],
    "p": ["\u0440", "\uff50"],
    "r": ["\uff52"],
    "c": ["\u0441"],
    ".": ["\u2024", "\uff0e"],
    "@": ["\uff20", "\ufe6b"],
}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


def spellings(address: str = MEMBER) -> st.SearchStrategy:
    """`address` written with look-alike letters, other case and invisible characters."""
    letters = [st.sampled_from([c, c.upper(), *LOOKALIKES.get(c, [])]) for c in address]
    written = st.tuples(*letters).map("".join)
    with_invisible = st.tuples(
        written, st.sampled_from(INVISIBLE), st.integers(0, len(address))
    ).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :])
    return st.one_of(written, with_invisible)


@pytest.fixture
def world():
    """The member (staff, so the admin login applies), the old squatter, a bystander,
    and a superuser who works in the admin."""
    member = UserFactory(email=MEMBER, is_staff=True)
    squatter = UserFactory(email=SQUATTER, password=SQUATTER_PASSWORD)
    bystander = UserFactory(email="bob@example.org")
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    return member, squatter, bystander, admin


def fresh_start() -> None:
    """Each example starts with no lockouts, rate limits or queued mail."""
    cache.clear()
    AccessAttempt.objects.all().delete()
    OutboundEmail.objects.all().delete()


def browser(address: str = "198.51.100.1") -> Client:
    return Client(REMOTE_ADDR=address, raise_request_exception=False)


def is_address(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def signed_in(response) -> User | None:
    pk = response.wsgi_request.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def assert_one_identity(world) -> None:
    """Nobody new holds the member's address in any spelling, and nothing moved."""
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(u.email for u in world)
    canonicals = list(User.objects.values_list("email_canonical", flat=True))
    assert len(canonicals) == len(set(canonicals))
    addresses = EmailAddress.objects.values_list("user__email", "email")
    assert sorted(addresses) == sorted([(u.email, u.email) for u in world])


@FORM_SETTINGS
@given(typed=spellings())
def test_signup_never_opens_a_second_account_for_a_spelling(world, typed):
    fresh_start()
    response = browser().post("/accounts/signup/", {**SIGNUP, "email": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert_one_identity(world)


@FORM_SETTINGS
@given(typed=spellings(), squatters_password=st.booleans(), door=st.sampled_from(["site", "admin"]))
def test_a_spelling_signs_in_only_to_the_account_with_its_canonical_form(
    world, typed, squatters_password, door
):
    fresh_start()
    password = SQUATTER_PASSWORD if squatters_password else PASSWORD
    url, field = ("/accounts/login/", "login") if door == "site" else ("/admin/login/", "username")
    response = browser().post(url, {field: typed, "password": password})
    assert response.status_code in {200, 302}
    user = signed_in(response)
    if user is not None:
        assert user.email_canonical == canonical_email(typed)
        assert user.check_password(password)
    # The member's own spellings do sign in, wherever the form takes them as an address
    # (the site's login field is an email field; Django refuses e.g. full-width letters
    # before the @ there, while the admin's username field takes any text).
    member = world[0]
    own_spelling = canonical_email(typed) == member.email_canonical and not squatters_password
    if own_spelling and (door == "admin" or is_address(typed)):
        assert user == member
    assert_one_identity(world)


@settings(FORM_SETTINGS, max_examples=10)
@given(tries=st.lists(spellings(), min_size=10, max_size=10))
def test_failed_logins_by_any_spelling_count_only_against_the_members_lockout(world, tries):
    fresh_start()
    member, _, bystander, _ = world
    for n, typed in enumerate(tries):
        response = browser(f"198.51.100.{n}").post(
            "/accounts/login/", {"login": typed, "password": "wrong-password"}
        )
        assert response.status_code in {200, 429}
        assert signed_in(response) is None
    counted = AccessAttempt.objects.all()
    assert {attempt.username for attempt in counted} <= {member.email_canonical}
    if sum(attempt.failures_since_start for attempt in counted) >= 10:
        locked = browser("203.0.113.1").post(
            "/accounts/login/", {"login": MEMBER, "password": PASSWORD}
        )
        assert locked.status_code == 429
    # Whatever happened to the member, nobody else was locked out.
    other = browser("203.0.113.2").post(
        "/accounts/login/", {"login": bystander.email, "password": PASSWORD}
    )
    assert signed_in(other) == bystander


@FORM_SETTINGS
@given(typed=spellings())
def test_email_change_to_a_spelling_of_another_members_address_is_refused(world, typed):
    fresh_start()
    bystander = world[2]
    client = browser()
    client.force_login(bystander)
    response = client.post("/accounts/email/", {"email": typed, "action_add": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert_one_identity(world)
    assert OutboundEmail.objects.count() == 0


@FORM_SETTINGS
@given(typed=spellings())
def test_password_reset_mails_only_the_address_on_file(world, typed):
    fresh_start()
    response = browser().post("/accounts/password/reset/", {"email": typed})
    assert response.status_code in {200, 302}
    owners = [u for u in world if u.email_canonical == canonical_email(typed)]
    sent = [mail.to for mail in OutboundEmail.objects.all()]
    # A spelling the form cannot take as an address sends nothing; any other reaches
    # the owner of its canonical form, at the address on file, and nobody else.
    assert sent in ([], [[u.email] for u in owners])
    assert_one_identity(world)


@FORM_SETTINGS
@given(typed=spellings(), edit=st.booleans())
def test_admin_never_gives_a_second_account_a_spelling_of_the_address(world, typed, edit):
    fresh_start()
    _, _, bystander, admin = world
    client = browser()
    client.force_login(admin)
    if edit:
        url = f"/admin/accounts/user/{bystander.pk}/change/"
        data = {
            "email": typed,
            "full_name": bystander.full_name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    else:
        url = "/admin/accounts/user/add/"
        data = {"email": typed, "full_name": "Look Alike", "usable_password": "false"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert_one_identity(world)
