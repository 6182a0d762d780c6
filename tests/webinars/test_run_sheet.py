"""The run sheet (issue 17 item 4): previewed by the committee, sent once to the host and
the speakers, with the time in UTC, the join link, the order of events and contacts."""

import pytest
from django.core.exceptions import ValidationError

from gds_portal.models import OutboundEmail
from tests.factories.community import PersonFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.speakers import webinar_send_run_sheet

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/j/run-sheet-room"
NOTES = "Slides by <Friday>; call Hal on +1 555 0100 & ask for R&D."


@pytest.fixture
def webinar(personas):
    host = PersonFactory(name="Hal Host", email="hal@example.org")
    speaker = PersonFactory(name="Sue Speaker", email="SUE@example.org")
    return WebinarFactory(
        slug="run-sheet-webinar",
        start_at=FUTURE,
        join_url=JOIN,
        host=host,
        speakers=[speaker],
        run_sheet_notes=NOTES,
    )


def _url(webinar) -> str:
    return f"/webinars/committee/{webinar.slug}/run-sheet/"


def test_the_committee_previews_escaped_then_sends_once(webinar, personas, client_for):
    client = client_for(personas.webinar_committee)
    page = client.get(_url(webinar)).content.decode()
    assert "Slides by &lt;Friday&gt;; call Hal on +1 555 0100 &amp; ask for R&amp;D." in page
    assert "Sunday 1 March 2099, 17:30 UTC" in page
    assert "hal@example.org, SUE@example.org" in page
    assert OutboundEmail.objects.filter(template="webinars/run-sheet").count() == 0

    client.post(_url(webinar))
    client.post(_url(webinar))  # a second press sends nothing more
    [mail] = OutboundEmail.objects.filter(template="webinars/run-sheet")
    assert mail.to == ["hal@example.org", "SUE@example.org"]
    assert JOIN in mail.body_text
    assert NOTES in mail.body_text  # the text part as written
    assert "17:30 UTC" in mail.body_text
    assert "webinar@example.org" in mail.body_text  # the committee as contacts
    assert "Sue Speaker" in mail.body_text
    webinar.refresh_from_db()
    assert webinar.run_sheet_sent_at is not None
    assert "Send the run sheet" not in client.get(_url(webinar)).content.decode()


def test_no_run_sheet_without_a_join_link_or_anyone_to_send_to(personas):
    bare = WebinarFactory(start_at=FUTURE, join_url="")
    with pytest.raises(ValidationError, match="join link"):
        webinar_send_run_sheet(webinar=bare)
    nobody = WebinarFactory(start_at=FUTURE, join_url=JOIN)
    with pytest.raises(ValidationError, match="address"):
        webinar_send_run_sheet(webinar=nobody)
    assert not OutboundEmail.objects.filter(template="webinars/run-sheet").exists()


@pytest.mark.parametrize("who", ["member", "program_committee", "executive"])
def test_only_the_committee_reaches_the_run_sheet(webinar, personas, client_for, who):
    client = client_for(getattr(personas, who))
    assert client.get(_url(webinar)).status_code == 403
    assert client.post(_url(webinar)).status_code == 403
    assert not OutboundEmail.objects.filter(template="webinars/run-sheet").exists()


@pytest.mark.parametrize("n", [1, 3])
def test_run_sheet_query_budget(personas, client_for, django_assert_num_queries, n):
    speakers = [PersonFactory(email=f"s{i}@example.org") for i in range(n)]
    webinar = WebinarFactory(slug="budget-sheet", start_at=FUTURE, join_url=JOIN, speakers=speakers)
    client = client_for(personas.webinar_committee)
    client.get(_url(webinar))  # warm caches
    with django_assert_num_queries(9):
        client.get(_url(webinar))
