import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from accounts.identity import has_verified_address, verified_addresses
from accounts.rules import has_verified_email
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_verified_email_is_looked_up_once_per_user_object(django_assert_num_queries):
    user = UserFactory(email="mia@example.org")
    with django_assert_num_queries(1):
        assert [has_verified_email(user) for _ in range(3)] == [True, True, True]


def test_verified_email_is_checked_again_for_a_new_address():
    user = UserFactory(email="mia@example.org")
    assert has_verified_email(user)
    user.email = "mia@new.example.org"
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    assert not has_verified_email(user)


def test_one_read_of_the_verified_addresses_answers_every_question(django_assert_num_queries):
    user = UserFactory(email="mia@example.org")
    EmailAddress.objects.create(user=user, email="Mia@Work.example.org", verified=True)
    EmailAddress.objects.create(user=user, email="mia@old.example.org", verified=False)
    with django_assert_num_queries(1):
        assert verified_addresses(user) == {"mia@example.org", "mia@work.example.org"}
        assert has_verified_email(user)
        # Any spelling of a verified address is that address (accounts/identity.py).
        assert has_verified_address(user, "MIA@work.example.org")
        assert has_verified_address(user, "\uff4d\uff49\uff41@example.org")  # full-width
        assert not has_verified_address(user, "mia@old.example.org")
        assert not has_verified_address(user, "")


def test_another_members_verified_address_is_not_yours():
    UserFactory(email="mia@example.org")
    bob = UserFactory(email="bob@example.org")
    assert not has_verified_address(bob, "mia@example.org")


def test_an_anonymous_visitor_has_no_verified_address(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert verified_addresses(AnonymousUser()) == frozenset()
        assert not has_verified_address(AnonymousUser(), "mia@example.org")
