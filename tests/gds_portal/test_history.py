"""Status timelines derived from django-simple-history (gds_portal/history.py)."""

import pytest

from gds_portal.history import status_history_table, status_steps
from tests.factories.webinars import SpeakerNominationFactory
from webinars.enums import NominationStatus
from webinars.services import nomination_set_status

pytestmark = pytest.mark.django_db


def test_only_versions_that_change_the_status_are_steps_newest_first(personas):
    nomination = SpeakerNominationFactory(nominator=personas.member)
    nomination.internal_notes = "Edited, status kept"
    nomination.save()
    nomination_set_status(
        nomination=nomination, status=NominationStatus.INVITED, by=personas.webinar_committee
    )
    nomination.rationale = "Edited again"
    nomination.save()
    nomination_set_status(
        nomination=nomination, status=NominationStatus.WITHDRAWN, by=personas.member
    )
    assert nomination.history.count() == 5
    assert [(s.before, s.after, s.by) for s in status_steps(nomination)] == [
        ("Invited", "Withdrawn", personas.member),
        ("New", "Invited", personas.webinar_committee),
        ("", "New", None),
    ]


def test_an_object_without_versions_has_no_steps_and_says_so(personas):
    nomination = SpeakerNominationFactory()
    nomination.history.all().delete()
    assert status_steps(nomination) == []
    assert status_history_table(nomination).strip() == "No status recorded yet."


def test_the_table_escapes_the_note_and_adds_extra_columns(personas):
    nomination = SpeakerNominationFactory()
    nomination_set_status(
        nomination=nomination,
        status=NominationStatus.DECLINED,
        by=personas.webinar_committee,
        note="<script>alert(1)</script> {{ 7|add:7 }}",
    )
    table = status_history_table(nomination, extra={"Title": lambda v: v.proposed_title})
    assert "<script>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7|add:7 }}" in table
    assert '<th scope="col">Title</th>' in table
    assert table.count(f"<td>{nomination.proposed_title}</td>") == 2
    assert "<td>New</td><td>Declined</td>" in table
