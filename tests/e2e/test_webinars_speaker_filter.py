"""The webinar archive's speaker box: type part of a name, pick a suggestion, read the list."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.factories.community import PersonFactory
from tests.factories.webinars import WebinarFactory


def _archive():
    ada = PersonFactory(name="Ada Lovelace", affiliation="Analytical Engines Lab")
    grace = PersonFactory(name="Grace Hopper", affiliation="Compiler Institute")
    WebinarFactory(
        title="Engines of analysis", speakers=[ada], start_at=datetime(2021, 5, 1, tzinfo=UTC)
    )
    WebinarFactory(
        title="Notes on the engine", speakers=[ada], start_at=datetime(2020, 5, 1, tzinfo=UTC)
    )
    WebinarFactory(
        title="Compilers for physicists",
        speakers=[grace],
        start_at=datetime(2021, 3, 1, tzinfo=UTC),
    )


def test_reader_types_part_of_a_name_picks_the_suggestion_and_sees_that_speakers_webinars(page):
    _archive()
    page.goto(page.live_url + "/webinars/")
    archive = page.get_by_role("region", name="Archive")
    expect(archive.get_by_role("link", name="Compilers for physicists")).to_be_visible()

    box = page.get_by_label("Speaker", exact=True)
    box.press_sequentially("ada lo", delay=40)
    # The browser offers the matching speaker, with their affiliation beside the name.
    suggestion = page.locator("#speaker-suggestions option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_attribute("value", "Ada Lovelace")
    expect(suggestion).to_have_attribute("label", "Analytical Engines Lab")
    assert_accessible(page)

    # Choosing the offered name puts it in the box (the popup is browser chrome that
    # Playwright cannot click, so do what choosing does); Enter sends the form.
    box.fill(suggestion.get_attribute("value"))
    box.press("Enter")

    expect(page).to_have_url(page.live_url + "/webinars/?topic=&year=&kind=&speaker=Ada+Lovelace")
    expect(page.get_by_test_id("speaker-filter")).to_contain_text(
        "Webinars with 1 speaker whose name matches “Ada Lovelace”"
    )
    expect(archive.get_by_role("heading", level=3)).to_have_text(
        ["Engines of analysis", "Notes on the engine"]
    )
    expect(page.get_by_label("Speaker", exact=True)).to_have_value("Ada Lovelace")
    assert_accessible(page)

    # A speaker's name on a card lists that speaker's webinars.
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="Webinars with Grace Hopper").click()
    expect(archive.get_by_role("heading", level=3)).to_have_text(["Compilers for physicists"])
    expect(page.get_by_test_id("speaker-filter")).to_have_text("Webinars with Grace Hopper.")
    expect(page.get_by_label("Speaker", exact=True)).to_have_value("Grace Hopper")
    assert_accessible(page)


def test_without_javascript_the_speaker_box_still_filters(browser, live_server):
    _archive()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/webinars/")
    page.get_by_label("Speaker", exact=True).fill("hopper")
    page.get_by_role("button", name="Filter").click()
    archive = page.get_by_role("region", name="Archive")
    expect(archive.get_by_role("heading", level=3)).to_have_text(["Compilers for physicists"])
    expect(page.locator("#speaker-suggestions option")).to_have_count(0)
    context.close()
