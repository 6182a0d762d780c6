"""Bad input on the account forms: sign-up, login, password reset and profile."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from hypothesis import given

from accounts.models import User
from tests.accounts.test_views import SIGNUP
from tests.bad_input import (
    FORM_SETTINGS,
    assert_handled,
    corrupt,
    corruptions,
    each_field_nasty,
)

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Mia Member",
    "affiliation": "Lab A",
    "country": "DE",
    "career_stage": "senior",
    "orcid": "0000-0002-1825-0097",
    "aps_member_number": "61234567",
}


@pytest.fixture
def fresh():
    """A new anonymous browser per example, with rate limits and lockouts reset."""

    def make() -> Client:
        cache.clear()
        AccessAttempt.objects.all().delete()
        return Client()

    return make


@FORM_SETTINGS
@given(bad=corruptions(list(SIGNUP)))
def test_signup_survives_bad_input(fresh, bad):
    posted = corrupt(SIGNUP, bad)
    response = fresh().post("/accounts/signup/", posted)
    kept = ["full_name", "email", "affiliation", "country", "career_stage"]
    if assert_handled(response, posted=posted, bad=bad, kept=kept):
        assert User.objects.with_email(posted["email"]).exists()
        User.objects.with_email(posted["email"]).delete()


LOGIN = {"login": "member@example.org", "password": "not-the-password"}


@FORM_SETTINGS
@given(bad=corruptions(list(LOGIN)))
def test_login_survives_bad_input(fresh, bad):
    posted = corrupt(LOGIN, bad)
    response = fresh().post("/accounts/login/", posted)
    # A failed login never logs anyone in; the address typed stays in the form.
    assert not assert_handled(response, posted=posted, bad=bad, kept=["login"])


@FORM_SETTINGS
@given(bad=corruptions(["email"]))
def test_password_reset_survives_bad_input(fresh, bad):
    posted = corrupt({"email": "member@example.org"}, bad)
    response = fresh().post("/accounts/password/reset/", posted)
    assert_handled(response, posted=posted, bad=bad, kept=["email"])


@FORM_SETTINGS
@given(bad=corruptions(list(PROFILE)))
def test_profile_survives_bad_input(personas, client_for, bad):
    client = client_for(personas.member)
    posted = corrupt(PROFILE, bad)
    response = client.post("/my/profile/", posted)
    if assert_handled(response, posted=posted, bad=bad, kept=list(PROFILE)):
        personas.member.refresh_from_db()
        assert "\x00" not in personas.member.full_name + personas.member.affiliation


def test_every_account_form_survives_the_worst_value_in_every_field(fresh, personas, client_for):
    forms = [
        ("/accounts/signup/", SIGNUP),
        ("/accounts/login/", LOGIN),
        ("/accounts/password/reset/", {"email": "member@example.org"}),
    ]
    for url, data in forms:
        for _, bad in each_field_nasty(list(data)):
            posted = corrupt(data, bad)
            response = fresh().post(url, posted)
            kept = [name for name in data if not name.startswith("password")]
            if assert_handled(response, posted=posted, bad=bad, kept=kept):
                User.objects.with_email(posted["email"]).delete()
    member = client_for(personas.member)
    for _, bad in each_field_nasty(list(PROFILE)):
        posted = corrupt(PROFILE, bad)
        assert_handled(
            member.post("/my/profile/", posted), posted=posted, bad=bad, kept=list(PROFILE)
        )
