"""What people see where the third outside probe of issue 21 found faults: the results
page on a phone."""

from playwright.sync_api import expect

from accounts.enums import Role
from elections.services.results import results_publish
from tests.e2e.conftest import assert_accessible
from tests.elections.scripted import close, scripted_election
from tests.factories.accounts import UserFactory


def test_the_results_page_fits_a_phone(browser, live_server):
    # The scripted election ties two candidates, so the page prints the 64-character
    # seed of the lot, which once made the page wider than the screen.
    election, _voters, _trackers, _contests = scripted_election()
    close(election)
    executive = UserFactory(roles=[Role.EXECUTIVE_COMMITTEE])
    results_publish(election=election, by=executive)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/elections/{election.slug}/results/")
    expect(page.get_by_text("seed of the lot").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("document.documentElement.clientWidth")
    assert width <= viewport, f"page is {width}px wide on a {viewport}px screen"
    assert_accessible(page)
    context.close()
