import pytest

from tests.factories.accounts import UserFactory
from tests.factories.ombudsman import appoint


@pytest.fixture
def ombudsman(db):
    """The current holder of the office: the only person who reads concerns."""
    holder = UserFactory(email="ombuds@example.org", full_name="Olga Ombudsman")
    appoint(holder)
    return holder
