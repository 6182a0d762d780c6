"""Concerns are deleted after the retention period the ombudsman sets, by a command."""

import logging
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from ombudsman.enums import AccessAction
from ombudsman.models import AccessLogEntry, Concern, OfficeSettings, Reply
from tests.factories.ombudsman import ombudsman_terms, raise_concern, reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def concerns(ombudsman):
    ombudsman_terms().update(starts_on=date(2025, 1, 1))
    OfficeSettings.objects.update_or_create(pk=1, defaults={"retention_days": 90})
    with time_machine.travel("2026-01-10", tick=False):
        old, _ = raise_concern("Old concern")
        reply(old, "Old reply", by=ombudsman)
    with time_machine.travel("2026-03-20", tick=False):
        recent, _ = raise_concern("Recent concern")
    return old, recent


def test_the_command_deletes_expired_concerns_once_and_logs_it(concerns, caplog, capsys):
    old, recent = concerns
    with (
        time_machine.travel("2026-04-15", tick=False),
        caplog.at_level(logging.INFO, logger="ombudsman.services"),
    ):
        call_command("ombudsman_delete_expired")
        call_command("ombudsman_delete_expired")  # idempotent: nothing more goes
    assert list(Concern.objects.values_list("case_code", flat=True)) == [recent.case_code]
    assert Reply.objects.count() == 0
    deleted = AccessLogEntry.objects.filter(action=AccessAction.DELETED)
    assert list(deleted.values_list("case_code", "actor")) == [(old.case_code, None)]
    # The log of the deleted case's earlier events stays, without the case.
    assert AccessLogEntry.objects.filter(case_code=old.case_code, concern=None).count() == 2
    assert capsys.readouterr().out.splitlines() == [
        "Deleted 1 expired concern(s).",
        "Deleted 0 expired concern(s).",
    ]
    assert [r.getMessage() for r in caplog.records] == [
        "Ombudsman retention: deleted 1 concern(s) inactive since before 2026-01-15.",
        "Ombudsman retention: deleted 0 concern(s) inactive since before 2026-01-15.",
    ]


def test_only_the_ombudsman_sets_the_retention_period(ombudsman, personas, client):
    client.force_login(personas.staff)
    assert client.post("/ombudsman/cases/retention/", {"retention_days": 31}).status_code == 403
    client.force_login(ombudsman)
    assert client.post("/ombudsman/cases/retention/", {"retention_days": 29}).status_code == 200
    assert OfficeSettings.get_solo().retention_days == 730
    response = client.post("/ombudsman/cases/retention/", {"retention_days": 365})
    assert response.status_code == 302
    assert OfficeSettings.get_solo().retention_days == 365
    entry = AccessLogEntry.objects.get(action=AccessAction.RETENTION_CHANGED)
    assert (entry.actor, entry.case_code) == (ombudsman, "365 days")
