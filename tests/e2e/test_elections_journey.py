"""An election end to end in Chromium: nominate, accept with a statement, slate
approved, vote by keyboard alone, find the tracker among the published ballots;
axe-core on every page, and the ballot on a phone."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from elections.models import Ballot, Candidacy, Election
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from gds_portal.models import OutboundEmail
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.elections import ContestFactory, ElectionFactory, election_with_slate


def _now(**delta):
    return timezone.now() + timedelta(**delta)


def _move(election: Election, **windows) -> None:
    Election.objects.filter(pk=election.pk).update(**windows)


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies `predicate` (JS, on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_nominate_accept_approve_vote_by_keyboard_and_find_the_tracker(page):
    UserFactory(email="nina@example.org", full_name="Nina Nominator")
    UserFactory(email="cara@example.org", full_name="Cara Candidate")
    UserFactory(email="vic@example.org", full_name="Vic Voter")
    UserFactory(
        email="eve@example.org", full_name="Eve Executive", roles=[Role.EXECUTIVE_COMMITTEE]
    )
    election = ElectionFactory(
        slug="fall-2030",
        title="Fall 2030 election",
        nominations_open_at=_now(days=-1),
        nominations_close_at=_now(days=5),
        voting_open_at=_now(days=6),
        voting_close_at=_now(days=10),
    )
    ContestFactory(election=election, office__name="Chair-Elect")

    # A member nominates another member.
    login(page, "nina@example.org", PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/")
    assert_accessible(page)
    page.get_by_role("link", name="Nominate a member, or yourself").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nominate a candidate")
    assert_accessible(page)
    field(page, "Nominee's email address").fill("cara@example.org")
    page.get_by_role("button", name="Send the nomination").click()
    expect(page.get_by_text("your nomination was received")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The nominee follows the link in the mail and accepts with a statement.
    mail = OutboundEmail.objects.get(template="elections/nominee-ask")
    link = re.search(r"https?://[^/\s]+(/elections/\S+/answer/\S+/)", mail.body_text)[1]
    page.goto(page.live_url + link)
    assert_accessible(page)
    page.get_by_label("I accept the nomination").check()
    field(page, "Candidate statement").fill("I will publish the minutes; $x^2$ is fine.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("answer-status")).to_have_text("Accepted")

    # Nominations close; the committee approves the slate and publishes it.
    _move(election, nominations_close_at=_now(seconds=-1))
    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/admin/elections/candidacy/")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    page.locator("select[name=action]").select_option(value="approve")
    page.get_by_role("button", name="Go").click()
    page.goto(f"{page.live_url}/admin/elections/election/")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    page.locator("select[name=action]").select_option(value="publish_slate")
    page.get_by_role("button", name="Go").click()
    assert Candidacy.objects.on_ballot().count() == 1
    page.get_by_role("button", name="Log out").click()

    # Voting opens; a member votes with the keyboard alone.
    _move(election, voting_open_at=_now(seconds=-1))
    login(page, "vic@example.org", PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/ballot/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot")
    assert_accessible(page)
    _tab_to(page, "el.type === 'checkbox' && el.labels[0].textContent.includes('Cara Candidate')")
    page.keyboard.press("Space")
    _tab_to(page, "el.textContent.trim() === 'Review my choices'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your ballot")
    expect(page.get_by_test_id("review")).to_contain_text("Cara Candidate")
    assert_accessible(page)
    assert Ballot.objects.count() == 0
    _tab_to(page, "el.textContent.trim() === 'Cast my ballot'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    tracker = page.get_by_test_id("tracker").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", tracker)
    assert_accessible(page)
    page.goto(f"{page.live_url}/my/")
    expect(page.get_by_test_id("my-vote-status")).to_have_text("you have voted")
    page.get_by_role("button", name="Log out").click()

    # Voting closes; the count runs; the committee reviews and publishes.
    _move(election, voting_close_at=_now(seconds=-1))
    elections_tick()
    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/results/")
    expect(page.get_by_text("Not published")).to_be_visible()
    page.goto(f"{page.live_url}/admin/elections/election/")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    page.locator("select[name=action]").select_option(value="publish_results")
    page.get_by_role("button", name="Go").click()
    page.get_by_role("button", name="Log out").click()

    # Anyone reads the results and finds the tracker among the counted ballots.
    page.goto(f"{page.live_url}/elections/fall-2030/results/")
    expect(page.get_by_test_id("turnout")).to_contain_text("1 of")
    expect(page.get_by_text("Elected: Cara Candidate")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The anonymous ballots").click()
    field(page, "Your ballot tracker").fill(tracker)
    page.get_by_role("button", name="Look it up").click()
    expect(page.get_by_test_id("tracker-found")).to_be_visible()
    expect(page.get_by_test_id("tracker-list")).to_contain_text(tracker)
    assert_accessible(page)
    page.goto(f"{page.live_url}/elections/officers/")
    expect(page.get_by_text("Chair-Elect 2031")).to_be_visible()
    assert_accessible(page)


def test_ranked_ballot_on_a_phone(browser, live_server):
    voter = UserFactory(email="pat@example.org")
    election, contest, slate = election_with_slate(slug="phone", rule="ranked", candidates=3)
    roll_freeze(election=election)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.live_url = live_server.url
    login(page, voter.email, PASSWORD)
    page.goto(f"{page.live_url}/elections/phone/ballot/")
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    page.get_by_label("Choice 1").select_option(label=slate[2].name)
    page.get_by_label("Choice 2").select_option(label=slate[0].name)
    page.get_by_role("button", name="Review my choices").click()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_test_id("tracker")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False
    assert Ballot.objects.get().marks == {str(contest.pk): [slate[2].pk, slate[0].pk]}
    context.close()


def test_election_admin_pages_are_accessible(browser, live_server):
    """axe on the committee's election pages, in a context of its own (see webinars)."""
    UserFactory(email="eve@example.org", roles=[Role.EXECUTIVE_COMMITTEE])
    election, _contest, slate = election_with_slate(slug="admin-axe")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.live_url = live_server.url
    login(page, "eve@example.org", PASSWORD)
    for url in (
        "/admin/elections/election/",
        f"/admin/elections/election/{election.pk}/change/",
        "/admin/elections/candidacy/",
        f"/admin/elections/candidacy/{slate[0].pk}/change/",
        "/admin/elections/office/",
        "/admin/elections/term/",
    ):
        page.goto(live_server.url + url)
        assert_accessible(page)
    context.close()
