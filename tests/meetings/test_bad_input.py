"""Bad input on the abstract form and the one-button token forms."""

import uuid

import pytest
from hypothesis import given

from meetings.models import Abstract
from tests.bad_input import (
    FORM_SETTINGS,
    assert_handled,
    corrupt,
    corruptions,
    each_field_nasty,
)
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.meetings.conftest import form_data

pytestmark = pytest.mark.django_db

TEXT_FIELDS = ["title", "body", "funding", "keywords", "token", "category"]
AUTHOR_FIELDS = ["name", "email", "affiliations", "orcid", "is_presenting"]
MANAGEMENT = ["authors-TOTAL_FORMS", "authors-INITIAL_FORMS", "authors-MAX_NUM_FORMS"]
FIELDS = [
    *TEXT_FIELDS,
    "presentation",
    "student_presenter",
    "action",
    *MANAGEMENT,
    *(f"authors-{i}-{name}" for i in (0, 1) for name in AUTHOR_FIELDS),
]
KEPT = [*TEXT_FIELDS, *(f"authors-{i}-{n}" for i in (0, 1) for n in AUTHOR_FIELDS[:4])]
AUTHORS = [
    {
        "name": "Mia Member",
        "email": "member@example.org",
        "affiliations": "Lab A\r\nLab B",
        "orcid": "0000-0002-1825-0097",
        "is_presenting": "on",
    },
    {"name": "Ana Author", "email": "", "affiliations": "Lab B", "orcid": ""},
]


@pytest.fixture
def category(db):
    meeting = MeetingFactory(slug="march-2021", body_max_length=2000)
    return SortingCategoryFactory(meeting=meeting, code="23.01.01")


def _post_abstract(client, category, bad):
    data = form_data(token=uuid.uuid4(), action="submit", authors=AUTHORS)
    posted = corrupt(data, bad)
    before = Abstract.objects.count()
    response = client.post(f"/meetings/my/abstracts/new/{category.meeting.slug}/", posted)
    if assert_handled(response, posted=posted, bad=bad, kept=KEPT):
        assert Abstract.objects.count() == before + 1
    else:
        assert Abstract.objects.count() == before


def test_abstract_form_survives_the_worst_value_in_every_field(personas, client_for, category):
    client = client_for(personas.member)
    for _, bad in each_field_nasty(FIELDS):
        _post_abstract(client, category, bad)


@FORM_SETTINGS
@given(bad=corruptions(FIELDS))
def test_abstract_form_survives_bad_input(personas, client_for, category, bad):
    _post_abstract(client_for(personas.member), category, bad)


@FORM_SETTINGS
@given(bad=corruptions(["token"]))
def test_submit_and_withdraw_buttons_survive_bad_tokens(personas, client_for, category, bad):
    client = client_for(personas.member)
    client.post(
        f"/meetings/my/abstracts/new/{category.meeting.slug}/",
        form_data(token=uuid.uuid4(), action="save", authors=AUTHORS),
    )
    abstract = Abstract.objects.filter(submitter=personas.member).latest("pk")
    for action in ("submit", "withdraw"):
        posted = corrupt({"token": str(uuid.uuid4())}, bad)
        response = client.post(f"/meetings/my/abstracts/{abstract.pk}/{action}/", posted)
        assert response.status_code < 500, (action, bad)
