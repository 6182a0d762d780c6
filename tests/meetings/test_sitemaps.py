"""Meetings in /sitemap.xml: each meeting's page and call, never abstracts or committee pages.

Meetings have no draft state (every meeting and call page is public); what is private is the
member's area (/meetings/my/…) and the committee's pages (/meetings/<slug>/committee/…).
"""

from datetime import date, timedelta

import pytest

from tests.factories.meetings import MeetingFactory, make_abstract
from tests.sitemap_checks import sitemap_paths

pytestmark = pytest.mark.django_db


def test_sitemap_lists_each_meeting_page_and_call_and_nothing_private(client, personas, focus):
    MeetingFactory(slug="april-2020", starts_on=date.today() - timedelta(days=900))
    # Rows whose pages are private and could leak into a careless sitemap.
    make_abstract(submitter=personas.member, category=focus, title="Private draft", submit=False)
    make_abstract(submitter=personas.member, category=focus)
    paths = [path for path in sitemap_paths(client) if path.startswith("/meetings/")]
    assert paths == [
        "/meetings/march-2021/",
        "/meetings/april-2020/",
        "/meetings/march-2021/call/",
        "/meetings/april-2020/call/",
    ]
