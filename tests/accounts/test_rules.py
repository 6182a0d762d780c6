import pytest
from allauth.account.models import EmailAddress

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
