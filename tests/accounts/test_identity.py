"""One identity per address (issue 15, break 3): look-alike addresses never lock a member out.

`iris@` spelled with a dotless i (U+0131) used to be accepted next to `iris@`;
PostgreSQL's UPPER folds the dotless i to I, so the `email__iexact` login lookup
found both accounts and every login of iris was a 500 on /accounts/login/ and
/admin/login/. The property tests over many look-alike spellings are in
test_identity_properties.py.
"""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory

from accounts.enums import Role
from accounts.identity import canonical_email, lookalike_key
from accounts.models import User
from tests.accounts.test_views import SIGNUP
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DOTLESS = "ir\u0131s@example.org"  # `iris` with a dotless i (U+0131)
LONG_S = "\u017fam@example.org"  # `sam` with a long s (U+017F)
KELVIN = "\u212aim@example.org"  # `kim` with the Kelvin sign (U+212A)
CYRILLIC_A = "\u0430lice@example.org"  # `alice` with a Cyrillic a (U+0430)
FULLWIDTH_DOMAIN = "bob@\uff45xample.org"  # a full-width e in the domain


def browser() -> Client:
    # A 500 must show as a response, as a member would see it, not as an exception.
    return Client(raise_request_exception=False)


def signed_in_as(response) -> int | None:
    pk = response.wsgi_request.session.get("_auth_user_id")
    return int(pk) if pk else None


def test_lookalike_signup_is_refused_and_the_member_still_signs_in():
    iris = UserFactory(email="iris@example.org", is_staff=True)
    response = browser().post("/accounts/signup/", {**SIGNUP, "email": DOTLESS})
    assert response.status_code == 200
    assert "look like ordinary letters" in response.context["form"].errors["email"][0]
    assert list(User.objects.values_list("email", flat=True)) == ["iris@example.org"]
    login = browser().post("/accounts/login/", {"login": "iris@example.org", "password": PASSWORD})
    assert login.status_code == 302
    assert signed_in_as(login) == iris.pk
    admin = browser().post("/admin/login/", {"username": "iris@example.org", "password": PASSWORD})
    assert admin.status_code == 302
    assert signed_in_as(admin) == iris.pk


def test_an_old_lookalike_account_no_longer_breaks_the_members_login():
    # Accounts created before the fix stay in the database: the lookup must cope.
    iris = UserFactory(email="iris@example.org", is_staff=True)
    squatter = UserFactory(email=DOTLESS, password="squatter-pass-42")
    for url, field in [("/accounts/login/", "login"), ("/admin/login/", "username")]:
        response = browser().post(url, {field: "iris@example.org", "password": PASSWORD})
        assert response.status_code == 302, url
        assert signed_in_as(response) == iris.pk
        # The squatter's password never opens the member's account.
        response = browser().post(url, {field: "iris@example.org", "password": "squatter-pass-42"})
        assert signed_in_as(response) is None
    response = browser().post(
        "/accounts/login/", {"login": DOTLESS, "password": "squatter-pass-42"}
    )
    assert signed_in_as(response) == squatter.pk


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("sam@example.org", LONG_S),
        ("kim@example.org", KELVIN),
        ("alice@example.org", CYRILLIC_A),
        ("bob@example.org", FULLWIDTH_DOMAIN),
        ("mary@example.org", "rnary@example.org"),
        ("alice@example.org", "a1ice@example.org"),
        ("alice@example.org", "ALICE@Example.ORG"),
    ],
)
def test_signup_refuses_every_spelling_of_an_existing_address(existing, typed):
    UserFactory(email=existing)
    response = browser().post("/accounts/signup/", {**SIGNUP, "email": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert User.objects.count() == 1
    # The rest of what was typed is kept.
    assert 'value="Analytical Engines Lab"' in response.text


@pytest.mark.parametrize(
    "typed", [DOTLESS, LONG_S, CYRILLIC_A, FULLWIDTH_DOMAIN, "i\u0307ris@example.org"]
)
def test_signup_refuses_lookalike_letters_even_before_the_member_signs_up(typed):
    # Otherwise a squatter who came first would keep the real member out.
    response = browser().post("/accounts/signup/", {**SIGNUP, "email": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        '"alice"@example.org',
        '"al\\ice"@example.org',
        "alice@example\u3002org",
        "alice@example\uff0eorg",
        "alice@example\uff61org",
        "alice@[127.0.0.1]",
        "alice@mail\u3002example.org",
    ],
)
def test_signup_refuses_another_spelling_of_a_mailbox(typed):
    # `"alice"@…` and `alice@example。org` (an ideographic full stop, which IDNA reads as
    # a dot) are alice's mailbox under other spellings: a second account for her inbox
    # (found by the outside probes). A domain literal sends our mail to any IP address.
    # Refused whether or not alice has signed up.
    for existing in ([], ["alice@example.org"]):
        User.objects.all().delete()
        for address in existing:
            UserFactory(email=address)
        response = browser().post("/accounts/signup/", {**SIGNUP, "email": typed})
        assert response.status_code == 200
        assert response.context["form"].errors["email"]
        assert User.objects.count() == len(existing)


def test_every_idna_dot_is_the_same_address():
    spellings = [f"alice@demo{dot}example.org" for dot in (".", "\u3002", "\uff0e", "\uff61")]
    assert {canonical_email(spelling) for spelling in spellings} == {"alice@demo.example.org"}


@pytest.mark.parametrize("typed", ["jose@caf\u00e9.example", "ada@m\u00fcnchen.example"])
def test_signup_accepts_ordinary_accented_addresses(typed):
    response = browser().post("/accounts/signup/", {**SIGNUP, "email": typed})
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email_canonical == canonical_email(typed)


def test_kelvin_sign_is_read_as_the_letter_k():
    # Python's lower() already turns the Kelvin sign into an ASCII k: stored as kim@.
    assert browser().post("/accounts/signup/", {**SIGNUP, "email": KELVIN}).status_code == 302
    assert list(User.objects.values_list("email", flat=True)) == ["kim@example.org"]
    response = browser().post("/accounts/signup/", {**SIGNUP, "email": KELVIN})
    assert response.context["form"].errors["email"]
    assert User.objects.count() == 1


def test_login_finds_the_account_by_its_canonical_form():
    sam = UserFactory(email="sam@example.org")
    for typed in ["SAM@example.org", LONG_S, "sam@\uff45xample.org"]:
        response = browser().post("/accounts/login/", {"login": typed, "password": PASSWORD})
        assert signed_in_as(response) == sam.pk, typed


def test_lookalike_failures_count_against_the_members_lockout():
    UserFactory(email="alice@example.org")
    # Five spellings a login form accepts as an address (Django refuses Cyrillic
    # letters before the @), each tried twice from a new network address.
    spellings = [
        "ALICE@example.org",
        "a1ice@example.org",
        "al\u0131ce@example.org",
        "alice@\uff45xample.org",
        "alice@\u0435xample.org",
    ]
    for n, typed in enumerate(spellings * 2):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            "/accounts/login/", {"login": typed, "password": "wrong-password"}
        )
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice@example.org"}
    locked = Client(REMOTE_ADDR="203.0.113.1").post(
        "/accounts/login/", {"login": "alice@example.org", "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert signed_in_as(locked) is None


def test_password_reset_mails_only_the_address_on_file():
    UserFactory(email="sam@example.org")
    response = browser().post("/accounts/password/reset/", {"email": LONG_S})
    assert response.status_code == 302
    from gds_portal.models import OutboundEmail

    assert [mail.to for mail in OutboundEmail.objects.all()] == [["sam@example.org"]]


def test_email_change_to_a_lookalike_of_another_members_address_is_refused(personas, client_for):
    UserFactory(email="alice@example.org")
    client = client_for(personas.member)
    response = client.post("/accounts/email/", {"email": CYRILLIC_A, "action_add": ""})
    assert response.status_code == 200
    response = client.post("/accounts/email/", {"email": "a1ice@example.org", "action_add": ""})
    assert response.status_code == 200
    assert "looks the same" in response.context["form"].errors["email"][0]
    assert (
        not EmailAddress.objects.filter(user=personas.member)
        .exclude(email=personas.member.email)
        .exists()
    )


def test_admin_cannot_create_an_account_under_a_lookalike_address(personas, client_for):
    UserFactory(email="iris@example.org")
    response = client_for(personas.staff).post(
        "/admin/accounts/user/add/",
        {"email": DOTLESS, "full_name": "Squatter", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "look like ordinary letters" in response.text
    assert not User.objects.filter(full_name="Squatter").exists()


def test_role_command_finds_the_member_by_any_spelling(personas):
    call_command("role", "grant", "Member@EXAMPLE.org", Role.PROGRAM_COMMITTEE.value)
    personas.member.refresh_from_db()
    assert personas.member.groups.filter(name=Role.PROGRAM_COMMITTEE).exists()


def test_saved_accounts_carry_their_canonical_form_and_lookalike_key():
    user = User.objects.create_user("Sam@Example.org", "pw-123456789", full_name="Sam")
    user.refresh_from_db()
    assert user.email == "sam@example.org"
    assert user.email_canonical == "sam@example.org"
    assert user.email_lookalike_key == lookalike_key(LONG_S.replace("\u017f", "s"))
    user.email = "samuel@example.org"
    user.save(update_fields=["email"])
    user.refresh_from_db()
    assert user.email_canonical == "samuel@example.org"


def test_migration_keeps_the_address_with_the_first_verified_account():
    # Before the fix `sam@` with a long s could be registered next to `sam@`; the
    # migration that adds the unique canonical form must leave one of them the owner.
    from importlib import import_module

    fill = import_module("accounts.migrations.0004_fill_email_canonical").fill
    constraint = User._meta.constraints[0]
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, constraint)
    sam = UserFactory(email="sam@example.org")
    later = UserFactory(email="later@example.org")
    User.objects.filter(pk=later.pk).update(email=LONG_S, email_canonical="sam@example.org")
    fill(apps, None)
    with connection.schema_editor() as editor:
        editor.add_constraint(User, constraint)
    sam.refresh_from_db()
    later.refresh_from_db()
    assert (sam.email_canonical, sam.is_active) == ("sam@example.org", True)
    assert (later.email_canonical, later.is_active) == (None, False)
    assert later.email_lookalike_key == sam.email_lookalike_key
    # Only the owner can be found, signed in to or sent a reset link.
    assert list(User.objects.with_email(LONG_S)) == [sam]
    # The admin cannot save the old duplicate until it is given its own address.
    client = Client()
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    response = client.post(
        f"/admin/accounts/user/{later.pk}/change/",
        {
            "email": LONG_S,
            "full_name": "Later",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.text


def test_confirming_a_change_to_an_address_taken_meanwhile_is_refused_not_a_500():
    from allauth.account.models import EmailConfirmationHMAC

    mover = UserFactory(email="mover@example.org")
    pending = EmailAddress.objects.create(user=mover, email="carol@example.org", verified=False)
    # Carol registered the address after the change was asked for (the rows are made
    # directly: allauth's own check would have stopped her at sign-up).
    UserFactory(email="carol@example.org", verified=False)
    client = Client(raise_request_exception=False)
    client.force_login(mover)
    response = client.post(f"/accounts/confirm-email/{EmailConfirmationHMAC(pending).key}/")
    assert response.status_code in {200, 302}
    mover.refresh_from_db()
    pending.refresh_from_db()
    assert mover.email == "mover@example.org"
    assert pending.verified is False


def test_an_old_lookalike_member_never_claims_another_persons_profile_or_subscription():
    # Person and Subscriber have no canonical column; their lookups by a member's
    # address used iexact, under which the dotless spelling is the member's address.
    from newsletters.sections import my_subscription
    from tests.factories.community import PersonFactory
    from tests.factories.newsletters import SubscriberFactory
    from webinars.services import person_for_member

    iris_person = PersonFactory(email="iris@example.org")
    SubscriberFactory(email="iris@example.org")
    squatter = UserFactory(email=DOTLESS)
    person = person_for_member(squatter)
    assert person != iris_person
    # The squatter gets a profile of its own (unlinked: linking is the executive's act).
    assert person.email == DOTLESS
    assert person.user is None
    iris_person.refresh_from_db()
    assert iris_person.user is None
    request = RequestFactory().get("/my/")
    request.user = squatter
    assert my_subscription(request)["subscribed"] is False
