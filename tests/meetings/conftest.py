import uuid

import pytest

from meetings.enums import CategoryKind
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory


@pytest.fixture
def meeting(db):
    return MeetingFactory(name="March Meeting 2021", slug="march-2021")


@pytest.fixture
def focus(meeting):
    heading = SortingCategoryFactory(
        meeting=meeting, code="23.01.00", title="GDS FOCUS SESSIONS", kind=CategoryKind.HEADING
    )
    return SortingCategoryFactory(
        meeting=meeting,
        code="23.01.01",
        title="Big Data in Physics",
        parent=heading,
        cosponsors=["GDS", "DCOMP", "GSNP"],
    )


@pytest.fixture
def invited(meeting):
    return SortingCategoryFactory(
        meeting=meeting,
        code="23.00.00",
        title="GDS Symposium Invited Speaker",
        kind=CategoryKind.INVITED_SYMPOSIUM,
    )


def form_data(category_code="23.01.01", *, token=None, action="save", authors=None, **fields):
    """A complete POST of the abstract form, as the browser sends it."""
    authors = authors or [
        {
            "name": "Mia Member",
            "email": "member@example.org",
            "affiliations": "Lab A",
            "is_presenting": "on",
        },
    ]
    data = {
        "token": str(token or uuid.uuid4()),
        "action": action,
        "category": category_code,
        "title": "Learning phase transitions",
        "body": "We find $E = mc^2$.\r\nSecond line.",
        "presentation": "oral",
        "funding": "",
        "keywords": "phases, learning",
        "authors-TOTAL_FORMS": str(len(authors)),
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "30",
    }
    for index, author in enumerate(authors):
        for key, value in author.items():
            data[f"authors-{index}-{key}"] = value
    data.update(fields)
    return data


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Call `fn` as if its transaction committed, so mail queued on commit reaches the outbox."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
