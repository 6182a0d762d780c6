import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gds_portal.history import status_steps
from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    SpeakerNominationFactory,
    TopicSuggestionFactory,
    WebinarFactory,
    add_participants,
)
from webinars.enums import NominationStatus
from webinars.figures import series_numbers
from webinars.models import WebinarSpeaker
from webinars.services import nomination_set_status, unique_webinar_slug

pytestmark = pytest.mark.django_db


def test_nominator_may_only_withdraw_an_open_item(personas):
    nomination = SpeakerNominationFactory(nominator=personas.member)
    with pytest.raises(ValidationError):
        nomination_set_status(
            nomination=nomination, status=NominationStatus.ACCEPTED, by=personas.member
        )
    nomination_set_status(
        nomination=nomination, status=NominationStatus.WITHDRAWN, by=personas.member
    )
    with pytest.raises(ValidationError):  # withdrawn is not open: no way back
        nomination_set_status(
            nomination=nomination, status=NominationStatus.NEW, by=personas.member
        )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN


@pytest.mark.parametrize("who", ["other_member", "program_committee", "executive"])
def test_nobody_else_changes_a_status(personas, who):
    nomination = TopicSuggestionFactory(nominator=personas.member)
    for status in (NominationStatus.WITHDRAWN, NominationStatus.DECLINED):
        with pytest.raises(ValidationError):
            nomination_set_status(nomination=nomination, status=status, by=getattr(personas, who))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NEW
    assert nomination.history.count() == 1  # made by the factory; nothing since


def test_committee_sets_any_status_and_history_records_each_step(personas):
    nomination = SpeakerNominationFactory()
    for status in (
        NominationStatus.UNDER_REVIEW,
        NominationStatus.INVITED,
        NominationStatus.INVITED,
    ):
        nomination_set_status(nomination=nomination, status=status, by=personas.webinar_committee)
    steps = [(s.before, s.after, s.by) for s in status_steps(nomination)]
    assert steps == [
        ("Under review", "Invited", personas.webinar_committee),
        ("New", "Under review", personas.webinar_committee),
        ("", "New", None),
    ]
    assert nomination.history.count() == 3  # setting the same status again records nothing


def test_a_status_note_is_the_versions_reason(personas):
    nomination = SpeakerNominationFactory()
    nomination_set_status(
        nomination=nomination,
        status=NominationStatus.DECLINED,
        by=personas.webinar_committee,
        note="Speaker not available this year",
    )
    latest = status_steps(nomination)[0]
    assert (latest.after, latest.reason) == ("Declined", "Speaker not available this year")


def test_unique_webinar_slug_avoids_taken_and_reserved_slugs():
    from tests.factories.webinars import WebinarFactory

    WebinarFactory(slug="deep-learning")
    assert unique_webinar_slug("Deep learning") == "deep-learning-2"
    assert unique_webinar_slug("Nominate") == "nominate-2"


# --- The series in numbers: counted from the webinars, never typed in -----------------

NOW = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def _numbers(webinars, speakers, registrants) -> dict:
    return {"webinars": webinars, "speakers": speakers, "registrants": registrants}


def _counted(numbers) -> dict:
    return _numbers(numbers["webinars"], numbers["speakers"], numbers["registrants"])


@pytest.fixture
def series():
    with time_machine.travel(NOW, tick=False):
        ada, bob = PersonFactory(), PersonFactory()
        held = WebinarFactory(start_at=NOW - timedelta(days=9), speakers=[ada, bob])
        add_participants(held, range(100))
        next_one = WebinarFactory(start_at=NOW + timedelta(days=5), speakers=[PersonFactory()])
        add_participants(next_one, range(200, 240))
        add_participants(WebinarFactory(start_at=NOW + timedelta(days=19)), [300])
        yield {"held": held, "next": next_one, "ada": ada}


def test_numbers_count_held_webinars_in_three_queries(series, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(3):
        assert _counted(series_numbers()) == _numbers(1, 2, 100)


def test_numbers_follow_the_clock_when_the_next_webinar_ends(series):
    with time_machine.travel(NOW + timedelta(days=5, minutes=59), tick=False):
        assert _counted(series_numbers()) == _numbers(1, 2, 100)  # still running
    with time_machine.travel(NOW + timedelta(days=5, hours=1), tick=False):
        assert _counted(series_numbers()) == _numbers(2, 3, 140)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("attendance imported", _numbers(1, 2, 250)),
        ("cancelled", _numbers(0, 0, 0)),
        ("unpublished", _numbers(0, 0, 0)),
        ("speaker removed", _numbers(1, 1, 100)),
        ("speaker added", _numbers(1, 3, 100)),
        ("deleted", _numbers(0, 0, 0)),
        ("another held", _numbers(2, 2, 107)),
    ],
)
def test_any_change_to_webinars_or_speakers_reaches_the_archive(
    series, change, expected, client, settings, django_capture_on_commit_callbacks
):
    """Through the page's cached fragment: a change retires the copy (pagecache's write
    watcher, on commit), so the next visitor sees the new figures."""
    settings.PAGE_CACHE_SECONDS = 60
    held = series["held"]

    def shown():
        response = client.get("/webinars/", HTTP_COOKIE="")
        return {
            key: int(re.search(rf'data-testid="numbers-{key}">(\d+)<', response.text).group(1))
            for key in ("webinars", "speakers", "registrants")
        }

    with time_machine.travel(NOW, tick=False):
        assert shown() == _numbers(1, 2, 100)
        with django_capture_on_commit_callbacks(execute=True):
            if change == "attendance imported":
                add_participants(held, range(100, 250))
            elif change == "cancelled":
                held.is_cancelled = True
                held.save()
            elif change == "unpublished":
                held.is_published = False
                held.save()
            elif change == "speaker removed":
                WebinarSpeaker.objects.get(webinar=held, person=series["ada"]).delete()
            elif change == "speaker added":
                WebinarSpeaker.objects.create(webinar=held, person=PersonFactory())
            elif change == "deleted":
                held.delete()
            elif change == "another held":
                another = WebinarFactory(start_at=NOW - timedelta(days=3), speakers=[series["ada"]])
                add_participants(another, range(93, 100))  # all seen at the first already
                add_participants(another, range(1000, 1007))
        assert shown() == expected
