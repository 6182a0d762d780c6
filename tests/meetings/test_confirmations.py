"""Confirmed presenters (issue 16, item 4): after the decisions are sent, an accepted
abstract's presenter confirms or declines through a signed link or in My GDS; the
committee sees the answers and the chair sends one reminder; after a decline the chair
names another author or withdraws the abstract. Invited nominees answer the same way.
Also the chair's once-per-meeting reminder to authors of drafts (item 3)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings import links
from meetings.enums import AbstractState, Decision, NominationStatus, SpeakerAnswer
from meetings.models import (
    Abstract,
    AbstractAuthor,
    CommitteeReminder,
    SpeakerConfirmation,
    SpeakerNomination,
)
from meetings.selectors.exports import EXPORT_HEADER, export_rows
from meetings.services.confirmations import (
    confirmation_answer,
    declined_abstract_withdraw,
    nominee_address_changed,
    presenter_replace,
    presenters_remind,
)
from meetings.services.decisions import abstracts_decide, decisions_send
from meetings.services.errors import Refused
from meetings.services.nominations import nomination_set_status
from meetings.services.reminders import abstract_send_reminders, drafts_remind
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import author, make_abstract

pytestmark = pytest.mark.django_db

CONFIRM = "meetings/speaker-confirmation"


@pytest.fixture
def chair(focus):
    """The meeting's program chair (a committee member whose Person is the chair)."""
    user = UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    focus.meeting.program_chair = PersonFactory(name="Chris Chair", user=user)
    focus.meeting.save()
    return user


@pytest.fixture
def accepted(personas, focus, chair):
    """An accepted abstract by the member; Pat presents, Otto (other_member) co-authors,
    Noel has no address. Decided, not yet sent."""
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        title="Presented <b>talk</b>",
        authors=[
            author("Mia Member", "member@example.org", presenting=False),
            author("Pat Presenter", "pat@example.org", presenting=True),
            author("Otto Other", "other@example.org", presenting=False),
            author("Noel Noaddress", "", presenting=False),
        ],
    )
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=chair)
    return abstract


def _mails(template=CONFIRM):
    return list(OutboundEmail.objects.filter(template=template).order_by("pk"))


def _link(mail) -> str:
    url = next(word for word in mail.body_text.split() if "/confirm/" in word)
    return urlsplit(url).path


def _confirmation(abstract) -> SpeakerConfirmation:
    return SpeakerConfirmation.objects.get(abstract=abstract)


def test_nothing_is_asked_before_the_decisions_are_sent(accepted, personas, client_for):
    assert SpeakerConfirmation.objects.count() == 0
    assert _mails() == []
    pat = UserFactory(email="pat@example.org")
    client = client_for(pat)
    page = client.get(reverse("meetings:abstract", args=[accepted.pk]))
    assert 'data-testid="presenting"' not in page.content.decode()
    answer = client.post(
        reverse("meetings:presenter_answer", args=[accepted.pk]), {"answer": "confirm"}
    )
    assert answer.status_code == 404
    assert SpeakerConfirmation.objects.count() == 0


def test_signed_link_confirms_once(accepted, chair, client):
    assert decisions_send(meeting=accepted.meeting, by=chair) == 1
    [mail] = _mails()
    assert mail.to == ["pat@example.org"]
    path = _link(mail)

    page = client.get(path)
    assert page.status_code == 200
    assert "Presented &lt;b&gt;talk&lt;/b&gt;" in page.content.decode()
    assert client.post(path, {"answer": "confirm"}).status_code == 302
    confirmation = _confirmation(accepted)
    assert (confirmation.state, confirmation.answered_by) == (SpeakerAnswer.CONFIRMED, None)
    # Answering twice (here: changing one's mind by link) changes nothing.
    again = client.post(path, {"answer": "decline"}, follow=True)
    assert "already recorded" in again.content.decode()
    assert _confirmation(accepted).state == SpeakerAnswer.CONFIRMED
    # A second send of the decisions asks nobody again.
    assert decisions_send(meeting=accepted.meeting, by=chair) == 0
    assert len(_mails()) == 1


def test_forged_expired_and_foreign_links_are_refused(accepted, chair, client, monkeypatch):
    decisions_send(meeting=accepted.meeting, by=chair)
    path = _link(_mails()[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    slug = accepted.meeting.slug
    forged = [
        f"/meetings/{slug}/confirm/{token[:-2]}xy/",
        f"/meetings/{slug}/confirm/not-a-token/",
        f"/meetings/other-meeting/confirm/{token}/",
    ]
    for url in forged:
        for method in (client.get, lambda u: client.post(u, {"answer": "decline"})):
            response = method(url)
            assert response.status_code == 400
            assert "This link does not work" in response.content.decode()
            assert "Presented" not in response.content.decode()
    monkeypatch.setattr(links, "CONFIRM_MAX_AGE", timedelta(seconds=-1))
    expired = client.post(path, {"answer": "decline"})
    assert expired.status_code == 400
    assert _confirmation(accepted).state == SpeakerAnswer.ASKED


def test_presenter_answers_in_my_gds_and_no_one_else_can(accepted, chair, personas, client_for):
    decisions_send(meeting=accepted.meeting, by=chair)
    url = reverse("meetings:presenter_answer", args=[accepted.pk])
    # The submitter and a co-author (both named, both verified) do not answer for Pat.
    for user in (personas.member, personas.other_member, personas.program_committee):
        response = client_for(user).post(url, {"answer": "decline"})
        assert response.status_code == 404
    assert _confirmation(accepted).state == SpeakerAnswer.ASKED
    with pytest.raises(Refused):
        confirmation_answer(
            confirmation=_confirmation(accepted), confirm=False, by=personas.other_member
        )

    pat = UserFactory(email="Pat@Example.org")
    client = client_for(pat)
    page = client.get(reverse("meetings:abstract", args=[accepted.pk])).content.decode()
    assert "Will you give this talk?" in page
    assert client.post(url, {"answer": "confirm"}).status_code == 302
    confirmation = _confirmation(accepted)
    assert (confirmation.state, confirmation.answered_by) == (SpeakerAnswer.CONFIRMED, pat)


def test_presenter_without_address_is_shown_and_submitter_answers(
    personas, focus, chair, client_for
):
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        authors=[author("Noel Noaddress", "", presenting=True)],
    )
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_POSTER, by=chair)
    decisions_send(meeting=focus.meeting, by=chair)
    assert _mails() == []
    assert _confirmation(abstract).state == SpeakerAnswer.NO_ADDRESS
    page = client_for(chair).get(reverse("meetings:presenters", args=[focus.meeting.slug]))
    assert "Cannot be asked (no email address)" in page.content.decode()
    url = reverse("meetings:presenter_answer", args=[abstract.pk])
    assert client_for(personas.member).post(url, {"answer": "confirm"}).status_code == 302
    assert _confirmation(abstract).state == SpeakerAnswer.CONFIRMED


def test_committee_sees_answers_and_the_reminder_goes_once(
    accepted, chair, personas, focus, client, client_for
):
    other = make_abstract(
        submitter=personas.other_member,
        category=focus,
        title="Second talk",
        authors=[author("Otto Other", "other@example.org")],
    )
    abstracts_decide(abstracts=[other], decision=Decision.ACCEPT_POSTER, by=chair)
    decisions_send(meeting=accepted.meeting, by=chair)
    client.post(_link(_mails()[0]), {"answer": "decline"})
    slug = accepted.meeting.slug
    page = client_for(personas.program_committee).get(reverse("meetings:presenters", args=[slug]))
    text = page.content.decode()
    assert "Declined: <strong>1</strong>" in text
    assert "Not answered: <strong>1</strong>" in text
    # Only the chair reminds: another committee member is refused, nothing queued.
    remind = reverse("meetings:presenters_remind", args=[slug])
    assert client_for(personas.program_committee).get(remind).status_code == 403
    assert client_for(personas.program_committee).post(remind).status_code == 403
    with pytest.raises(Refused):
        presenters_remind(meeting=accepted.meeting, by=personas.program_committee)
    chair_client = client_for(chair)
    preview = chair_client.get(remind).content.decode()
    assert "Otto Other &lt;other@example.org&gt;" in preview
    assert "Pat Presenter &lt;" not in preview  # answered: not reminded
    assert "Reminder: please confirm" in preview
    before = len(_mails())
    chair_client.post(remind)
    chair_client.post(remind)
    assert presenters_remind(meeting=accepted.meeting, by=chair) == 0
    reminders = _mails()[before:]
    assert [(m.to, m.subject.startswith("[GDS] Reminder")) for m in reminders] == [
        (["other@example.org"], True)
    ]
    assert "reminder-sent" in chair_client.get(remind).content.decode()


@pytest.fixture
def declined(accepted, chair, client):
    decisions_send(meeting=accepted.meeting, by=chair)
    client.post(_link(_mails()[0]), {"answer": "decline"})
    return accepted


def _presenter(abstract) -> list:
    return list(
        AbstractAuthor.objects.filter(abstract=abstract, is_presenting=True).values_list(
            "name", flat=True
        )
    )


def test_chair_names_another_presenter_who_is_asked(declined, chair, client_for, client):
    old_path = _link(_mails()[0])
    otto = declined.authors.get(name="Otto Other")
    url = reverse("meetings:presenter_replace", args=[declined.meeting.slug, declined.pk])
    response = client_for(chair).post(url, {"action": "replace", "author": otto.pk})
    assert response.status_code == 302
    assert _presenter(declined) == ["Otto Other"]
    confirmation = _confirmation(declined)
    assert (confirmation.state, confirmation.email) == (SpeakerAnswer.ASKED, "other@example.org")
    assert [m.to for m in _mails()] == [["pat@example.org"], ["other@example.org"]]
    # Pat's old link no longer answers for the abstract.
    assert client.post(old_path, {"answer": "confirm"}).status_code == 400
    declined.refresh_from_db()
    assert "Otto Other [1] (presenting)" in declined.author_list
    assert "Pat Presenter [1] (presenting)" not in declined.author_list
    assert declined.history.first().history_change_reason.startswith("Presenter: Otto Other")
    assert client.post(_link(_mails()[1]), {"answer": "confirm"}).status_code == 302
    assert _confirmation(declined).state == SpeakerAnswer.CONFIRMED


def test_chair_withdraws_a_declined_abstract(declined, chair, client_for):
    url = reverse("meetings:presenter_replace", args=[declined.meeting.slug, declined.pk])
    assert client_for(chair).post(url, {"action": "withdraw"}).status_code == 302
    declined.refresh_from_db()
    assert declined.state == AbstractState.WITHDRAWN


def _state(abstract) -> tuple:
    abstract.refresh_from_db()
    return (abstract.state, _presenter(abstract), _confirmation(abstract).state)


def test_only_the_chair_replaces_or_withdraws(declined, personas, client_for):
    before = _state(declined)
    otto = declined.authors.get(name="Otto Other")
    url = reverse("meetings:presenter_replace", args=[declined.meeting.slug, declined.pk])
    client = client_for(personas.program_committee)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "withdraw"}).status_code == 403
    assert client.post(url, {"action": "replace", "author": otto.pk}).status_code == 403
    # The services refuse a committee member and a superuser who is not the chair.
    for user in (personas.program_committee, personas.staff):
        if user.is_superuser:
            continue  # Django lets a superuser past has_perm, as for sending decisions
        with pytest.raises(Refused):
            presenter_replace(abstract=declined, author=otto, by=user)
        with pytest.raises(Refused):
            declined_abstract_withdraw(abstract=declined, by=user)
    # The admin's action calls the same service: the committee member's click withdraws nothing.
    admin = client_for(personas.program_committee).post(
        "/admin/meetings/abstract/",
        {"action": "withdraw_declined", "_selected_action": [declined.pk]},
    )
    assert admin.status_code == 302
    assert _state(declined) == before


def test_nothing_to_replace_before_a_decline(accepted, chair):
    decisions_send(meeting=accepted.meeting, by=chair)
    otto = accepted.authors.get(name="Otto Other")
    with pytest.raises(Refused):
        presenter_replace(abstract=accepted, author=otto, by=chair)
    with pytest.raises(Refused):
        declined_abstract_withdraw(abstract=accepted, by=chair)


def test_invited_nominee_confirms_through_their_link(personas, focus, client, client_for):
    nomination = SpeakerNomination.objects.create(
        meeting=focus.meeting,
        nominator=personas.member,
        nominee_name="Nadia Nominee",
        nominee_affiliation="Université Exemple",
        nominee_email="nadia@example.org",
        talk_title="Learning symmetries",
        rationale="Why now",
        tentatively_agreed=True,
    )
    nomination_set_status(
        nomination=nomination, status=NominationStatus.SHORTLISTED, by=personas.program_committee
    )
    assert _mails() == []
    nomination_set_status(
        nomination=nomination, status=NominationStatus.INVITED, by=personas.program_committee
    )
    nomination_set_status(
        nomination=nomination, status=NominationStatus.INVITED, by=personas.program_committee
    )
    [mail] = _mails()
    assert mail.to == ["nadia@example.org"]
    page = client_for(personas.program_committee).get(
        reverse("meetings:nominations", args=[focus.meeting.slug])
    )
    assert "Tentatively agreed (nominator\u2019s word)" in page.content.decode()
    assert "Not answered" in page.content.decode()
    assert client.post(_link(mail), {"answer": "confirm"}).status_code == 302
    page = client_for(personas.program_committee).get(
        reverse("meetings:nominations", args=[focus.meeting.slug])
    )
    assert 'data-testid="nominee-answer">Confirmed' in page.content.decode()


def test_export_has_the_presenter_confirmation(declined, personas, focus, chair):
    rejected = make_abstract(submitter=personas.other_member, category=focus, title="Not this")
    abstracts_decide(abstracts=[rejected], decision=Decision.REJECT, by=chair)
    column = EXPORT_HEADER.index("Presenter confirmation")
    rows = export_rows(meeting=focus.meeting, viewer=personas.program_committee)
    assert sorted((row[0], row[column]) for row in rows) == sorted(
        [(declined.reference, "declined"), (rejected.reference, "—")]
    )


# --- The chair's reminder to authors of drafts --------------------------------------


def test_drafts_reminder_is_previewed_and_goes_once(personas, focus, chair, client_for):
    make_abstract(submitter=personas.member, category=focus, title="Secret draft", submit=False)
    make_abstract(
        submitter=personas.other_member, category=focus, title="Other draft", submit=False
    )
    url = reverse("meetings:drafts_remind", args=[focus.meeting.slug])
    assert client_for(personas.program_committee).get(url).status_code == 403
    with pytest.raises(Refused):
        drafts_remind(meeting=focus.meeting, by=personas.program_committee)
    client = client_for(chair)
    preview = client.get(url).content.decode()
    # The text and how many; never a draft's title or author (drafts are their author's).
    assert "Send 2 reminders" in preview
    assert "(the draft&#x27;s title)" in preview or "(the draft's title)" in preview
    assert "Secret draft" not in preview and "member@example.org" not in preview
    client.post(url)
    client.post(url)
    assert drafts_remind(meeting=focus.meeting, by=chair) == 0
    sent = sorted(m.to[0] for m in _mails("meetings/abstract-reminder"))
    assert sent == ["member@example.org", "other@example.org"]
    # The scheduled reminder then skips them.
    closes = focus.meeting.call_closes_at
    assert abstract_send_reminders(now=closes - timedelta(hours=1)) == 0


def test_drafts_reminder_refused_when_the_call_is_closed(focus, chair):
    focus.meeting.call_opens_at = timezone.now() - timedelta(days=20)
    focus.meeting.call_closes_at = timezone.now() - timedelta(days=1)
    focus.meeting.save()
    with pytest.raises(Refused):
        drafts_remind(meeting=focus.meeting, by=chair)


# --- Query budgets -----------------------------------------------------------------


def _accepted_sent(n, focus, submitter, chair):
    for index in range(n):
        abstract = make_abstract(
            submitter=submitter,
            category=focus,
            title=f"Talk {index} {Abstract.objects.count()}",
            authors=[author(f"Speaker {index}", f"s{Abstract.objects.count()}@example.org")],
        )
        abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=chair)
    decisions_send(meeting=focus.meeting, by=chair)


@pytest.mark.parametrize(
    ("name", "budget"), [("meetings:presenters", 5), ("meetings:presenters_remind", 6)]
)
def test_presenter_pages_have_fixed_query_counts(
    personas, focus, chair, client_for, django_assert_num_queries, name, budget
):
    client = client_for(chair)
    url = reverse(name, args=[focus.meeting.slug])
    for n in (1, 2):  # 1, then 3 presenters
        _accepted_sent(n, focus, personas.other_member, chair)
        client.get(url)
        with django_assert_num_queries(budget):
            assert client.get(url).status_code == 200


def test_speaker_page_has_a_fixed_query_count(
    personas, focus, chair, client, django_assert_num_queries
):
    _accepted_sent(3, focus, personas.other_member, chair)
    path = _link(_mails()[0])
    with django_assert_num_queries(5):
        assert client.get(path).status_code == 200


# --- Outside probe findings (fix G) -------------------------------------------------


def test_reminder_preview_never_carries_a_working_link(accepted, chair, client_for, client):
    decisions_send(meeting=accepted.meeting, by=chair)
    remind = reverse("meetings:presenters_remind", args=[accepted.meeting.slug])
    preview = client_for(chair).get(remind).content.decode()
    sample = next(w for w in preview.split() if "/confirm/" in w)
    assert links.SAMPLE_TOKEN in sample
    assert links.confirmation_token(_confirmation(accepted)) not in preview
    # The sample opens the dead-link page and answers for no one.
    assert client.post(urlsplit(sample).path, {"answer": "decline"}).status_code == 400
    assert _confirmation(accepted).state == SpeakerAnswer.ASKED


def _invited(personas, focus, email="nadia@example.org") -> SpeakerNomination:
    nomination = SpeakerNomination.objects.create(
        meeting=focus.meeting,
        nominator=personas.member,
        nominee_name="Nadia Nominee",
        nominee_affiliation="Université Exemple",
        nominee_email=email,
        talk_title="Learning symmetries",
        rationale="Why now",
    )
    nomination_set_status(
        nomination=nomination, status=NominationStatus.INVITED, by=personas.program_committee
    )
    return nomination


def test_nominee_link_dies_when_no_longer_invited(personas, focus, client, client_for):
    nomination = _invited(personas, focus)
    nomination_set_status(
        nomination=nomination, status=NominationStatus.NOT_SELECTED, by=personas.program_committee
    )
    response = client.post(_link(_mails()[0]), {"answer": "confirm"})
    assert response.status_code == 400
    assert 'data-testid="invitation-closed"' in response.content.decode()
    confirmation = SpeakerConfirmation.objects.get(nomination=nomination)
    assert confirmation.state == SpeakerAnswer.ASKED
    with pytest.raises(Refused):
        confirmation_answer(confirmation=confirmation, confirm=True)
    page = client_for(personas.program_committee).get(
        reverse("meetings:presenters", args=[focus.meeting.slug])
    )
    assert "Nadia Nominee" not in page.content.decode()


def test_changed_nominee_address_ends_the_old_link_and_asks_the_new(
    personas, focus, client, client_for
):
    nomination = _invited(personas, focus)
    old = _link(_mails()[0])
    # What the admin's save_model does after saving a changed address.
    nomination.nominee_email = "nadia.new@example.org"
    nomination.save(update_fields=["nominee_email"])
    assert "nadia.new@example.org is asked" in nominee_address_changed(nomination=nomination)
    assert [m.to for m in _mails()] == [["nadia@example.org"], ["nadia.new@example.org"]]
    assert client.post(old, {"answer": "confirm"}).status_code == 400
    assert client.post(_link(_mails()[1]), {"answer": "confirm"}).status_code == 302
    confirmation = SpeakerConfirmation.objects.get(nomination=nomination)
    assert (confirmation.state, confirmation.email) == (
        SpeakerAnswer.CONFIRMED,
        "nadia.new@example.org",
    )


def test_a_dead_link_stays_dead_when_the_same_speaker_is_asked_again(
    declined, chair, client, client_for
):
    pat_first = _link(_mails()[0])
    otto = declined.authors.get(name="Otto Other")
    presenter_replace(abstract=declined, author=otto, by=chair)
    assert client.post(_link(_mails()[1]), {"answer": "decline"}).status_code == 302
    pat = declined.authors.get(name="Pat Presenter")
    presenter_replace(abstract=declined, author=pat, by=chair)
    assert client.post(pat_first, {"answer": "confirm"}).status_code == 400
    assert _confirmation(declined).state == SpeakerAnswer.ASKED
    assert client.post(_link(_mails()[2]), {"answer": "confirm"}).status_code == 302
    assert _confirmation(declined).state == SpeakerAnswer.CONFIRMED


def test_drafts_reminder_with_no_draft_records_nothing(personas, focus, chair, client_for):
    url = reverse("meetings:drafts_remind", args=[focus.meeting.slug])
    with pytest.raises(Refused):
        drafts_remind(meeting=focus.meeting, by=chair)
    client_for(chair).post(url)  # a stale tab
    assert not CommitteeReminder.objects.filter(meeting=focus.meeting).exists()
    make_abstract(submitter=personas.member, category=focus, title="Late draft", submit=False)
    assert drafts_remind(meeting=focus.meeting, by=chair) == 1


def test_presenters_reminder_is_once_per_speaker(accepted, chair, personas, focus):
    decisions_send(meeting=accepted.meeting, by=chair)
    assert presenters_remind(meeting=accepted.meeting, by=chair) == 1
    assert presenters_remind(meeting=accepted.meeting, by=chair) == 0
    later = make_abstract(
        submitter=personas.other_member,
        category=focus,
        title="Later batch",
        authors=[author("Otto Other", "other@example.org")],
    )
    abstracts_decide(abstracts=[later], decision=Decision.ACCEPT_POSTER, by=chair)
    decisions_send(meeting=accepted.meeting, by=chair)
    before = len(_mails())
    assert presenters_remind(meeting=accepted.meeting, by=chair) == 1
    assert [m.to for m in _mails()[before:]] == [["other@example.org"]]


def test_poster_and_oral_wording(accepted, chair, personas, focus, client):
    poster = make_abstract(
        submitter=personas.other_member,
        category=focus,
        title="A poster",
        authors=[author("Otto Other", "other@example.org")],
    )
    abstracts_decide(abstracts=[poster], decision=Decision.ACCEPT_POSTER, by=chair)
    decisions_send(meeting=accepted.meeting, by=chair)
    by_to = {m.to[0]: m for m in _mails()}
    presenters_remind(meeting=accepted.meeting, by=chair)
    oral_mail, poster_mail = by_to["pat@example.org"], by_to["other@example.org"]
    assert oral_mail.subject.startswith("[GDS] Please confirm your talk")
    assert poster_mail.subject.startswith("[GDS] Please confirm your poster")
    reminder = [m for m in _mails() if m.subject.startswith("[GDS] Reminder: please")]
    assert len(reminder) == 2
    assert "put together. The abstract" in reminder[0].body_text
    page = client.get(_link(poster_mail)).content.decode()
    assert "Will you present this poster?" in page and "As a poster" in page
    assert "Will you give this talk?" not in page
    page = client.get(_link(oral_mail)).content.decode()
    assert "As an oral talk" in page and "Accepted (oral)" not in page


def test_withdrawal_and_answers_empty_the_page_cache():
    from gds_portal.pagecache import public_models
    from meetings.models import DecisionNotification

    for model in (Abstract, AbstractAuthor, DecisionNotification, SpeakerConfirmation):
        assert model._meta.db_table in public_models.tables


def test_admin_address_change_asks_the_new_address(personas, focus, client, client_for):
    nomination = _invited(personas, focus)
    url = reverse("admin:meetings_speakernomination_change", args=[nomination.pk])
    admin = client_for(personas.program_committee)
    form = admin.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    data["nominee_email"] = "nadia.new@example.org"
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [m.to for m in _mails()] == [["nadia@example.org"], ["nadia.new@example.org"]]
    assert client.post(_link(_mails()[0]), {"answer": "confirm"}).status_code == 400
    confirmation = SpeakerConfirmation.objects.get(nomination=nomination)
    assert (confirmation.state, confirmation.email) == (
        SpeakerAnswer.ASKED,
        "nadia.new@example.org",
    )


def test_nominee_invited_again_gets_a_new_link_and_the_old_stays_dead(personas, focus, client):
    nomination = _invited(personas, focus)
    committee = personas.program_committee
    nomination_set_status(nomination=nomination, status=NominationStatus.NOT_SELECTED, by=committee)
    nomination_set_status(nomination=nomination, status=NominationStatus.INVITED, by=committee)
    first, second = _mails()
    assert client.post(_link(first), {"answer": "confirm"}).status_code == 400
    assert client.post(_link(second), {"answer": "confirm"}).status_code == 302
    confirmation = SpeakerConfirmation.objects.get(nomination=nomination)
    assert confirmation.state == SpeakerAnswer.CONFIRMED
