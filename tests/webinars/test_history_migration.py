"""Migration 0007: the generic StatusChange rows move into the nominations' history,
and back."""

from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.contrib.contenttypes.models import ContentType

from gds_portal.history import status_steps
from tests.factories.webinars import (
    HostVolunteerFactory,
    SpeakerNominationFactory,
    TopicSuggestionFactory,
)
from tests.migration_state import apps_at
from webinars.enums import NominationStatus as S
from webinars.models import NOMINATION_MODELS

pytestmark = pytest.mark.django_db

MIGRATION = import_module("webinars.migrations.0007_status_changes_into_history")
T1, T2, T3 = (datetime(2024, month, 1, 9, tzinfo=UTC) for month in (3, 4, 5))


@pytest.fixture
def old_apps():
    """The models as they were before the copy, the old table back for this test."""
    return apps_at("webinars", "0006_nomination_history", tables_back=["StatusChange"])


def _old_row(apps, nomination, before, after, when, by=None, note=""):
    apps.get_model("webinars", "StatusChange").objects.create(
        content_type_id=ContentType.objects.get_for_model(nomination).pk,
        object_id=nomination.pk,
        from_status=before,
        to_status=after,
        by_id=by and by.pk,
        note=note,
        at=when,
    )


@pytest.fixture
def nominations(old_apps, personas):
    """Nominations as production has them: rows in the old table, no versions yet."""
    committee = personas.webinar_committee
    speaker = SpeakerNominationFactory(nominator=personas.member, status=S.ACCEPTED)
    _old_row(old_apps, speaker, "", S.NEW, T1, by=personas.member)
    _old_row(old_apps, speaker, S.NEW, S.ACCEPTED, T2, by=committee, note="Strong <b>case</b>")
    _old_row(old_apps, speaker, S.ACCEPTED, S.ACCEPTED, T3, by=committee, note="Draft webinar")
    topic = TopicSuggestionFactory(nominator=personas.member)  # no rows (bulk-made)
    host = HostVolunteerFactory(nominator=personas.member, status=S.DECLINED)
    _old_row(old_apps, host, "", S.NEW, T1, by=personas.member)
    for model in NOMINATION_MODELS.values():
        model.history.all().delete()  # the factories' versions: production had none
    return speaker, topic, host


def _steps(nomination) -> list[tuple]:
    return [(s.before, s.after, s.by, s.when, s.reason) for s in status_steps(nomination)]


def test_each_old_row_becomes_a_version_dated_attributed_and_annotated(
    old_apps, nominations, personas
):
    MIGRATION.forward(old_apps, None)
    speaker, topic, host = nominations
    committee, member = personas.webinar_committee, personas.member
    assert _steps(speaker) == [
        ("New", "Accepted", committee, T2, "Strong <b>case</b>"),
        ("", "New", member, T1, ""),
    ]
    # The note on a row that kept the status is the reason of a version of its own.
    assert speaker.history.latest().history_change_reason == "Draft webinar"
    assert [v.history_type for v in speaker.history.order_by("history_id")] == ["+", "~", "~"]
    assert _steps(topic) == [("", "New", None, topic.created_at, "")]
    # Its status changed without a row (never, by the service): closed at its last update.
    host.refresh_from_db()
    assert _steps(host) == [
        ("New", "Declined", None, host.updated_at, ""),
        ("", "New", member, T1, ""),
    ]


def _rows(Change) -> set[tuple]:
    fields = ("content_type__model", "object_id", "from_status", "to_status", "by_id", "at", "note")
    return set(Change.objects.values_list(*fields))


def test_the_reverse_writes_the_rows_back(old_apps, nominations):
    MIGRATION.forward(old_apps, None)
    Change = old_apps.get_model("webinars", "StatusChange")
    before = _rows(Change)
    Change.objects.all().delete()
    MIGRATION.backward(old_apps, None)
    _speaker, topic, host = nominations
    # The same rows, plus those the forward step had to add (a first status, a closing one).
    added = {
        ("topicsuggestion", topic.pk, "", S.NEW, None, topic.created_at, ""),
        ("hostvolunteer", host.pk, S.NEW, S.DECLINED, None, host.updated_at, ""),
    }
    assert len(before) == 4
    assert _rows(Change) == before | added
