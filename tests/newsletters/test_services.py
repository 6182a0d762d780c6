import datetime as dt

import pytest
from django.utils import timezone

from gds_portal.history import status_steps
from gds_portal.models import OutboundEmail
from newsletters.enums import IssueStatus, SubscriptionStatus
from newsletters.models import Issue, IssueAnnouncement, Subscriber
from newsletters.services import (
    PublishError,
    announce_due_issues,
    issue_publish,
    issue_unpublish,
    subscriber_confirm,
    subscriber_for_confirm_token,
    subscriber_for_unsubscribe_token,
    subscriber_subscribe,
    subscriber_unsubscribe,
    unsubscribe_url,
)
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import (
    ArticleFactory,
    IssueFactory,
    SubscriberFactory,
    authored_article,
)

pytestmark = pytest.mark.django_db(transaction=False)


def draft(**kwargs) -> Issue:
    return IssueFactory(status=IssueStatus.DRAFT, published_at=None, **kwargs)


def test_visible_excludes_drafts_and_future_scheduled_but_not_past_scheduled():
    published = IssueFactory()
    IssueFactory(status=IssueStatus.DRAFT, published_at=None)
    IssueFactory(status=IssueStatus.SCHEDULED, published_at=timezone.now() + dt.timedelta(hours=1))
    # Scheduled for a time that has passed: visible without anything having run.
    due = IssueFactory(
        status=IssueStatus.SCHEDULED, published_at=timezone.now() - dt.timedelta(minutes=1)
    )
    # Unpublished after having been published: its time is kept, but it is a draft.
    IssueFactory(status=IssueStatus.DRAFT)
    assert sorted(Issue.objects.visible().values_list("pk", flat=True)) == sorted(
        [published.pk, due.pk]
    )
    assert due.state_label == "Published"


def test_publish_refuses_issue_without_articles():
    issue = draft()
    with pytest.raises(PublishError, match="has no articles"):
        issue_publish(issue=issue, by=None)
    issue.refresh_from_db()
    assert (issue.status, issue.history.count()) == (IssueStatus.DRAFT, 1)  # as made


def test_publish_refuses_article_without_author_and_names_it():
    issue = draft()
    authored_article(issue=issue, title="Has an author")
    ArticleFactory(issue=issue, title="Lonely piece")
    with pytest.raises(PublishError, match="“Lonely piece”") as error:
        issue_publish(issue=issue, by=None)
    assert "Has an author" not in error.value.message
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_publish_now_records_who_and_when(personas):
    issue = draft()
    authored_article(issue=issue)
    before = timezone.now()
    issue_publish(issue=issue, by=personas.newsletter_editor)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED
    assert before <= issue.published_at <= timezone.now()
    change = status_steps(issue)[0]
    assert (change.before, change.after, change.by, change.record.published_at) == (
        "Draft",
        "Published",
        personas.newsletter_editor,
        issue.published_at,
    )
    assert Issue.objects.visible().filter(pk=issue.pk).exists()


def test_publish_with_future_time_schedules_and_stays_invisible(personas):
    issue = draft()
    authored_article(issue=issue)
    later = timezone.now() + dt.timedelta(days=2)
    issue_publish(issue=issue, by=personas.newsletter_editor, at=later)
    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (IssueStatus.SCHEDULED, later)
    assert not Issue.objects.visible().filter(pk=issue.pk).exists()


def test_unpublish_hides_issue_and_records_it(personas):
    issue = IssueFactory()
    authored_article(issue=issue)
    issue_unpublish(issue=issue, by=personas.staff)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert not Issue.objects.visible().exists()
    assert [(s.before, s.after, s.by) for s in status_steps(issue)] == [
        ("Published", "Draft", personas.staff),
        ("", "Published", None),  # made by the factory
    ]


def test_publish_announces_once_to_each_active_subscriber_however_often_pressed(
    django_capture_on_commit_callbacks,
):
    active = SubscriberFactory(email="active@example.org")
    SubscriberFactory(email="pending@example.org", status=SubscriptionStatus.PENDING)
    SubscriberFactory(email="gone@example.org", status=SubscriptionStatus.UNSUBSCRIBED)
    issue = draft(title="Winter 2031")
    authored_article(issue=issue, title="Spin glasses and transformers")
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
        issue_unpublish(issue=issue, by=None)
        issue_publish(issue=issue, by=None)
    mails = list(OutboundEmail.objects.all())
    assert [m.to for m in mails] == [["active@example.org"]]
    assert list(IssueAnnouncement.objects.values_list("issue", "subscriber")) == [
        (issue.pk, active.pk)
    ]
    mail = mails[0]
    assert mail.subject == "New GDS Newsletter: Winter 2031"
    assert "Spin glasses and transformers" in mail.body_text
    assert unsubscribe_url(active) in mail.body_text
    assert unsubscribe_url(active) in mail.body_html
    assert mail.headers == {
        "List-Unsubscribe": f"<{unsubscribe_url(active)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_pressing_publish_on_an_issue_readers_already_see_mails_nobody(
    django_capture_on_commit_callbacks,
):
    # e.g. a back issue imported as published: its readers were told years ago.
    back_issue = IssueFactory()
    authored_article(issue=back_issue)
    SubscriberFactory(email="new@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=back_issue, by=None)
    assert OutboundEmail.objects.count() == 0


def test_republishing_after_unpublish_tells_only_those_not_yet_told(
    django_capture_on_commit_callbacks,
):
    SubscriberFactory(email="early@example.org")
    issue = draft()
    authored_article(issue=issue)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None)
    SubscriberFactory(email="late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        issue_unpublish(issue=issue, by=None)
        issue_publish(issue=issue, by=None)
    assert list(OutboundEmail.objects.order_by("id").values_list("to", flat=True)) == [
        ["early@example.org"],
        ["late@example.org"],
    ]


def test_scheduled_issue_is_announced_by_the_command_once_its_time_has_come(
    django_capture_on_commit_callbacks,
):
    SubscriberFactory(email="reader@example.org")
    issue = draft()
    authored_article(issue=issue)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, by=None, at=timezone.now() + dt.timedelta(hours=1))
        assert announce_due_issues() == 0
    assert OutboundEmail.objects.count() == 0
    # The time passes (moved back rather than waiting); readers see it straight away.
    Issue.objects.filter(pk=issue.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    assert Issue.objects.visible().filter(pk=issue.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_due_issues() == 1
        assert announce_due_issues() == 0
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [["reader@example.org"]]
    # The scheduler's step is on record once, by no one, with why.
    steps = status_steps(issue)
    assert [s.after for s in steps] == ["Published", "Scheduled", "Draft"]
    assert (steps[0].before, steps[0].by, steps[0].reason) == (
        "Scheduled",
        None,
        "Published at its scheduled time",
    )


def test_subscribe_anonymous_is_pending_until_confirmed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = subscriber_subscribe(email="  Ada@Example.org ")
    assert (subscriber.email, subscriber.status) == ("Ada@Example.org", SubscriptionStatus.PENDING)
    mail = OutboundEmail.objects.get()
    assert mail.to == ["Ada@Example.org"]
    token = mail.body_text.split("/subscribe/confirm/")[1].split("/")[0]
    assert subscriber_for_confirm_token(token) == subscriber
    subscriber_confirm(subscriber=subscriber)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.ACTIVE
    assert subscriber.confirmed_at is not None


def test_subscribe_verified_member_is_active_at_once_without_mail(
    django_capture_on_commit_callbacks,
):
    member = UserFactory(email="mia@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = subscriber_subscribe(email="mia@example.org", user=member)
    assert (subscriber.status, subscriber.user) == (SubscriptionStatus.ACTIVE, member)
    assert OutboundEmail.objects.count() == 0


def test_subscribe_member_with_another_address_still_confirms_it(
    django_capture_on_commit_callbacks,
):
    member = UserFactory(email="mia@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = subscriber_subscribe(email="someone-else@example.org", user=member)
    assert (subscriber.status, subscriber.user) == (SubscriptionStatus.PENDING, None)
    assert OutboundEmail.objects.get().to == ["someone-else@example.org"]


def test_subscribe_twice_changes_nothing_and_sends_nothing(django_capture_on_commit_callbacks):
    # Not an error: telling the visitor "already subscribed" would reveal who reads
    # the newsletter (issue 15); the view answers every address alike.
    subscriber = SubscriberFactory(email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        again = subscriber_subscribe(email="ADA@example.org")
    assert (again.pk, again.status) == (subscriber.pk, SubscriptionStatus.ACTIVE)
    assert Subscriber.objects.count() == 1
    assert OutboundEmail.objects.count() == 0


def test_unsubscribed_reader_can_subscribe_again():
    subscriber = SubscriberFactory(email="ada@example.org")
    subscriber_unsubscribe(subscriber=subscriber)
    again = subscriber_subscribe(email="ada@example.org")
    assert (again.pk, again.status) == (subscriber.pk, SubscriptionStatus.PENDING)


def test_tokens_reject_tampering_and_the_wrong_purpose():
    subscriber = SubscriberFactory(email="ada@example.org")
    token = unsubscribe_url(subscriber).rstrip("/").rsplit("/", 1)[1]
    assert subscriber_for_unsubscribe_token(token) == subscriber
    assert subscriber_for_unsubscribe_token(token[:-2] + "xx") is None
    assert subscriber_for_confirm_token(token) is None  # an unsubscribe link cannot confirm
    subscriber.email = "eve@example.org"
    subscriber.save()
    assert subscriber_for_unsubscribe_token(token) is None  # bound to the address


def test_confirmation_link_expires_after_a_week_but_unsubscribe_never_does():
    import time_machine

    from newsletters.services import confirm_url

    subscriber = SubscriberFactory(email="ada@example.org", status=SubscriptionStatus.PENDING)
    confirm = confirm_url(subscriber).rstrip("/").rsplit("/", 1)[1]
    leave = unsubscribe_url(subscriber).rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        assert subscriber_for_confirm_token(confirm) == subscriber
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert subscriber_for_confirm_token(confirm) is None
    with time_machine.travel(timezone.now() + dt.timedelta(days=3650)):
        assert subscriber_for_unsubscribe_token(leave) == subscriber
