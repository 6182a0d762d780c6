"""Status mail (issue 17 item 5): the people concerned are told, once per state."""

import factory
import pytest
from django.core.exceptions import ValidationError

from gds_portal.models import OutboundEmail
from tests.factories.webinars import (
    HostVolunteerFactory,
    TopicSuggestionFactory,
    WebinarFactory,
)
from tests.factories.webinars import SpeakerNominationFactory as _SpeakerNominationFactory
from webinars.enums import NominationStatus
from webinars.models import SpeakerNomination, StatusMail
from webinars.services import nomination_set_status

pytestmark = pytest.mark.django_db

S = NominationStatus


class SpeakerNominationFactory(_SpeakerNominationFactory):
    """A speaker nomination whose webinar is published with its date: only such a speaker
    can be marked scheduled (tests/webinars/test_probe_findings_ops.py)."""

    webinar = factory.SubFactory(WebinarFactory)


def _status_mails(to: str | None = None):
    rows = OutboundEmail.objects.filter(template="webinars/nomination-status").order_by("id")
    return [r for r in rows if to is None or to in r.to]


def _move(nomination, by, *statuses, note=""):
    for status in statuses:
        if note:
            type(nomination).objects.filter(pk=nomination.pk).update(committee_note=note)
            nomination.refresh_from_db()
        nomination_set_status(nomination=nomination, status=status, by=by)


@pytest.mark.parametrize(
    "factory", [SpeakerNominationFactory, TopicSuggestionFactory, HostVolunteerFactory]
)
def test_each_state_mails_the_nominator_once_however_often_it_is_reached(personas, factory):
    nomination = factory(nominator=personas.member)
    committee = personas.webinar_committee
    _move(nomination, committee, S.UNDER_REVIEW, S.INVITED)
    assert _status_mails() == []  # the committee's own steps are not mailed
    _move(nomination, committee, S.ACCEPTED, S.DECLINED, S.ACCEPTED, S.DECLINED, S.SCHEDULED)
    mails = _status_mails()
    assert [m.to for m in mails] == [[personas.member.email]] * 3
    assert [m.subject.rsplit(": ", 1)[1] for m in mails] == [
        "accepted",
        "not taken forward",
        "scheduled",
    ]
    _move(nomination, committee, S.ACCEPTED, S.SCHEDULED)
    assert len(_status_mails()) == 3
    assert StatusMail.objects.count() == 3


def test_the_nominee_is_not_mailed_without_recorded_consent(personas):
    # The nominator did not confirm that the nominee agreed to be contacted, so the
    # nominee's address (given by the nominator) is never mailed.
    nomination = SpeakerNominationFactory(nominator=personas.member, email="nominee@example.org")
    _move(nomination, personas.webinar_committee, S.ACCEPTED, S.SCHEDULED, S.DECLINED)
    assert _status_mails("nominee@example.org") == []
    assert len(_status_mails(personas.member.email)) == 3


def _nominee_mails(to: str):
    rows = OutboundEmail.objects.filter(template="webinars/nomination-status-nominee")
    return [r for r in rows.order_by("id") if to in r.to]


def test_the_nominee_who_agreed_to_be_contacted_is_told_once_per_state(personas):
    nomination = SpeakerNominationFactory(
        nominator=personas.member,
        nominee_name="Noor Nominee",
        email="Noor@Example.org",
        nominee_may_be_contacted=True,
        committee_note="We look forward to it.",
    )
    _move(nomination, personas.webinar_committee, S.ACCEPTED, S.DECLINED, S.ACCEPTED)
    mails = _nominee_mails("Noor@Example.org")
    assert [m.subject for m in mails] == [
        "Your nomination as a GDS webinar speaker: accepted",
        "Your nomination as a GDS webinar speaker: not taken forward",
    ]
    assert "Dear Noor Nominee" in mails[0].body_text
    assert "We look forward to it." in mails[0].body_text
    assert "We look forward to it." not in mails[1].body_text  # the note went once
    assert len(_status_mails(personas.member.email)) == 2  # the nominator, as before


def test_a_self_nominee_is_told_once_as_the_nominator(personas):
    nomination = SpeakerNominationFactory(
        nominator=personas.member,
        email=personas.member.email.upper(),
        is_self_nomination=True,
        nominee_may_be_contacted=True,
    )
    _move(nomination, personas.webinar_committee, S.ACCEPTED)
    assert _nominee_mails(personas.member.email.upper()) == []
    assert len(_status_mails(personas.member.email)) == 1


def test_withdrawing_mails_no_one(personas):
    nomination = SpeakerNominationFactory(nominator=personas.member)
    _move(nomination, personas.member, S.WITHDRAWN)
    assert _status_mails() == []


def test_the_note_goes_as_written_in_text_escaped_in_html_then_is_cleared(personas):
    note = 'Thanks! {{ settings.SECRET_KEY }} {% now "Y" %} <b>R&D</b>'
    nomination = SpeakerNominationFactory(nominator=personas.member)
    _move(nomination, personas.webinar_committee, S.DECLINED, note=note)
    (mail,) = _status_mails()
    assert note in mail.body_text  # text is data: not rendered as a template
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in mail.body_html
    assert "<b>R&D</b>" not in mail.body_html
    nomination.refresh_from_db()
    assert nomination.committee_note == ""  # it went with its mail, not with the next one
    _move(nomination, personas.webinar_committee, S.ACCEPTED)
    assert "A note from the committee" not in _status_mails()[-1].body_text


def test_the_change_form_and_the_action_mail_through_the_service(client_for, personas):
    nominations = SpeakerNominationFactory.create_batch(2, nominator=personas.member)
    client = client_for(personas.webinar_committee)
    client.post(
        "/admin/webinars/speakernomination/",
        {"action": "mark_accepted", "_selected_action": [n.pk for n in nominations]},
    )
    assert len(_status_mails(personas.member.email)) == 2
    nomination = nominations[0]
    data = {
        field: getattr(nomination, field)
        for field in ["nominee_name", "affiliation", "email", "website", "orcid"]
    }
    response = client.post(
        f"/admin/webinars/speakernomination/{nomination.pk}/change/",
        {
            **data,
            "country": "DE",
            "proposed_title": nomination.proposed_title,
            "rationale": nomination.rationale,
            "status": S.SCHEDULED,
            "committee_note": "See you on the 3rd.",
            "internal_notes": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SpeakerNomination.objects.get(pk=nomination.pk).status == S.SCHEDULED
    mail = _status_mails()[-1]
    assert "See you on the 3rd." in mail.body_text
    assert len(_status_mails()) == 3


def test_a_volunteer_matched_to_a_scheduled_speaker_is_told_once(personas):
    volunteer = HostVolunteerFactory(nominator=personas.other_member, status=S.ACCEPTED)
    nomination = SpeakerNominationFactory(nominator=personas.member, host_volunteer=volunteer)
    committee = personas.webinar_committee
    _move(nomination, committee, S.ACCEPTED, S.SCHEDULED, S.ACCEPTED, S.SCHEDULED)
    volunteer.refresh_from_db()
    assert volunteer.status == S.MATCHED
    told = _status_mails(personas.other_member.email)
    assert [m.subject for m in told] == ["Your offer to host: matched"]
    assert "you are now the host of a scheduled webinar" in told[0].body_text
    reason = volunteer.history.latest().history_change_reason
    assert reason == f"Hosts the webinar of “{nomination}”"


def test_only_an_offer_to_host_can_be_matched(personas):
    nomination = SpeakerNominationFactory(nominator=personas.member)
    with pytest.raises(ValidationError):
        nomination_set_status(
            nomination=nomination, status=S.MATCHED, by=personas.webinar_committee
        )
    nomination.refresh_from_db()
    assert nomination.status == S.NEW
