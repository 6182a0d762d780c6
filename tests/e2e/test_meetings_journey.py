"""A member finds the call, writes an abstract with three authors, and submits, edits and
withdraws it in Chromium; a double submit makes one abstract."""

import re

from playwright.sync_api import expect

from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState, CategoryKind
from meetings.models import Abstract
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory


def _call():
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021", body_max_length=1300)
    SortingCategoryFactory(
        meeting=meeting,
        code="23.00.00",
        title="GDS Symposium Invited Speaker",
        kind=CategoryKind.INVITED_SYMPOSIUM,
    )
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


def _author(page, index: int, label: str):
    return page.locator(f"#id_authors-{index}-{label}")


def test_member_submits_edits_and_withdraws_an_abstract(page):
    focus = _call()
    UserFactory(
        email="ada@example.org", full_name="Ada Lovelace", affiliation="University of London"
    )
    login(page, "ada@example.org", PASSWORD)

    page.get_by_role("link", name="Meetings").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Read the call")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Call for abstracts"))
    expect(page.get_by_test_id("call-state")).to_contain_text("The call is open.")
    expect(page.locator("[data-countdown]")).to_contain_text(re.compile(r"\d+ seconds?"))
    expect(page.locator(".local-time").first).to_contain_text("your time")
    assert_accessible(page)
    page.get_by_role("link", name="Submit to 23.01.01 Big Data in Physics").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("New abstract")
    expect(field(page, "Sorting category")).to_have_value("23.01.01")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()  # nothing written yet
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(field(page, "Title")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    field(page, "Title").fill("Entropy of learned phases")
    field(page, "Abstract").fill("We estimate $S = -\\sum_i p_i \\log p_i$ from data.")
    expect(page.locator("[data-char-count]")).to_contain_text("49 of 1300 characters")
    expect(_author(page, 0, "name")).to_have_value("Ada Lovelace")
    _author(page, 1, "name").fill("Charles Babbage")
    _author(page, 1, "email").fill("charles@example.org")
    _author(page, 1, "affiliations").fill("University of London\nUniversity of Cambridge")
    page.get_by_role("button", name="Add author").click()
    _author(page, 2, "name").fill("Somebody Else")
    _author(page, 2, "affiliations").fill("Nowhere")
    page.get_by_role("button", name="Add author").click()
    _author(page, 3, "name").fill("Mary Somerville")
    _author(page, 3, "affiliations").fill("University of Cambridge")
    page.locator("[data-author-row]").nth(2).get_by_role("button", name="Remove author").click()
    expect(page.locator("[data-author-row]").nth(2)).to_be_hidden()
    expect(page.locator("[data-author-row]").nth(3).locator("[data-author-title]")).to_have_text(
        "Author 3"
    )
    _author(page, 1, "is_presenting").check()
    expect(_author(page, 0, "is_presenting")).not_to_be_checked()
    page.get_by_label("Poster", exact=True).check()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".abstract-preview")
    expect(preview).to_contain_text("Charles Babbage (presenting)")
    expect(preview.locator("math")).to_be_visible()
    assert Abstract.objects.count() == 0
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_test_id("state")).to_have_text("Draft")
    assert_accessible(page)
    draft = Abstract.objects.get()
    assert [
        (a.name, a.is_presenting, [f.position for f in a.affiliations.all()])
        for a in draft.authors.all()
    ] == [
        ("Ada Lovelace", False, [1]),
        ("Charles Babbage", True, [1, 2]),
        ("Mary Somerville", False, [2]),
    ]
    expect(page.get_by_test_id("abstract-body").locator("math")).to_be_visible()

    # Come back later through My GDS.
    page.goto(page.live_url + "/my/")
    page.get_by_role("link", name=re.compile("Entropy of learned phases")).click()
    page.get_by_role("link", name="Edit").click()
    expect(field(page, "Title")).to_have_value("Entropy of learned phases")
    assert_accessible(page)
    page.get_by_role("button", name="Submit abstract").dblclick()

    expect(page.get_by_test_id("state")).to_have_text("Submitted — under review")
    expect(page.get_by_role("heading", level=1)).to_contain_text("MAR21-000001")
    assert Abstract.objects.count() == 1
    receipt = OutboundEmail.objects.get(to=["ada@example.org"])
    assert receipt.subject == "[GDS] Abstract MAR21-000001 submitted: Entropy of learned phases"
    assert "$S = -\\sum_i p_i \\log p_i$" in receipt.body_text

    page.get_by_role("link", name="Edit").click()
    field(page, "Title").fill("Entropy of learned phases of matter")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("of matter"))).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Edited")
    assert OutboundEmail.objects.filter(subject__contains="updated").count() == 1

    page.get_by_role("link", name="Withdraw…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_test_id("state")).to_have_text("Withdrawn")
    assert Abstract.objects.get().state == AbstractState.WITHDRAWN
    assert OutboundEmail.objects.filter(subject__contains="withdrawn").count() == 1
    assert focus.meeting.abstracts.count() == 1


def test_double_submit_without_the_button_guard_makes_one_abstract(page):
    focus = _call()
    UserFactory(email="grace@example.org", full_name="Grace Hopper", affiliation="Navy")
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/abstracts/new/{focus.meeting.slug}/?category=23.01.01")
    field(page, "Title").fill("Compilers for physics")
    field(page, "Abstract").fill("Twice sent, once kept.")
    # The same filled-in form sent twice at once, as a double click that beats the
    # button guard in site.js, or a browser retrying a slow request, would send it.
    statuses = page.evaluate(
        """async () => {
            const form = document.getElementById("abstract-form");
            const send = () => {
                const data = new FormData(form);
                data.set("action", "submit");
                return fetch(location.href, {method: "POST", body: data, redirect: "manual"});
            };
            const answers = await Promise.all([send(), send()]);
            return answers.map((a) => a.type);
        }"""
    )
    assert statuses == ["opaqueredirect", "opaqueredirect"]
    page.goto(page.live_url + "/meetings/my/abstracts/")
    expect(page.get_by_test_id("abstract-row")).to_have_count(1)
    [abstract] = Abstract.objects.filter(submitter__email="grace@example.org")
    assert abstract.state == AbstractState.SUBMITTED
    assert OutboundEmail.objects.filter(to=["grace@example.org"]).count() == 1


def test_text_survives_an_expired_session(page):
    focus = _call()
    UserFactory(email="emmy@example.org", full_name="Emmy Noether", affiliation="Göttingen")
    login(page, "emmy@example.org", PASSWORD)
    url = f"{page.live_url}/meetings/my/abstracts/new/{focus.meeting.slug}/"
    page.goto(url)
    field(page, "Title").fill("Symmetries and conservation laws")
    field(page, "Abstract").fill("Every symmetry gives a conserved quantity.")
    page.get_by_role("button", name="Add author").click()
    _author(page, 2, "name").fill("Third Author")
    # The session and the CSRF cookie are gone (expired, or logged out elsewhere):
    # the save fails the CSRF check and the server never sees the text.
    page.context.clear_cookies()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This form could not be sent")
    assert Abstract.objects.count() == 0
    login(page, "emmy@example.org", PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Restore it").click()
    expect(field(page, "Title")).to_have_value("Symmetries and conservation laws")
    expect(_author(page, 2, "name")).to_have_value("Third Author")
    assert_accessible(page)


def test_author_rows_grow_and_shrink_without_javascript(browser, live_server):
    focus = _call()
    UserFactory(email="lise@example.org", full_name="Lise Meitner", affiliation="KWI")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.live_url = live_server.url
    login(page, "lise@example.org", PASSWORD)
    page.goto(
        f"{live_server.url}/meetings/my/abstracts/new/{focus.meeting.slug}/?category=23.01.01"
    )
    field(page, "Title").fill("Nuclear fission by hand")
    field(page, "Abstract").fill("No scripts were harmed.")
    _author(page, 1, "name").fill("Otto Hahn")
    _author(page, 1, "affiliations").fill("KWI")
    page.get_by_role("button", name="Add author").click()
    # The server answered with one more row and everything typed kept.
    expect(field(page, "Title")).to_have_value("Nuclear fission by hand")
    _author(page, 2, "name").fill("Fritz Strassmann")
    _author(page, 2, "affiliations").fill("KWI")
    _author(page, 1, "DELETE").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("state")).to_have_text("Draft")
    abstract = Abstract.objects.get()
    assert [a.name for a in abstract.authors.all()] == ["Lise Meitner", "Fritz Strassmann"]
    assert [f.name for f in abstract.affiliations.all()] == ["KWI"]
    context.close()
