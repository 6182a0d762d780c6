"""A closed call says so plainly (issue 16, item 8): the call page offers no submit
links, the abstract form no active button, and a save refused because the call closed
while the form was open keeps every word typed with saving switched off.

Personas: member has no extension; other_member has a personal extension, for whom the
same call is still open.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Abstract, DeadlineExtension
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.meetings.conftest import form_data

pytestmark = pytest.mark.django_db

CLOSES = datetime(2020, 10, 23, 21, 59, 0, tzinfo=UTC)  # 17:59 in New York
AFTER = CLOSES + timedelta(hours=1)
BUTTON = re.compile(r"<button[^>]*>")


@pytest.fixture
def call():
    meeting = MeetingFactory(
        slug="march-2021", call_opens_at=CLOSES - timedelta(days=30), call_closes_at=CLOSES
    )
    return SortingCategoryFactory(meeting=meeting, code="23.01.01")


def _form_buttons(html: str) -> list[str]:
    form = html.split('id="abstract-form"')[1].split("</form>")[0]
    return [tag for tag in BUTTON.findall(form) if 'type="submit"' in tag]


def test_closed_call_page_offers_no_submit_link(client, client_for, personas, call):
    url = call.meeting.get_call_url()
    with time_machine.travel(AFTER, tick=False):
        pages = [client.get(url), client_for(personas.member).get(url)]
    for page in pages:
        html = page.content.decode()
        assert "The call has closed." in html
        assert "Submit an abstract" not in html and "Submit to 23.01.01" not in html
        assert reverse("meetings:abstract_create", args=[call.meeting.slug]) not in html


def test_call_page_is_open_for_a_member_with_an_extension(client_for, personas, call):
    DeadlineExtension.objects.create(
        meeting=call.meeting, member=personas.other_member, closes_at=CLOSES + timedelta(days=2)
    )
    with time_machine.travel(AFTER, tick=False):
        html = client_for(personas.other_member).get(call.meeting.get_call_url()).content.decode()
    assert "The call is open." in html and "Submit to 23.01.01" in html
    assert "for you (a personal extension) on <strong>" in html
    assert "Sunday 25 October 2020, 17:59 EDT" in html


def test_abstract_form_of_a_closed_call_has_no_active_button(client_for, personas, call):
    with time_machine.travel(AFTER, tick=False):
        response = client_for(personas.member).get(
            reverse("meetings:abstract_create", args=[call.meeting.slug])
        )
    html = response.content.decode()
    assert 'data-testid="call-closed"' in html
    buttons = _form_buttons(html)
    assert len(buttons) == 4  # add author, preview, save draft, submit: none active
    assert all(" disabled" in tag for tag in buttons), buttons


def test_open_call_form_buttons_are_active(client_for, personas, call):
    with time_machine.travel(CLOSES - timedelta(hours=1), tick=False):
        response = client_for(personas.member).get(
            reverse("meetings:abstract_create", args=[call.meeting.slug])
        )
    assert not any(" disabled" in tag for tag in _form_buttons(response.content.decode()))


def test_save_refused_after_closing_keeps_text_and_disables_saving(client_for, personas, call):
    client = client_for(personas.member)
    url = reverse("meetings:abstract_create", args=[call.meeting.slug])
    with time_machine.travel(CLOSES - timedelta(hours=2), tick=False):
        token = client.get(url).context["form"]["token"].value()
    data = form_data(token=token, action="submit", title="Kept title", body="Kept $x^2$ body")
    with time_machine.travel(CLOSES + timedelta(seconds=5), tick=False):
        response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 409
    assert Abstract.objects.count() == 0
    refusal = html.split('data-testid="refusal"')[1].split("</div>")[0]
    assert "closed on 23 October 2020 at 17:59 (America/New_York)" in refusal
    assert "Saving is switched off" in refusal
    assert 'value="Kept title"' in html and "Kept $x^2$ body</textarea>" in html
    assert all(" disabled" in tag for tag in _form_buttons(html))
