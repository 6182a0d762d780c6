"""The outside probe's findings on survey invitations (issue 18, item 3), each
reproduced first and kept as a guard.

Personas (tests/conftest.py): the executive committee runs the survey and may invite
anyone; members of other committee roles and plain members are the recipients whose
names, roles and draft status the pages must not reveal to it.
"""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from crrg.models import Invitation, Response
from crrg.selectors.invitations import Segment
from crrg.services import mailings as mailings_services
from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.crrg import QuestionnaireFactory, ResponseFactory

pytestmark = pytest.mark.django_db

PAGE = "/crrg/coordinators/questionnaires/barriers/invitations/"
REMIND = PAGE + "reminders/"
PROGRAM = Segment(f"role:{Role.PROGRAM_COMMITTEE}", "program")


@pytest.fixture
def barriers():
    return QuestionnaireFactory(
        title="Barriers survey",
        slug="barriers",
        owner=Role.EXECUTIVE_COMMITTEE,
        closes_at=timezone.now() + timedelta(days=30),
    )


def _invite(survey, by, segment=PROGRAM, note=""):
    return mailings_services.survey_invite(
        questionnaire=survey, segment=segment, note=note, by=by, token=uuid.uuid4()
    )


def _age(survey, hours: int) -> None:
    for invitation in Invitation.objects.filter(questionnaire=survey):
        invitation.last_mailed_at -= timedelta(hours=hours)
        invitation.save()


# --- 1. The previews reveal nothing about any one member ------------------------------


def test_the_invitation_preview_names_no_member(barriers, personas, client_for):
    # The probe learned who sits on the program committee from "Shown as <name>".
    UserFactory(
        email="secret@example.org", full_name="Sasha Secret", roles=[Role.PROGRAM_COMMITTEE]
    )
    client = client_for(personas.executive)
    data = {"token": str(uuid.uuid4()), "segment": PROGRAM.key, "action": "preview"}
    page = client.post(PAGE, data)
    html = page.content.decode()
    assert "Sasha Secret" not in html and "secret@example.org" not in html
    assert mailings_services.PREVIEW_MEMBER_NAME in page.context["preview"].text
    # Sent, each member's mail is the preview with their own name in the stand-in's place.
    client.post(PAGE, {**data, "action": "send"})
    sent = OutboundEmail.objects.get(to=["secret@example.org"])
    preview = page.context["preview"]
    assert sent.subject == preview.subject
    assert sent.body_text == preview.text.replace(
        mailings_services.PREVIEW_MEMBER_NAME, "Sasha Secret"
    )


def test_the_reminder_preview_reveals_no_draft_holder(barriers, personas, client_for):
    # The only one due a reminder holds a draft: the old preview rendered her mail,
    # "draft waiting" and all, and said "1 of them saved a draft".
    holder = UserFactory(
        email="d@example.org", full_name="Dora Draft", roles=[Role.PROGRAM_COMMITTEE]
    )
    ResponseFactory(questionnaire=barriers, user=holder, submitted_at=None)
    _invite(barriers, personas.executive)
    _age(barriers, 25)
    client = client_for(personas.executive)
    page = client.post(REMIND, {"token": str(uuid.uuid4()), "action": "preview"})
    html = page.content.decode()
    preview = page.context["preview"]
    assert "Dora Draft" not in html and "saved a draft;" not in html
    assert "saved as a draft" not in preview.text  # the text everyone gets by default
    assert "saved as a draft and waiting for you" in preview.draft_text  # shown, not counted
    assert mailings_services.PREVIEW_MEMBER_NAME in preview.draft_text

    # Without the draft the preview is the same: it tells nothing of who holds one.
    Response.with_drafts.filter(user=holder).delete()
    again = client.post(REMIND, {"token": str(uuid.uuid4()), "action": "preview"})
    assert again.context["preview"] == preview


# --- 2. A note says who wrote it -------------------------------------------------------


def test_a_note_is_signed_by_its_writer_in_the_mail_and_the_list(barriers, personas, client_for):
    # Any account named on the survey coordinates it and may write to every member; the
    # note went out as "A note from the Executive committee" and the list said "By —".
    nameless = UserFactory(email="nameless@example.org", full_name="")
    barriers.coordinators.add(nameless)
    client = client_for(nameless)
    data = {"token": str(uuid.uuid4()), "segment": PROGRAM.key, "note": "Hi", "action": "send"}
    client.post(PAGE, data)
    sent = OutboundEmail.objects.get(to=["program@example.org"])
    signed = "A note from nameless@example.org, for the Executive committee:"
    assert signed in sent.body_text and signed in sent.body_html
    assert "A note from the Executive committee" not in sent.body_text
    row = client.get(PAGE).content.decode().split('data-testid="mailings"')[1]
    assert "<td>nameless@example.org</td>" in row

    named = UserFactory(email="nora@example.org", full_name="Nora Named")
    barriers.coordinators.add(named)
    _invite(barriers, named, segment=Segment(f"role:{Role.WEBINAR_COMMITTEE}", "w"), note="Hey")
    sent = OutboundEmail.objects.get(to=["webinar@example.org"])
    assert "A note from Nora Named, for the Executive committee:" in sent.body_text


# --- 3. No "Dear ," --------------------------------------------------------------------


def test_a_member_without_a_name_is_greeted_as_member(barriers, personas):
    UserFactory(email="anon@example.org", full_name="", roles=[Role.PROGRAM_COMMITTEE])
    _invite(barriers, personas.executive)
    _age(barriers, 25)
    mailings_services.survey_remind(
        questionnaire=barriers, by=personas.executive, token=uuid.uuid4()
    )
    mails = OutboundEmail.objects.filter(to=["anon@example.org"]).order_by("id")
    assert [m.template for m in mails] == ["crrg/survey-invitation", "crrg/survey-reminder"]
    for mail in mails:
        assert mail.body_text.startswith("Dear member,\n"), mail.body_text
        assert mail.body_html.startswith("<p>Dear member,</p>"), mail.body_html
        assert "Dear ," not in mail.body_text + mail.body_html


# --- 4. A round that reaches nobody is no round -----------------------------------------


def test_inviting_a_group_already_invited_records_and_mails_nothing(barriers, personas, client_for):
    _invite(barriers, personas.executive)
    client = client_for(personas.executive)
    data = {"token": str(uuid.uuid4()), "segment": PROGRAM.key, "action": "send"}
    page = client.post(PAGE, data, follow=True)
    html = page.content.decode()
    assert (
        "Everyone in this group was already invited (or has submitted); nobody was mailed." in html
    )
    assert "0 personal mails" not in html
    assert barriers.mailings.count() == 1  # the first round only
    assert OutboundEmail.objects.count() == 1


def test_a_reminder_that_reaches_nobody_records_nothing(barriers, personas, client_for):
    _invite(barriers, personas.executive)  # straight after it, nobody is due
    page = client_for(personas.executive).post(
        REMIND, {"token": str(uuid.uuid4()), "action": "send"}, follow=True
    )
    assert "nobody was mailed." in page.content.decode()
    assert "0 personal mails" not in page.content.decode()
    assert barriers.mailings.count() == 1


# --- 5. A survey not open offers no form, only why -------------------------------------


@pytest.mark.parametrize("when", ["closed", "not yet open"])
def test_a_survey_not_open_shows_why_instead_of_the_forms(barriers, personas, client_for, when):
    now = timezone.now()
    if when == "closed":
        barriers.opens_at, barriers.closes_at = now - timedelta(days=9), now - timedelta(days=1)
        reason = "This survey closed on"
    else:
        barriers.opens_at, barriers.closes_at = now + timedelta(days=1), now + timedelta(days=9)
        reason = "This survey opens on"
    barriers.save()
    client = client_for(personas.executive)
    pages = [
        client.get(PAGE),
        client.post(
            PAGE, {"token": str(uuid.uuid4()), "segment": PROGRAM.key, "action": "preview"}
        ),
        client.post(REMIND, {"token": str(uuid.uuid4()), "action": "preview"}),
    ]
    for page in pages:
        html = page.content.decode()
        assert reason in html and "nothing to send now" in html
        assert 'name="segment"' not in html and 'name="note"' not in html
        assert 'value="send"' not in html and 'value="preview"' not in html


# --- 7. The response-rate charts: visible titles, and one day shows --------------------


def test_the_rate_charts_have_visible_titles_and_a_single_day_shows(barriers, personas, client_for):
    _invite(barriers, personas.executive)  # one day of data
    page = client_for(personas.executive).get("/crrg/coordinators/questionnaires/barriers/")
    html = page.content.decode()
    for title in ("Members invited so far", "Responses submitted so far (invited or not)"):
        caption = f'<figcaption class="fw-semibold" data-testid="rate-chart-title">{title}'
        assert caption in html, title
    section = html.split('id="rate-heading"')[1].split("</section>")[0]
    assert section.count("<circle") == 2  # one visible point in each chart
