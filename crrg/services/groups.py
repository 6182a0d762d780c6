"""The CRRG's interest groups: leaving the CRRG or a group, placing a member, the signed
leave links, messages to a group."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from crrg.enums import MembershipSource
from crrg.models import (
    GroupMessage,
    InterestGroup,
    InterestGroupMembership,
    Response,
)
from crrg.selectors.answering import contactable_members
from gds_portal.mail import send_template_mail

LEAVE_SALT = "crrg.leave-group"
# A link in a group message keeps working for a long while: people read old mail.
LEAVE_LINK_MAX_AGE = 60 * 60 * 24 * 180


def crrg_leave(*, user: User) -> None:
    """The member leaves the CRRG.

    Side effects: their membership responses are marked withdrawn (so their
    name leaves the public list and no group mail reaches them) and every
    interest-group membership is marked left. Answers are kept for the summaries.
    """
    now = timezone.now()
    with transaction.atomic():
        Response.objects.filter(
            user=user, questionnaire__grants_membership=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        InterestGroupMembership.objects.filter(user=user, left_at__isnull=True).update(left_at=now)


def interest_group_leave(*, user: User, group: InterestGroup) -> bool:
    """Mark the member's membership of `group` as left. Returns whether they were in it."""
    with transaction.atomic():
        updated = InterestGroupMembership.objects.filter(
            user=user, group=group, left_at__isnull=True
        ).update(left_at=timezone.now())
    return bool(updated)


def interest_group_add(*, group: InterestGroup, user: User) -> InterestGroupMembership:
    """A coordinator places a member in a group by hand (also re-adds one who left)."""
    with transaction.atomic():
        membership, _ = InterestGroupMembership.objects.update_or_create(
            group=group,
            user=user,
            defaults={"left_at": None, "source": MembershipSource.COORDINATOR},
        )
    return membership


def leave_token(*, user: User, group: InterestGroup) -> str:
    return signing.dumps({"u": user.pk, "g": group.pk}, salt=LEAVE_SALT, compress=True)


def leave_token_read(token: str) -> tuple[User, InterestGroup] | None:
    """The (member, group) a leave link was made for, or None if forged or expired."""
    try:
        data = signing.loads(token, salt=LEAVE_SALT, max_age=LEAVE_LINK_MAX_AGE)
        return User.objects.get(pk=data["u"]), InterestGroup.objects.get(pk=data["g"])
    except (
        signing.BadSignature,
        KeyError,
        TypeError,
        User.DoesNotExist,
        InterestGroup.DoesNotExist,
    ):
        return None


def group_message_send(*, group: InterestGroup, subject: str, body: str, by: User) -> GroupMessage:
    """Send a message to the group's members who consented to be contacted.

    Side effects: one GroupMessage row; one queued OutboundEmail per consenting
    active member, each carrying that member's own signed link to leave the group.
    """
    with transaction.atomic():
        recipients = [m.user for m in contactable_members(group)]
        message = GroupMessage.objects.create(
            group=group, subject=subject, body=body, sent_by=by, recipient_count=len(recipients)
        )
        for member in recipients:
            leave_url = settings.SITE_URL + reverse(
                "crrg:leave_link", kwargs={"token": leave_token(user=member, group=group)}
            )
            send_template_mail(
                "crrg/group-message",
                to=[member.email],
                context={
                    "group": group,
                    "subject": subject,
                    "body": body,
                    "member": member,
                    "leave_url": leave_url,
                },
                headers={"List-Unsubscribe": f"<{leave_url}>"},
            )
    return message
