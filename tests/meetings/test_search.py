"""Accepted abstracts in the site search: only those the meeting page shows (issue 19)."""

import pytest
from django.urls import reverse

from meetings.enums import AbstractState
from meetings.models import Abstract, DecisionNotification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract

pytestmark = pytest.mark.django_db


def _abstract(category, word: str, state: str, *, sent: bool) -> Abstract:
    abstract = make_abstract(
        submitter=UserFactory(),
        category=category,
        title=f"Findings on {word}",
        authors=[author("Ayşe Küçükbenli", "ayse@example.org")],
    )
    Abstract.objects.filter(pk=abstract.pk).update(state=state)
    if sent:
        DecisionNotification.objects.create(abstract=abstract, state=state)
    abstract.refresh_from_db()
    return abstract


def _titles(client, q: str) -> list[str]:
    return [r.title for r in client.get(reverse("search"), {"q": q}).context["page"]]


def test_only_abstracts_the_meeting_page_shows_are_found(client):
    category = SortingCategoryFactory(
        meeting=MeetingFactory(contributed_published=True), code="23.01.12"
    )
    shown = _abstract(category, "quasicrystals", AbstractState.ACCEPTED_ORAL, sent=True)
    _abstract(category, "xylophones", AbstractState.REJECTED, sent=True)
    _abstract(category, "yttrium", AbstractState.SUBMITTED, sent=False)
    _abstract(category, "zirconia", AbstractState.ACCEPTED_POSTER, sent=False)  # unsent
    draft = make_abstract(
        submitter=UserFactory(), category=category, title="Draft on wolframite", submit=False
    )
    assert draft.state == AbstractState.DRAFT
    # Another year: its own reference prefix.
    unpublished_meeting = MeetingFactory(contributed_published=False, slug="m-2019", year=2019)
    unpublished = SortingCategoryFactory(meeting=unpublished_meeting, code="23.01.02")
    _abstract(unpublished, "vanadium", AbstractState.ACCEPTED_ORAL, sent=True)

    assert _titles(client, "quasicrystals") == [f"{shown.reference} Findings on quasicrystals"]
    for word in ("xylophones", "yttrium", "zirconia", "wolframite", "vanadium"):
        assert _titles(client, word) == [], word
    # Its reference finds it as written; its page anchor is on the meeting page.
    response = client.get(reverse("search"), {"q": shown.reference})
    assert [r.title for r in response.context["page"]] == [
        f"{shown.reference} Findings on quasicrystals"
    ]
    html = response.content.decode()
    assert f'#abstract-{shown.reference}"' in html
    # The snippet is what the meeting page lists: authors, meeting and category.
    assert "Ayşe Küçükbenli" in html
    detail = client.get(category.meeting.get_absolute_url()).content.decode()
    assert f'id="abstract-{shown.reference}"' in detail


def test_unshown_abstracts_are_never_suggested(client):
    category = SortingCategoryFactory(meeting=MeetingFactory(contributed_published=True))
    _abstract(category, "quasicrystals", AbstractState.REJECTED, sent=True)
    response = client.get(reverse("search"), {"q": "findings on quasicrystal zz"})
    assert response.context["suggestions"] == []
