"""The Program committee in Chromium: a reviewer scores three abstracts; the chair
accepts, moves, previews and sends the decisions exactly once. A member nominates an
invited speaker with two alternates and finds the nomination in My GDS."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState
from meetings.models import Abstract, Review, SpeakerNomination
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract

DECISION = "[GDS] Decision on abstract"


def _decision_mails() -> list[tuple[str, str]]:
    return sorted(
        (m.to[0], m.subject) for m in OutboundEmail.objects.filter(subject__startswith=DECISION)
    )


def _meeting_with_three_abstracts():
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    SortingCategoryFactory(
        meeting=meeting, code="23.04.00", title="Machine Learning", kind="standard"
    )
    abstracts = []
    for n, title in enumerate(
        ["Learned detector codecs", "Koopman operators from data", "Graph networks for phonons"],
        start=1,
    ):
        submitter = UserFactory(email=f"author{n}@example.org")
        authors = [author(f"Author {n}", submitter.email)]
        abstracts.append(
            make_abstract(submitter=submitter, category=focus, title=title, authors=authors)
        )
    return meeting, abstracts


def test_review_decide_preview_and_send_once(page):
    meeting, abstracts = _meeting_with_three_abstracts()
    UserFactory(email="rita@example.org", full_name="Rita Reviewer", roles=[Role.PROGRAM_COMMITTEE])
    chair = UserFactory(
        email="chair@example.org", full_name="Chris Chair", roles=[Role.PROGRAM_COMMITTEE]
    )
    meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    meeting.save()

    login(page, "rita@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reviews/")
    assert_accessible(page)
    # A review without a score says so under the scores (crispy prints that message
    # after the inline group, where only site.css makes it visible).
    page.get_by_role("link", name=abstracts[0].title).click()
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".invalid-feedback").get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("4 — good")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reviews/")
    for abstract, score in zip(abstracts, ["4 — good", "5 — excellent", "2 — weak"], strict=True):
        page.get_by_role("link", name=abstract.title).click()
        page.get_by_label(score).check()
        field(page, "Comment").fill(f"Scored {score[0]}.")
        page.get_by_role("button", name="Save review").click()
        expect(page.locator(".messages")).to_contain_text(f"review of {abstract.reference}")
    assert sorted(Review.objects.values_list("score", flat=True)) == [2, 4, 5]

    page.context.clear_cookies()
    login(page, "chair@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/decisions/")
    assert_accessible(page)
    first, second, third = abstracts
    page.get_by_label(f"Choose {first.reference}").check()
    page.get_by_label(f"Choose {second.reference}").check()
    field(page, "Decision").select_option(label="Accept (oral)")
    page.get_by_role("button", name="Apply to chosen abstracts").click()
    expect(page.get_by_text("Accept (oral): 2 abstracts.")).to_be_visible()

    page.get_by_label(f"Choose {third.reference}").check()
    field(page, "Decision").select_option(label="Move to another category")
    field(page, "Move to category").select_option(label="23.04.00 Machine Learning")
    page.get_by_role("button", name="Apply to chosen abstracts").click()
    expect(page.get_by_text("moved from 23.01.01")).to_be_visible()
    page.get_by_label(f"Choose {third.reference}").check()
    field(page, "Decision").select_option(label="Accept (poster)")
    page.get_by_role("button", name="Apply to chosen abstracts").click()
    assert _decision_mails() == []  # nobody is told anything yet

    page.get_by_role("link", name="Preview the decision mails").click()
    previews = page.get_by_test_id("mail-preview")
    expect(previews).to_have_count(3)
    expect(previews.filter(has_text=third.reference)).to_contain_text("moved it from")
    assert_accessible(page)
    page.get_by_role("button", name="Send 3 decision mails").click()
    expect(page.get_by_text("3 decision mails queued.")).to_be_visible()

    assert _decision_mails() == [
        ("author1@example.org", f"{DECISION} {first.reference}: Accepted (oral)"),
        ("author2@example.org", f"{DECISION} {second.reference}: Accepted (oral)"),
        ("author3@example.org", f"{DECISION} {third.reference}: Accepted (poster)"),
    ]
    # Sending again sends nothing.
    page.goto(f"{page.live_url}/meetings/march-2021/committee/decisions/preview/")
    expect(page.get_by_text("There are no decisions waiting to be sent.")).to_be_visible()
    page.request.post(
        f"{page.live_url}/meetings/march-2021/committee/decisions/send/",
        headers={"X-CSRFToken": _csrf(page), "Referer": page.live_url + "/"},
    )
    assert len(_decision_mails()) == 3
    assert Abstract.objects.get(pk=third.pk).state == AbstractState.ACCEPTED_POSTER

    page.goto(f"{page.live_url}/meetings/march-2021/committee/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Committee dashboard")
    expect(page.locator("svg.gds-chart")).to_have_count(2)
    assert_accessible(page)


def _csrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_member_nominates_a_speaker_with_two_alternates(page):
    now = timezone.now()
    MeetingFactory(
        name="APS March Meeting 2021",
        slug="march-2021",
        nominations_open_at=now - timedelta(days=1),
        nominations_close_at=now + timedelta(days=9),
    )
    UserFactory(email="mia@example.org", full_name="Mia Member")
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/")
    page.get_by_role("link", name="Nominate a speaker").click()
    expect(page.get_by_text("GDS especially encourages nominating women")).to_be_visible()
    assert_accessible(page)
    field(page, "Nominee's name").fill("Nadia Nominee")
    field(page, "Nominee's affiliation").fill("Université Exemple")
    field(page, "Nominee's email").fill("nadia@example.org")
    field(page, "Proposed talk title").fill("Learning symmetries from data")
    # Forgetting the rationale keeps everything typed and says what is missing.
    page.get_by_role("button", name="Send nomination").click()
    expect(page.locator(".invalid-feedback").get_by_text("This field is required.")).to_be_visible()
    expect(field(page, "Nominee's name")).to_have_value("Nadia Nominee")
    field(page, "Rationale").fill("She opened up a new field.")
    page.get_by_label("The nominee has tentatively agreed to speak").check()
    field(page, "First alternate: name").fill("Alex Alternate")
    field(page, "First alternate: affiliation").fill("Lab A")
    field(page, "Second alternate: name").fill("Bea Backup")
    field(page, "Second alternate: affiliation").fill("Lab B")
    page.get_by_label("The nominee is a woman").check()
    page.get_by_role("button", name="Send nomination").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My speaker nominations")
    page.goto(f"{page.live_url}/my/")
    row = page.get_by_test_id("my-nomination")
    expect(row).to_contain_text("Nadia Nominee")
    expect(row).to_contain_text("Alex Alternate, Bea Backup")
    expect(row).to_contain_text("Under consideration by the Program committee")
    expect(page.locator("main")).not_to_contain_text(re.compile("is a woman", re.I))
    nomination = SpeakerNomination.objects.get()
    assert (nomination.tentatively_agreed, nomination.nominee_is_woman) == (True, True)


def test_reviewer_sees_a_duplicate_flag_once_the_check_has_run(page):
    """A resubmission waits as "Duplicate check pending" until the background check (the
    check_duplicates worker, run here by hand) compares it; then both abstracts name each
    other, an unrelated one names neither, and the review forms link the pair."""
    from meetings.services.duplicates import check_pending

    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    first = make_abstract(
        submitter=UserFactory(),
        category=focus,
        title="Learned detector codecs",
        body="We compress calorimeter images with a learned codec and keep "
        "the reconstructed energies within a percent.",
    )
    other = make_abstract(
        submitter=UserFactory(),
        category=focus,
        title="Koopman operators from data",
        body="Spectral methods recover Koopman modes from short, noisy "
        "trajectories of turbulent flows.",
    )
    check_pending()
    again = make_abstract(
        submitter=UserFactory(), category=focus, title=first.title, body=first.body
    )
    UserFactory(email="rita@example.org", roles=[Role.PROGRAM_COMMITTEE])
    login(page, "rita@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reviews/")

    def row(abstract):
        return page.get_by_role("row", name=re.compile(f"^{abstract.reference} "))

    expect(row(again).get_by_test_id("duplicate-pending")).to_have_text("Duplicate check pending")
    expect(page.get_by_test_id("duplicate-pending")).to_have_count(1)

    check_pending()  # what the worker does within seconds
    page.reload()
    expect(page.get_by_test_id("duplicate-pending")).to_have_count(0)
    expect(row(again)).to_contain_text(f"Likely duplicate of {first.reference}")
    expect(row(first)).to_contain_text(f"Likely duplicate of {again.reference}")
    expect(row(other)).not_to_contain_text("Likely duplicate")
    row(again).get_by_role("link", name=again.title).click()
    expect(page.get_by_test_id("duplicate-warning")).to_contain_text(first.reference)
    assert_accessible(page)
    page.get_by_test_id("duplicate-warning").get_by_role("link", name=first.reference).click()
    expect(page.get_by_test_id("duplicate-warning")).to_contain_text(again.reference)


def test_admin_abstract_list_opens_on_the_current_meeting(page):
    meeting, _ = _meeting_with_three_abstracts()
    older = MeetingFactory(
        name="APS March Meeting 2020",
        slug="march-2020",
        year=2020,
        starts_on=meeting.starts_on - timedelta(days=365),
    )
    last_year = SortingCategoryFactory(meeting=older, code="23.01.01")
    old = make_abstract(submitter=UserFactory(), title="Last year's abstract", category=last_year)
    UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    login(page, "chair@example.org", PASSWORD)
    page.goto(f"{page.live_url}/admin/meetings/abstract/")
    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(3)
    expect(page.locator("#changelist-filter li.selected").first).to_have_text(
        "APS March Meeting 2021"
    )
    page.locator("#changelist-filter").get_by_role("link", name="All meetings").click()
    expect(results).to_have_count(4)
    page.locator("#changelist-filter").get_by_role("link", name="APS March Meeting 2020").click()
    expect(results).to_have_count(1)
    expect(results).to_contain_text(old.title)
