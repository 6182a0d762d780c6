import pytest
from django.core.exceptions import ValidationError

from tests.factories.webinars import SpeakerNominationFactory, TopicSuggestionFactory
from webinars.enums import NominationStatus
from webinars.models import StatusChange
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
    assert StatusChange.objects.count() == 0


def test_committee_sets_any_status_and_history_records_each_step(personas):
    nomination = SpeakerNominationFactory()
    for status in (
        NominationStatus.UNDER_REVIEW,
        NominationStatus.INVITED,
        NominationStatus.INVITED,
    ):
        nomination_set_status(nomination=nomination, status=status, by=personas.webinar_committee)
    steps = [(c.from_status, c.to_status) for c in nomination.status_changes.all()]
    assert steps == [
        (NominationStatus.NEW, NominationStatus.UNDER_REVIEW),
        (NominationStatus.UNDER_REVIEW, NominationStatus.INVITED),
    ]


def test_unique_webinar_slug_avoids_taken_and_reserved_slugs():
    from tests.factories.webinars import WebinarFactory

    WebinarFactory(slug="deep-learning")
    assert unique_webinar_slug("Deep learning") == "deep-learning-2"
    assert unique_webinar_slug("Nominate") == "nominate-2"
