"""Real concurrency against PostgreSQL: parallel requests and parallel submissions."""

import threading
import uuid

import pytest
from django.db import connection, transaction

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState
from meetings.models import Abstract, FormToken
from meetings.services.abstracts import abstract_save, abstract_withdraw
from meetings.services.decisions import abstracts_decide, decisions_send
from tests.factories.accounts import UserFactory
from tests.factories.meetings import abstract_data
from tests.live_posts import post_in_parallel
from tests.meetings.conftest import form_data

# serialized_rollback puts back what data migrations wrote (committee groups, units)
# after the flush that ends a transactional test, so later tests still find them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_twenty_parallel_posts_of_one_token_make_one_abstract(live_server, focus):
    # Transactional tests empty the tables, committee groups included: plain members only.
    member = UserFactory(email="member@example.org")
    url = f"{live_server.url}/meetings/my/abstracts/new/{focus.meeting.slug}/"
    locations = post_in_parallel(
        url, form_data(token=uuid.uuid4(), action="submit"), user=member, times=20
    )

    abstract = Abstract.objects.get()
    assert abstract.state == AbstractState.SUBMITTED
    url = abstract.get_absolute_url()
    assert sorted(locations) == [(302, url)] + [(302, f"{url}?resent=1")] * 19
    assert FormToken.objects.count() == 1
    assert OutboundEmail.objects.filter(to__contains=["member@example.org"]).count() == 1


def test_parallel_submissions_never_share_a_reference(focus):
    members = [UserFactory(), UserFactory()]
    start = threading.Barrier(10)
    references: list[str] = []
    errors: list[Exception] = []

    def submit(member):
        try:
            start.wait()
            outcome = abstract_save(
                meeting=focus.meeting,
                by=member,
                data=abstract_data(focus),
                token=uuid.uuid4(),
                submit=True,
            )
            references.append(outcome.abstract.reference)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(members[n % 2],)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [f"MAR21-{n:06d}" for n in range(1, 11)]


def test_parallel_decision_sends_mail_each_abstract_once(focus):
    from meetings.enums import Decision
    from tests.factories.meetings import make_abstract

    # The sender must pass the chair rule, which decisions_send now checks itself: a
    # committee member of a meeting whose chair has no account.
    chair = UserFactory(roles=[Role.PROGRAM_COMMITTEE])
    abstracts = [make_abstract(submitter=UserFactory(), category=focus) for _ in range(3)]
    abstracts_decide(abstracts=abstracts, decision=Decision.REJECT, by=chair)
    OutboundEmail.objects.all().delete()  # the receipts
    start = threading.Barrier(6)
    sent: list[int] = []
    errors: list[Exception] = []

    def send():
        try:
            start.wait()
            sent.append(decisions_send(meeting=focus.meeting, by=chair))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 3
    # Each abstract's mails once: its submitter and its one author (the factory's Ada).
    recipients = sorted(m.to[0] for m in OutboundEmail.objects.all())
    assert recipients == sorted(
        [a.submitter.email for a in abstracts] + ["ada@example.org"] * len(abstracts)
    )


def test_a_withdrawal_while_the_decisions_are_sent_is_not_mailed(focus):
    """An unsent decision leaves the abstract open to its author (meetings.rules), so a
    send may list it while the author withdraws it: the send waits for the author's row
    lock, reads it again and skips it, instead of mailing a decision on a withdrawn one."""
    from meetings.enums import Decision
    from meetings.models import DecisionNotification
    from tests.factories.meetings import make_abstract
    from tests.meetings.test_duplicates import _wait_for_waiters

    member = UserFactory()
    chair = UserFactory(roles=[Role.PROGRAM_COMMITTEE])
    abstract = make_abstract(submitter=member, category=focus)
    abstracts_decide(abstracts=[abstract], decision=Decision.REJECT, by=chair)
    OutboundEmail.objects.all().delete()  # the receipt
    sent: list[int] = []
    errors: list[Exception] = []

    def send():
        try:
            sent.append(decisions_send(meeting=focus.meeting, by=chair))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=send)
    with transaction.atomic():  # the withdrawal holds the abstract's row lock until here
        abstract_withdraw(abstract=abstract, by=member, token=uuid.uuid4())
        thread.start()
        _wait_for_waiters(1)  # the send listed it as pending and waits for the row
    thread.join(30)
    assert (errors, sent) == ([], [0])
    abstract.refresh_from_db()
    assert abstract.state == AbstractState.WITHDRAWN
    assert not DecisionNotification.objects.exists()
    assert [m.subject for m in OutboundEmail.objects.all()] == [
        f"[GDS] Abstract {abstract.reference} withdrawn: {abstract.title}"
    ]
