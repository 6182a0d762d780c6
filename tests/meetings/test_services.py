"""Category import, references, reminders, history, constraints and the demo's Table 1."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from gds_portal.models import OutboundEmail
from meetings import demo
from meetings.enums import CategoryKind
from meetings.models import AbstractReminder, SortingCategory
from meetings.services.abstracts import abstract_save, abstract_withdraw
from meetings.services.categories import CategoryImportError, categories_import
from tests.factories.meetings import (
    MeetingFactory,
    SortingCategoryFactory,
    abstract_data,
    author,
    make_abstract,
)

pytestmark = pytest.mark.django_db


def _categories(meeting):
    return [
        (
            c.code,
            c.title,
            c.kind,
            c.accepts_contributed,
            c.parent.code if c.parent else None,
            c.cosponsor_codes,
        )
        for c in meeting.categories.prefetch_related("cosponsorships__unit").select_related(
            "parent"
        )
    ]


def test_import_creates_categories_under_their_headings():
    meeting = MeetingFactory()
    text = (
        "code,title,kind,co-sponsors\n"
        "23.00.00,GDS Symposium Invited Speaker,invited symposium,\n"
        "23.01.00,GDS FOCUS SESSIONS,heading,\n"
        '23.01.10,Machine Learning for Quantum Matter,focus session,"DCOMP, GDS, DMP"\n'
        "23.02.00,GDS STANDARD SORTING CATEGORIES,Heading,\n"
        "23.03.00,Data Science in Physics,standard category,\n"
    )
    assert categories_import(meeting=meeting, text=text) == (5, 0)
    assert _categories(meeting) == [
        ("23.00.00", "GDS Symposium Invited Speaker", "invited", False, None, []),
        ("23.01.00", "GDS FOCUS SESSIONS", "heading", False, None, []),
        (
            "23.01.10",
            "Machine Learning for Quantum Matter",
            "focus",
            True,
            "23.01.00",
            ["DCOMP", "GDS", "DMP"],
        ),
        ("23.02.00", "GDS STANDARD SORTING CATEGORIES", "heading", False, None, []),
        ("23.03.00", "Data Science in Physics", "standard", True, "23.02.00", []),
    ]
    # Importing again updates in place.
    assert categories_import(meeting=meeting, text=text) == (0, 5)


def test_import_reports_every_bad_line_and_writes_nothing():
    meeting = MeetingFactory()
    SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Before")
    text = (
        "code,title,kind,co-sponsors\n"
        "23.01.01,Changed,focus session,GDS\n"
        "23.1.2,Bad code,focus session,GDS\n"
        "23.01.03,,focus,\n"
        "23.01.04,Bad kind,focuss,\n"
        '23.01.05,Bad unit,focus,"GDS, NOPE"\n'
        "23.01.01,Duplicate,focus,\n"
        "just one column\n"
    )
    with pytest.raises(CategoryImportError) as error:
        categories_import(meeting=meeting, text=text)
    assert error.value.errors == [
        "Line 3: code '23.1.2' is not like 23.01.01.",
        "Line 4: the title is empty.",
        "Line 5: kind 'focuss' is not one of focus, focus session, heading, invited, "
        "invited symposium, standard, standard category.",
        "Line 6: unknown co-sponsor unit NOPE.",
        "Line 7: code 23.01.01 already appears on line 2.",
        "Line 8: expected 3 or 4 columns (code,title,kind,co-sponsors).",
    ]
    assert [c.title for c in SortingCategory.objects.all()] == ["Before"]


def test_import_through_the_admin(personas, client_for):
    meeting = MeetingFactory()
    client = client_for(personas.program_committee)
    url = reverse("admin:meetings_sortingcategory_import")
    bad = io.BytesIO(b"23.01.01,Title,focus,NOPE\n")
    bad.name = "bad.csv"
    response = client.post(url, {"meeting": meeting.pk, "file": bad})
    assert "Line 1: unknown co-sponsor unit NOPE." in response.content.decode()
    good = io.BytesIO(b'23.01.01,Big Data in Physics,focus session,"GDS, DCOMP, GSNP"\n')
    good.name = "good.csv"
    response = client.post(url, {"meeting": meeting.pk, "file": good})
    assert response.status_code == 302
    assert _categories(meeting) == [
        ("23.01.01", "Big Data in Physics", "focus", True, None, ["GDS", "DCOMP", "GSNP"])
    ]
    assert client_for(personas.webinar_committee).get(url).status_code in {302, 403}


def test_heading_never_accepts_contributed_abstracts_in_the_database():
    with pytest.raises(IntegrityError):
        SortingCategoryFactory(kind=CategoryKind.HEADING, accepts_contributed=True)


def test_invited_never_accepts_contributed_abstracts_in_the_admin_form():
    category = SortingCategoryFactory.build(
        meeting=MeetingFactory(), kind=CategoryKind.INVITED_SYMPOSIUM, accepts_contributed=True
    )
    with pytest.raises(Exception, match="never accept"):
        category.full_clean()


def test_references_count_per_meeting_and_are_never_reused(personas):
    march = SortingCategoryFactory(meeting=MeetingFactory(year=2021))
    april = SortingCategoryFactory(meeting=MeetingFactory(kind="april", year=2021))
    first = make_abstract(submitter=personas.member, category=march)
    second = make_abstract(submitter=personas.member, category=march)
    other = make_abstract(submitter=personas.member, category=april)
    assert [first.reference, second.reference, other.reference] == [
        "MAR21-000001",
        "MAR21-000002",
        "APR21-000001",
    ]
    abstract_withdraw(abstract=second, by=personas.member, token=uuid.uuid4())
    third = make_abstract(submitter=personas.member, category=march)
    assert third.reference == "MAR21-000003"


def test_reminders_once_per_draft_even_when_run_twice(personas, deliver_mail, commit):
    meeting = MeetingFactory(call_closes_at=timezone.now() + timedelta(hours=47))
    later = MeetingFactory(call_closes_at=timezone.now() + timedelta(hours=49))
    draft = make_abstract(
        submitter=personas.member, category=SortingCategoryFactory(meeting=meeting), submit=False
    )
    make_abstract(submitter=personas.member, category=SortingCategoryFactory(meeting=meeting))
    make_abstract(
        submitter=personas.other_member,
        category=SortingCategoryFactory(meeting=later),
        submit=False,
    )
    OutboundEmail.objects.all().delete()  # the submitted one's receipt is not under test
    out = io.StringIO()
    commit(call_command, "send_abstract_reminders", stdout=out)
    commit(call_command, "send_abstract_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "Queued 1 abstract reminder(s).",
        "Queued 0 abstract reminder(s).",
    ]
    [mail] = deliver_mail()
    assert mail.to == ["member@example.org"]
    assert "not submitted yet" in mail.subject
    assert list(AbstractReminder.objects.values_list("abstract", flat=True)) == [draft.pk]


def test_history_timeline_shows_who_and_what_changed(personas, client_for, focus):
    client = client_for(personas.member)
    abstract = make_abstract(submitter=personas.member, category=focus, submit=False)
    abstract_save(
        meeting=focus.meeting,
        by=personas.member,
        data=abstract_data(
            focus, title="New title", authors=[author(), author("Bob", "", presenting=False)]
        ),
        token=uuid.uuid4(),
        abstract=abstract,
        submit=True,
    )
    html = client.get(abstract.get_absolute_url()).content.decode()
    timeline = html.split('data-testid="timeline"')[1]
    assert timeline.index("Submitted") < timeline.index("Draft created")
    assert "(changed: title, authors)" in timeline
    assert "by Mia Member" in timeline
    assert abstract.history.count() == 2
    assert abstract.history.first().history_user == personas.member


def test_demo_holds_table_1_of_the_newsletter():
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent
    from meetings.models import Meeting

    march = Meeting.objects.get(slug="march-2021")
    rows = _categories(march)
    assert len(rows) == 25
    kinds = [r[2] for r in rows]
    assert kinds.count("focus") == 16 and kinds.count("standard") == 6
    assert rows[0] == ("23.00.00", "GDS Symposium Invited Speaker", "invited", False, None, [])
    assert rows[13] == (
        "23.01.12",
        "Emerging Trends in Molecular Dynamics Simulations and Machine Learning",
        "focus",
        True,
        "23.01.00",
        ["DCOMP", "GDS", "DSOFT", "DPOLY"],
    )
    assert rows[15] == (
        "23.01.14",
        "Machine learning for biomolecular design and simulation",
        "focus",
        True,
        "23.01.00",
        ["DPOLY", "GDS", "DSOFT", "DBIO", "DCOMP"],
    )
    assert rows[-1] == ("23.08.00", "Autonomous Experimentation", "standard", True, "23.02.00", [])
    assert march.call_state() == "open"
    assert Meeting.objects.get(slug="april-2021").program_chair.name == "Dimitri Bourilkov"
