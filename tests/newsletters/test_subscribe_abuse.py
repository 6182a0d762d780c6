"""The subscribe form is no address oracle and no mail cannon (issue 15, break 12).

An outside tester learnt whether an address was subscribed from the answer
("already subscribed") and sent 40 confirmation mails to one address in seconds.
The answer is now the same for every address a visitor types, and confirmation
mail is limited per address and per client address (allauth's rate limits, the
friendly 429 page).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from gds_portal.models import OutboundEmail
from newsletters.enums import SubscriptionStatus
from newsletters.models import Subscriber
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import SubscriberFactory

pytestmark = pytest.mark.django_db

URL = "/newsletters/subscribe/"


def _answer(address: str, client: Client | None = None) -> tuple:
    """Everything the visitor sees after sending `address`, with the address itself blanked."""
    client = client or Client()
    response = client.post(URL, {"email": address})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return (
        response.status_code,
        response.get("Location"),
        sorted(response.cookies),
        page.status_code,
        # The CSRF token is masked afresh on every page; nothing else may differ.
        re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "TOKEN", page.content.decode()).replace(
            address, "ADDRESS"
        ),
    )


def test_subscribe_answer_is_the_same_whether_or_not_the_address_is_known(
    django_capture_on_commit_callbacks,
):
    # Four addresses a prober could try: subscribed with an account, subscribed
    # without one, an account that is not subscribed, and an unknown address.
    SubscriberFactory(email="both@example.org", user=UserFactory(email="both@example.org"))
    SubscriberFactory(email="subs@example.org")
    UserFactory(email="acct@example.org")
    addresses = ["both@example.org", "subs@example.org", "acct@example.org", "none@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_answer(address) for address in addresses]
    assert answers[0][:2] == (302, reverse("newsletters:subscribe"))
    assert "already subscribed" not in answers[0][4]
    assert answers == [answers[0]] * 4
    # Only the addresses that were not subscribed were asked to confirm; the
    # subscriptions themselves are untouched.
    assert sorted(m.to[0] for m in OutboundEmail.objects.all()) == [
        "acct@example.org",
        "none@example.org",
    ]
    assert dict(Subscriber.objects.values_list("email", "status")) == {
        "both@example.org": SubscriptionStatus.ACTIVE,
        "subs@example.org": SubscriptionStatus.ACTIVE,
        "acct@example.org": SubscriptionStatus.PENDING,
        "none@example.org": SubscriptionStatus.PENDING,
    }


def test_subscribe_another_members_address_while_signed_in_tells_nothing(
    client_for, personas, django_capture_on_commit_callbacks
):
    SubscriberFactory(email=personas.other_member.email, user=personas.other_member)
    client = client_for(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        known = _answer(personas.other_member.email, client)
        unknown = _answer("nobody@example.org", client)
    assert known == unknown
    assert [m.to for m in OutboundEmail.objects.all()] == [["nobody@example.org"]]


def test_subscribe_own_verified_address_again_is_a_plain_yes(client_for, personas):
    # The member's own verified address: saying "subscribed" tells them nothing new.
    client = client_for(personas.member)
    for _ in range(2):
        response = client.post(URL, {"email": personas.member.email}, follow=True)
        assert f"{personas.member.email} is subscribed" in response.content.decode()
    assert list(Subscriber.objects.values_list("email", "status", "user")) == [
        (personas.member.email, SubscriptionStatus.ACTIVE, personas.member.pk)
    ]
    assert OutboundEmail.objects.count() == 0


def test_subscribe_41_times_for_one_address_mails_it_three_times(
    django_capture_on_commit_callbacks,
):
    # The attack: 40 confirmation mails to one victim in seconds, from many
    # client addresses (a botnet), in any letter case.
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            Client(REMOTE_ADDR=f"203.0.113.{n}").post(
                URL, {"email": "Victim@example.org" if n % 2 else "victim@EXAMPLE.org"}
            )
            for n in range(41)
        ]
    assert OutboundEmail.objects.count() == 3
    assert [a.status_code for a in answers] == [302] * 3 + [429] * 38
    last = answers[-1]
    assert "Please wait before trying again" in last.content.decode()
    assert int(last["Retry-After"]) > 0
    assert Subscriber.objects.count() == 1


def test_subscribe_41_addresses_from_one_client_mails_twenty(
    django_capture_on_commit_callbacks,
):
    client = Client(REMOTE_ADDR="198.51.100.7")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(URL, {"email": f"r{n}@example.org"}) for n in range(41)]
    assert OutboundEmail.objects.count() == 20
    assert [a.status_code for a in answers] == [302] * 20 + [429] * 21
    assert Subscriber.objects.count() == 20
    # Another network is not held back by this one.
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="192.0.2.1").post(URL, {"email": "elsewhere@example.org"})
    assert OutboundEmail.objects.filter(to=["elsewhere@example.org"]).count() == 1
