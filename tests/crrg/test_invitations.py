"""Survey invitations, reminders and the response rate (issue 18, item 3).

Coordinators of a survey invite a segment (every member with a verified address, a
committee role's members, or, for the CRRG's coordinators, an interest group's),
preview the exact mail, then send one personal mail per member, once per form; invited
members who have not submitted get at most two reminders, 24 hours apart at least.
"""

import threading
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.enums import Role
from crrg.enums import MailingKind
from crrg.models import InterestGroupMembership, Invitation, SurveyMailing, SurveyMailingToken
from crrg.selectors.invitations import ALL_MEMBERS, Segment
from crrg.services import answering as answering_services
from crrg.services import mailings as mailings_services
from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.crrg import InterestGroupFactory, QuestionnaireFactory, ResponseFactory
from tests.live_posts import post_in_parallel

pytestmark = pytest.mark.django_db

PAGE = "/crrg/coordinators/questionnaires/barriers/invitations/"
REMIND = PAGE + "reminders/"
ALL = Segment(ALL_MEMBERS, "All members with a verified address")
NOTE = "Ten minutes, promise.\n<b>R&D</b> {{ request.META.HTTP_COOKIE }}"


@pytest.fixture
def barriers():
    return QuestionnaireFactory(
        title="Barriers survey",
        slug="barriers",
        owner=Role.EXECUTIVE_COMMITTEE,
        closes_at=timezone.now() + timedelta(days=30),
    )


def _invite(survey, by, segment=ALL, note="", token=None):
    return mailings_services.survey_invite(
        questionnaire=survey, segment=segment, note=note, by=by, token=token or uuid.uuid4()
    )


def _remind(survey, by, token=None):
    return mailings_services.survey_remind(questionnaire=survey, by=by, token=token or uuid.uuid4())


def _mailed(template: str) -> list[str]:
    rows = OutboundEmail.objects.filter(template=template).order_by("id")
    return sorted(address for row in rows for address in row.to)


def _age(survey, hours: int) -> None:
    """As if every invitation's last mail were `hours` older."""
    for invitation in Invitation.objects.filter(questionnaire=survey):
        invitation.last_mailed_at -= timedelta(hours=hours)
        invitation.save()


# --- Segments --------------------------------------------------------------------------


def test_inviting_all_skips_unverified_inactive_invited_and_submitted(barriers, personas):
    UserFactory(email="gone@example.org", is_active=False)
    ResponseFactory(questionnaire=barriers, user=personas.other_member)  # submitted
    # A draft is not a submission: its holder is invited.
    ResponseFactory(questionnaire=barriers, user=personas.ombudsman, submitted_at=None)
    # An account whose current address is not the one it verified.
    changed = UserFactory(email="old@example.org")
    changed.email = "new@example.org"
    changed.save()
    _invite(barriers, personas.executive)
    everyone = {
        "crrg@example.org",
        "editor@example.org",
        "exec@example.org",
        "member@example.org",
        "ombudsman@example.org",
        "program@example.org",
        "staff@example.org",
        "webinar@example.org",
    }
    assert _mailed("crrg/survey-invitation") == sorted(everyone)
    # Each mail is one member's own: never a list of recipients.
    assert all(len(row.to + row.cc + row.bcc) == 1 for row in OutboundEmail.objects.all())
    # Invited already: a second invitation of everyone mails nobody.
    assert _invite(barriers, personas.executive).mailing is None  # nobody left: no round
    assert Invitation.objects.filter(questionnaire=barriers).count() == len(everyone)


def test_inviting_a_role_reaches_its_members_alone(barriers, personas):
    UserFactory(email="program2@example.org", roles=[Role.PROGRAM_COMMITTEE], verified=False)
    segment = Segment(f"role:{Role.PROGRAM_COMMITTEE}", "Members of the Program committee")
    outcome = _invite(barriers, personas.executive, segment=segment)
    assert _mailed("crrg/survey-invitation") == ["program@example.org"]
    assert outcome.mailing.audience == "Members of the Program committee"


def test_inviting_an_interest_group_reaches_its_current_members(barriers, personas):
    group = InterestGroupFactory(slug="imaging", name="Imaging")
    for user, left in ((personas.member, None), (personas.other_member, timezone.now())):
        InterestGroupMembership.objects.create(
            group=group, user=user, source="coordinator", left_at=left
        )
    _invite(barriers, personas.staff, segment=Segment("group:imaging", "Imaging"))
    assert _mailed("crrg/survey-invitation") == ["member@example.org"]


def test_interest_groups_are_offered_to_the_crrgs_coordinators_alone(
    barriers, personas, client_for
):
    InterestGroupFactory(slug="imaging", name="Imaging")
    barriers.coordinators.add(personas.crrg_coordinator)
    crrg_page = client_for(personas.crrg_coordinator).get(PAGE)
    exec_page = client_for(personas.executive).get(PAGE)
    assert "group:imaging" in dict(crrg_page.context["form"].fields["segment"].choices)
    assert "group:imaging" not in dict(exec_page.context["form"].fields["segment"].choices)
    # Posting the group anyway is refused by the form: nothing is previewed or sent.
    data = {"token": uuid.uuid4(), "segment": "group:imaging", "action": "send"}
    response = client_for(personas.executive).post(PAGE, data)
    assert response.status_code == 200
    assert "segment" in response.context["form"].errors
    assert OutboundEmail.objects.count() == 0


# --- Preview, then send ----------------------------------------------------------------


def test_the_preview_is_exactly_the_mail_sent(barriers, personas, client_for):
    client = client_for(personas.executive)
    token = str(client.get(PAGE).context["form"].initial["token"])
    segment = f"role:{Role.PROGRAM_COMMITTEE}"
    UserFactory(email="aaron@example.org", full_name="Aaron A", roles=[Role.PROGRAM_COMMITTEE])
    data = {"token": token, "segment": segment, "note": NOTE, "action": "preview"}
    page = client.post(PAGE, data)
    preview = page.context["preview"]
    assert preview.recipient_count == 2
    assert OutboundEmail.objects.count() == 0  # a preview sends nothing
    # The page shows the text body as text: the note's markup and template syntax escaped.
    html = page.content.decode()
    assert "&lt;b&gt;R&amp;D&lt;/b&gt; {{ request.META.HTTP_COOKIE }}" in html
    assert "Send to 2 members" in html

    response = client.post(PAGE, {**data, "action": "send"})
    assert response.status_code == 302
    sent = OutboundEmail.objects.get(to=["aaron@example.org"])
    # The preview is every member's mail, their name in the stand-in's place.
    text = preview.text.replace(mailings_services.PREVIEW_MEMBER_NAME, "Aaron A")
    assert (sent.subject, sent.body_text) == (preview.subject, text)
    assert sent.subject == "Invitation: Barriers survey"
    assert "Ten minutes, promise.\n<b>R&D</b> {{ request.META.HTTP_COOKIE }}" in sent.body_text
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in sent.body_html  # escaped in HTML, never run
    assert f"{settings.SITE_URL}/surveys/barriers/" in sent.body_text
    assert "Executive committee" in sent.body_text
    assert "Save and finish later" in sent.body_text
    assert "The survey closes on" in sent.body_text
    mailing = SurveyMailing.objects.get()
    assert (mailing.kind, mailing.note, mailing.recipient_count, mailing.sent_by) == (
        MailingKind.INVITATION,
        NOTE,
        2,
        personas.executive,
    )


def test_the_same_form_sent_twice_mails_once(barriers, personas, client_for):
    client = client_for(personas.executive)
    data = {"token": str(uuid.uuid4()), "segment": ALL_MEMBERS, "action": "send"}
    client.post(PAGE, data)
    again = client.post(PAGE, data, follow=True)
    assert "nobody was mailed again" in again.content.decode()
    assert SurveyMailing.objects.count() == 1
    assert OutboundEmail.objects.count() == Invitation.objects.count() == 9
    assert SurveyMailingToken.objects.get().mailing == SurveyMailing.objects.get()


def test_a_replayed_token_of_someone_else_shows_nothing_of_theirs(barriers, personas):
    token = uuid.uuid4()
    _invite(barriers, personas.executive, token=token)
    outcome = _invite(barriers, personas.staff, token=token)
    assert (outcome.mailing, outcome.replayed) == (None, True)
    assert SurveyMailing.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_sends_of_one_form_mail_each_member_once(live_server):
    executive = UserFactory(email="exec@example.org", roles=[Role.EXECUTIVE_COMMITTEE])
    for n in range(3):
        UserFactory(email=f"m{n}@example.org")
    QuestionnaireFactory(slug="barriers", owner=Role.EXECUTIVE_COMMITTEE)
    url = f"{live_server.url}{PAGE}"
    fields = {"token": str(uuid.uuid4()), "segment": ALL_MEMBERS, "action": "send"}
    answers = post_in_parallel(url, fields, user=executive, times=4)
    assert answers == [(302, PAGE)] * 4
    assert SurveyMailing.objects.count() == 1
    assert _mailed("crrg/survey-invitation") == [
        "exec@example.org",
        "m0@example.org",
        "m1@example.org",
        "m2@example.org",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_sends_of_two_forms_mail_each_member_once():
    # Two coordinators (two forms, two tokens) invite everyone at the same moment: the
    # survey's row lock makes them take turns, so the later ones find everyone invited.
    executive = UserFactory(email="exec@example.org", roles=[Role.EXECUTIVE_COMMITTEE])
    UserFactory(email="m0@example.org")
    survey = QuestionnaireFactory(slug="barriers", owner=Role.EXECUTIVE_COMMITTEE)
    start = threading.Barrier(3)

    def send():
        start.wait()
        try:
            _invite(survey, executive)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(SurveyMailing.objects.values_list("recipient_count", flat=True)) == [2]
    assert _mailed("crrg/survey-invitation") == ["exec@example.org", "m0@example.org"]


def test_a_closed_survey_invites_nobody(barriers, personas, client_for):
    barriers.closes_at = timezone.now() - timedelta(minutes=1)
    barriers.opens_at = timezone.now() - timedelta(days=2)
    barriers.save()
    token = str(uuid.uuid4())
    data = {"token": token, "segment": ALL_MEMBERS, "action": "send"}
    page = client_for(personas.executive).post(PAGE, data, follow=True)
    assert "Nothing was sent" in page.content.decode()
    assert OutboundEmail.objects.count() == Invitation.objects.count() == 0
    # The refusal rolled the token back with it: it was not used.
    assert not SurveyMailingToken.objects.filter(token=token).exists()


# --- Reminders -------------------------------------------------------------------------


def test_reminders_go_to_invited_non_responders_at_most_twice_a_day_apart(
    barriers, personas, client_for
):
    segment = Segment(f"role:{Role.PROGRAM_COMMITTEE}", "program")
    _invite(barriers, personas.executive, segment=segment)
    _invite(barriers, personas.executive, segment=Segment("role:Webinar committee", "webinar"))
    # Never within 24 hours of the last mail: straight after the invitation, nobody.
    assert _remind(barriers, personas.executive).mailing is None
    _age(barriers, 25)
    ResponseFactory(questionnaire=barriers, user=personas.webinar_committee)  # answered
    assert _remind(barriers, personas.executive).mailing.recipient_count == 1
    assert _remind(barriers, personas.executive).mailing is None  # same day
    _age(barriers, 25)
    assert _remind(barriers, personas.executive).mailing.recipient_count == 1
    _age(barriers, 25)
    assert _remind(barriers, personas.executive).mailing is None  # two in all
    assert _mailed("crrg/survey-reminder") == ["program@example.org"] * 2
    invitation = Invitation.objects.get(user=personas.program_committee)
    assert invitation.reminders_sent == 2


def test_a_draft_holders_reminder_says_the_draft_waits(barriers, personas, client_for):
    _invite(barriers, personas.executive, segment=Segment("role:Program committee", "p"))
    _invite(barriers, personas.executive, segment=Segment("role:Webinar committee", "w"))
    ResponseFactory(questionnaire=barriers, user=personas.program_committee, submitted_at=None)
    _age(barriers, 25)
    client = client_for(personas.executive)
    token = str(uuid.uuid4())
    preview = client.post(REMIND, {"token": token, "action": "preview"}).context["preview"]
    assert preview.recipient_count == 2
    client.post(REMIND, {"token": token, "action": "send"})
    reminders = OutboundEmail.objects.filter(template="crrg/survey-reminder")
    drafted = reminders.get(to=["program@example.org"])
    plain = reminders.get(to=["webinar@example.org"])
    # Each is the preview's text (or its draft variant), the member's name filled in.
    names = {m.email: m.full_name for m in (personas.program_committee, personas.webinar_committee)}
    for mail, shown in ((drafted, preview.draft_text), (plain, preview.text)):
        expected = shown.replace(mailings_services.PREVIEW_MEMBER_NAME, names[mail.to[0]])
        assert (mail.subject, mail.body_text) == (preview.subject, expected)
    assert "saved as a draft and waiting for you" in drafted.body_text
    assert "saved as a draft and waiting for you" not in plain.body_text
    assert "have not received your answers yet" in plain.body_text


def test_reminders_skip_deactivated_accounts_and_need_an_open_survey(barriers, personas):
    _invite(barriers, personas.executive, segment=Segment("role:Program committee", "p"))
    _age(barriers, 25)
    personas.program_committee.is_active = False
    personas.program_committee.save()
    assert _remind(barriers, personas.executive).mailing is None
    barriers.closes_at = timezone.now() - timedelta(minutes=1)
    barriers.save()
    with pytest.raises(answering_services.QuestionnaireClosed):
        _remind(barriers, personas.executive)


# --- The response rate -----------------------------------------------------------------


def test_the_summary_shows_the_response_rate_over_time(barriers, personas, client_for):
    _invite(barriers, personas.executive, segment=Segment("role:Program committee", "p"))
    _invite(barriers, personas.executive, segment=Segment("role:Webinar committee", "w"))
    ResponseFactory(questionnaire=barriers, user=personas.program_committee)
    ResponseFactory(questionnaire=barriers, user=personas.member)  # not invited
    page = client_for(personas.executive).get("/crrg/coordinators/questionnaires/barriers/")
    rate = page.context["rate"]
    assert (rate.invited, rate.invited_submitted, rate.submitted, rate.rate) == (2, 1, 2, 50)
    today = timezone.localdate()
    assert page.context["rate_days"] == [{"day": today, "invited": 2, "submitted": 2}]
    html = page.content.decode()
    assert "2 members invited; 1 of them submitted (50%)" in html
    assert 'id="chart-rate-invited-t"' in html and 'id="chart-rate-submitted-t"' in html


# --- Who reaches the pages -------------------------------------------------------------


def test_only_the_surveys_coordinators_reach_its_invitations(barriers, personas, client_for):
    named = UserFactory(email="named@example.org")
    barriers.coordinators.add(named)
    for user in (personas.executive, named, personas.staff):
        assert client_for(user).get(PAGE).status_code == 200, user
    refused = [
        personas.crrg_coordinator,
        personas.program_committee,
        personas.member,
        personas.unverified,
    ]
    for user in refused:
        client = client_for(user)
        assert client.get(PAGE).status_code == 403, user
        data = {"token": str(uuid.uuid4()), "segment": ALL_MEMBERS, "action": "send"}
        assert client.post(PAGE, data).status_code == 403, user
        assert client.post(REMIND, {"token": str(uuid.uuid4()), "action": "send"}).status_code == (
            403
        )
    assert OutboundEmail.objects.count() == 0
