"""The committee's aggregate view of the voluntary flags, and that flags never leak elsewhere."""

from datetime import UTC, datetime

import pytest

from gds_portal.models import OutboundEmail
from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FUTURE,
    SpeakerNominationFactory,
    TopicFactory,
    WebinarFactory,
    with_token,
)
from webinars.enums import NominationStatus
from webinars.participation import participation_by_year

pytestmark = pytest.mark.django_db

URL = "/webinars/committee/participation/"
IN_2029 = datetime(2029, 4, 1, tzinfo=UTC)


def _rows(year) -> dict:
    return {row.key: (row.nominated, row.scheduled) for row in year["rows"]}


def test_counts_per_year_with_small_cells_suppressed():
    for i in range(6):
        SpeakerNominationFactory(
            created_at=IN_2029,
            country="DE" if i < 5 else "US",
            nominee_is_woman=i < 5,
            nominee_is_urm=i < 2,
            nominee_outside_us=i < 5,
            status=NominationStatus.SCHEDULED if i < 5 else NominationStatus.NEW,
        )
    SpeakerNominationFactory(created_at=IN_2029, status=NominationStatus.WITHDRAWN)
    SpeakerNominationFactory(created_at=datetime(2028, 1, 1, tzinfo=UTC), nominee_is_woman=True)

    years = participation_by_year()

    assert [y["year"] for y in years] == [2029, 2028]
    assert _rows(years[0]) == {
        "all": (6, 5),
        "women": (5, 5),
        "urm": (None, None),
        "outside_us": (5, 5),
        "region-africa": (None, None),
        "region-northern_america": (None, None),
        "region-latin_america": (None, None),
        "region-asia": (None, None),
        "region-europe": (5, 5),
        "region-oceania": (None, None),
        "region-unknown": (None, None),
    }
    assert _rows(years[1])["women"] == (None, None)


def test_scheduled_speakers_count_in_their_webinars_year():
    webinar = WebinarFactory(start_at=datetime(2031, 2, 1, tzinfo=UTC))
    for _ in range(5):
        SpeakerNominationFactory(
            created_at=IN_2029, status=NominationStatus.SCHEDULED, webinar=webinar
        )
    years = {y["year"]: _rows(y) for y in participation_by_year()}
    assert (years[2029]["all"], years[2031]["all"]) == ((5, None), (None, 5))


def test_page_renders_table_and_svg_chart_for_the_committee(client_for, personas):
    for _ in range(5):
        SpeakerNominationFactory(created_at=IN_2029, nominee_is_woman=True)
    html = client_for(personas.webinar_committee).get(URL).content.decode()
    assert '<svg class="gds-chart"' in html
    assert '<title id="chart-2029-t">Bar chart of the table for 2029' in html
    assert "<caption>Speaker nominations and scheduled speakers, 2029</caption>" in html
    assert "&lt;5" in html
    assert "Nominee" not in html  # no names, only counts


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("other_member", 403),
        ("program_committee", 403),
        ("crrg_coordinator", 403),
        ("executive", 403),
        ("newsletter_editor", 403),
        ("webinar_committee", 200),
    ],
)
def test_only_the_webinar_committee_sees_participation(client_for, personas, who, status):
    assert client_for(getattr(personas, who)).get(URL).status_code == status


def test_anonymous_is_sent_to_log_in(client_for):
    assert client_for(None).get(URL).url.startswith("/accounts/login/")


@pytest.mark.parametrize("n", [1, 3])
def test_participation_query_budget(client_for, personas, django_assert_num_queries, n):
    client = client_for(personas.webinar_committee)
    for year in range(2026, 2026 + n):
        SpeakerNominationFactory(created_at=datetime(year, 3, 1, tzinfo=UTC))
    client.get(URL)  # warm caches (content types, site settings)
    with django_assert_num_queries(6):
        client.get(URL)


FLAG_WORDS = ["woman", "women", "minority", "under-represented", "outside the united states"]


def test_flags_never_reach_public_pages_feeds_search_or_mail(
    client_for, personas, django_capture_on_commit_callbacks
):
    """A scheduled speaker with every flag set: nothing public or mailed says so."""
    topic = TopicFactory(name="Inference", slug="inference")
    speaker = PersonFactory(name="Flagged Speaker", slug="flagged-speaker")
    webinar = WebinarFactory(
        title="Flagged talk", speakers=[speaker], topics=[topic], start_at=FUTURE
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.member).post(
            "/webinars/nominate/speaker/",
            with_token(
                {
                    "nominee_name": "Flagged Speaker",
                    "website": "https://example.org/f",
                    "proposed_title": "Flagged talk",
                    "rationale": "Because.",
                    "nominee_is_woman": "on",
                    "nominee_is_urm": "on",
                    "nominee_outside_us": "on",
                }
            ),
        )
    anonymous = client_for(None)
    pages = [
        "/webinars/",
        webinar.get_absolute_url(),
        f"{webinar.get_absolute_url()}calendar.ics",
        "/webinars/topics/inference/",
        "/people/flagged-speaker/",
        "/webinars/feed.ics",
        "/webinars/feed.atom",
        "/search/?q=Flagged",
        "/",
    ]
    for url in pages:
        text = anonymous.get(url).content.decode().lower()
        assert "flagged" in text, url
        assert [w for w in FLAG_WORDS if w in text] == [], url
    for word in ("woman", "minority"):
        results = anonymous.get("/search/", {"q": word}).context["page"]
        assert list(results) == []
    mails = list(OutboundEmail.objects.all())
    assert len(mails) == 2
    for mail in mails:
        text = f"{mail.subject} {mail.body_text} {mail.body_html}".lower()
        assert [w for w in FLAG_WORDS if w in text] == []
