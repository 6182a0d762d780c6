"""Blocks the newsletter adds to the home page and to person pages."""

from accounts.identity import same_address
from newsletters import selectors
from newsletters.enums import SubscriptionStatus
from newsletters.models import Subscriber
from newsletters.services import manage_url, unsubscribe_url


def latest(request) -> dict | None:
    issue = selectors.latest_issue()
    if issue is None:
        return None
    return {
        "issue": issue,
        "contents": selectors.issue_contents(issue),
    }


def articles(request, person) -> dict | None:
    found = selectors.articles_by_person(person)
    return {"articles": found} if found else None


def my_subscription(request) -> dict:
    """The member's own subscription, found by their account's address only."""
    # iexact finds candidates; the canonical form decides (accounts/identity.py).
    subscriber = next(
        (
            s
            for s in Subscriber.objects.filter(email__iexact=request.user.email)
            if same_address(s.email, request.user.email)
        ),
        None,
    )
    active = subscriber is not None and subscriber.status == SubscriptionStatus.ACTIVE
    return {
        "subscribed": active,
        "email": request.user.email,
        "kind": subscriber.get_kind_display() if active else "",
        "unsubscribe_url": unsubscribe_url(subscriber) if active else "",
        "manage_url": manage_url(subscriber) if active else "",
    }
