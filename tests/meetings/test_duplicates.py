"""The likely-duplicate check (meetings/services/duplicates.py): pairs stored both ways,
made due again by an edit, read back for the committee, claimed once by concurrent
workers, and exactly the pairs pg_trgm's similarity() finds alike.

Personas: member and other_member submit abstracts; program_committee reads the flags.
"""

import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from meetings.enums import Decision
from meetings.models import LikelyDuplicate
from meetings.selectors.reviews import likely_duplicates
from meetings.services import duplicates
from meetings.services.abstracts import abstract_save, abstract_withdraw
from meetings.services.decisions import abstracts_decide
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    MeetingFactory,
    SortingCategoryFactory,
    abstract_data,
    make_abstract,
)

pytestmark = pytest.mark.django_db

BODY = (
    "We train a graph network on beamline logs from three synchrotrons and flag anomalies "
    "an hour before the operators notice them, with a false alarm rate under two percent."
)
OTHER_BODY = "Koopman operators learned from sparse trajectories predict turbulent channel flow."


def _submit(submitter, category, title, body=BODY):
    return make_abstract(submitter=submitter, category=category, title=title, body=body)


def _pairs() -> list[tuple[int, int]]:
    return sorted(LikelyDuplicate.objects.values_list("abstract_id", "other_id"))


def _edit(abstract, **changes):
    """The member's own edit through the form's service, as the site makes it."""
    kept = {"title": abstract.title, "body": abstract.body}
    data = abstract_data(abstract.category, **(kept | changes))
    abstract_save(
        meeting=abstract.meeting,
        by=abstract.submitter,
        data=data,
        token=uuid.uuid4(),
        abstract=abstract,
    )
    abstract.refresh_from_db()


@pytest.fixture
def alike(personas, focus):
    """Two near-identical abstracts and one unrelated, all checked."""
    first = _submit(personas.member, focus, "Anomaly detection in beamline logs")
    second = _submit(personas.other_member, focus, "Anomaly detection in beam line logs")
    third = _submit(personas.other_member, focus, "Koopman operators", body=OTHER_BODY)
    assert duplicates.check_pending() == 3
    return first, second, third


def test_new_abstract_awaits_the_check(personas, focus):
    abstract = _submit(personas.member, focus, "Anomaly detection in beamline logs")
    draft = make_abstract(submitter=personas.member, category=focus, submit=False)
    assert abstract.duplicates_checked_at is None
    assert list(duplicates.check_due()) == [abstract]  # a draft is never due
    assert draft.duplicates_checked_at is None


def test_pairs_found_and_stored_both_ways(alike):
    first, second, third = alike
    assert _pairs() == sorted([(first.pk, second.pk), (second.pk, first.pk)])
    assert not duplicates.check_due().exists()
    similarity = LikelyDuplicate.objects.get(abstract=first).similarity
    assert similarity == LikelyDuplicate.objects.get(abstract=second).similarity
    assert similarity >= duplicates.DUPLICATE_SIMILARITY
    found = likely_duplicates(meeting=first.meeting, of=[first.pk, third.pk])
    assert found == {first.pk: [(second.pk, second.reference, round(similarity, 2))]}


def test_a_later_submission_flags_the_earlier_abstract_too(alike, personas, focus):
    first, second, _ = alike
    later = _submit(personas.member, focus, "Anomaly detection in beamline logs, again")
    assert duplicates.check_pending() == 1  # only the new one is compared
    found = likely_duplicates(meeting=focus.meeting, of=[first.pk])
    assert sorted(pk for pk, _, _ in found[first.pk]) == sorted([second.pk, later.pk])


def test_pairs_stay_within_a_meeting(personas, focus):
    elsewhere = SortingCategoryFactory(meeting=MeetingFactory(year=2022))
    mine = _submit(personas.member, focus, "Anomaly detection in beamline logs")
    _submit(personas.other_member, elsewhere, "Anomaly detection in beamline logs")
    duplicates.check_pending()
    assert _pairs() == []
    assert likely_duplicates(meeting=focus.meeting, of=[mine.pk]) == {}


def test_edit_of_title_or_body_makes_the_abstract_due_and_recheck_drops_stale_pairs(alike):
    first, second, _ = alike
    _edit(second, title="Phonons from graphs", body="Graph networks predict phonon spectra.")
    first.refresh_from_db()
    assert second.duplicates_checked_at is None
    assert first.duplicates_checked_at is not None  # the other side is not re-checked
    assert duplicates.check_pending() == 1
    assert _pairs() == []
    assert likely_duplicates(meeting=first.meeting, of=[first.pk, second.pk]) == {}


def test_edits_that_keep_title_and_body_and_committee_moves_keep_the_check(
    alike, personas, meeting
):
    first, second, _ = alike
    _edit(first, keywords="anomalies, beamlines")
    assert first.duplicates_checked_at is not None
    other = SortingCategoryFactory(meeting=meeting, code="23.04.00")
    abstracts_decide(
        abstracts=[second], decision=Decision.MOVE, by=personas.program_committee, category=other
    )
    second.refresh_from_db()
    assert second.category == other
    assert second.duplicates_checked_at is not None
    assert not duplicates.check_due().exists()


def test_withdrawn_other_is_not_shown(alike):
    first, second, _ = alike
    abstract_withdraw(abstract=second, by=second.submitter, token=uuid.uuid4())
    assert likely_duplicates(meeting=first.meeting, of=[first.pk]) == {}


def test_decided_abstracts_keep_their_flags(alike, personas):
    first, second, _ = alike
    abstracts_decide(abstracts=[second], decision=Decision.REJECT, by=personas.program_committee)
    found = likely_duplicates(meeting=first.meeting, of=[first.pk])
    assert [pk for pk, _, _ in found[first.pk]] == [second.pk]


def test_pending_label_on_the_review_list_and_form(personas, focus, client_for):
    abstract = _submit(personas.member, focus, "Anomaly detection in beamline logs")
    client = client_for(personas.program_committee)
    listing = reverse("meetings:review_list", args=[focus.meeting.slug])
    form = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    pending = 'data-testid="duplicate-pending"'
    assert client.get(listing).content.decode().count(pending) == 1
    page = client.get(form).content.decode()
    assert pending in page and "Duplicate check pending" in page
    duplicates.check_pending()
    assert pending not in client.get(listing).content.decode()
    assert pending not in client.get(form).content.decode()


def test_flags_on_the_review_list_and_form(alike, personas, client_for):
    first, second, _ = alike
    client = client_for(personas.program_committee)
    listing = client.get(reverse("meetings:review_list", args=[first.meeting.slug]))
    assert f"Likely duplicate of {second.reference}" in listing.content.decode()
    form = client.get(reverse("meetings:review", args=[first.meeting.slug, first.pk]))
    assert 'data-testid="duplicate-warning"' in form.content.decode()
    assert second.reference in form.content.decode()


def test_command_checks_one_batch_or_all(personas, focus):
    for n in range(3):
        _submit(personas.member, focus, f"Distinct subject number {n}", body=f"Text {n}.")
    call_command("check_duplicates", "--batch", "2")
    assert duplicates.check_due().count() == 1
    call_command("check_duplicates", "--all", "--batch", "1")
    assert not duplicates.check_due().exists()


def test_check_flags_exactly_the_pairs_that_pg_trgm_finds_alike(personas, focus):
    """The batch statement's bit-string shortcut keeps every pair that pg_trgm's own
    similarity() finds alike, and only those: compared here with similarity() on every pair."""
    texts = [
        ("Anomaly detection in beamline logs", BODY),
        ("Anomaly detection in beam-line logs!", BODY.replace("three", "four")),
        ("Koopman operators", OTHER_BODY),
        ("Koopman operators, revisited", "Koopman operators learned from sparse data."),
        ("Étude des réseaux de neurones", "Über die Lernbarkeit von Phasenübergängen."),
        ("Etude des reseaux de neurones", "Uber die Lernbarkeit von Phasenubergangen."),
        ("Short", "x"),
    ]
    made = [_submit(personas.member, focus, title, body) for title, body in texts]
    duplicates.check_pending()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, b.id FROM meetings_abstract a JOIN meetings_abstract b "
            "ON b.meeting_id = a.meeting_id AND b.id <> a.id "
            "WHERE GREATEST(similarity(a.title, b.title), similarity(a.body, b.body)) >= %s "
            "ORDER BY 1, 2",
            [duplicates.DUPLICATE_SIMILARITY],
        )
        every_alike_pair = cursor.fetchall()
    assert _pairs() == every_alike_pair
    title = {abstract.pk: abstract.title for abstract in made}
    # What the committee sees: each resubmission beside its original, nothing else.
    assert sorted({tuple(sorted((title[a], title[b]))) for a, b in _pairs()}) == [
        ("Anomaly detection in beam-line logs!", "Anomaly detection in beamline logs"),
        ("Etude des reseaux de neurones", "Étude des réseaux de neurones"),
        ("Koopman operators", "Koopman operators, revisited"),
    ]


# --- Concurrency: real transactions, several connections -------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_check_each_abstract_once(focus):
    member, other = UserFactory(), UserFactory()
    # 1 and 3 are alike, so their pair is found by whichever worker checks second.
    made = [
        _submit(member, focus, "Anomaly detection in beamline logs"),
        _submit(other, focus, "Koopman operators", body=OTHER_BODY),
        _submit(other, focus, "Anomaly detection in beam line logs"),
        _submit(member, focus, "Phonons from graphs", body="Graph networks predict phonons."),
    ]
    counts, errors = [], []
    holding = threading.Event()

    def hold_the_pair_table():
        # The first worker claims its abstracts, takes the meeting's turn and waits here at
        # its first write; the second claims its own and waits for the meeting's turn.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {LikelyDuplicate._meta.db_table} IN EXCLUSIVE MODE")
            holding.set()
            _wait_for_waiters(2)
        connection.close()

    def worker():
        try:
            counts.append(duplicates.check_pending(limit=2))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    blocker = threading.Thread(target=hold_the_pair_table)
    blocker.start()
    holding.wait(10)
    workers = [threading.Thread(target=worker) for _ in range(2)]
    workers[0].start()
    _wait_for_waiters(1)  # the first has claimed its two and waits to write
    workers[1].start()
    for thread in [blocker, *workers]:
        thread.join(30)
    assert errors == []
    assert counts == [2, 2]  # the second skipped the first one's abstracts
    assert not duplicates.check_due().exists()
    assert _pairs() == sorted([(made[0].pk, made[2].pk), (made[2].pk, made[0].pk)])


def _wait_for_waiters(count: int, seconds: float = 10) -> None:
    """Until `count` other connections wait on a lock (the workers, at their writes)."""
    with connections["default"].cursor() as cursor:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            # Inside a transaction the statistics views keep their first reading.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.05)
    raise AssertionError(f"{count} connection(s) never waited on the lock")
