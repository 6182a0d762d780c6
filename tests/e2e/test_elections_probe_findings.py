"""What members and the committee now see where the outside probe of issue 21 found faults:
a voting window with no room for the slate, voting held for want of a slate, a nameless
candidate, a cast that skipped the review, a second cast, the roll's freeze time, the
nomination window once frozen, and a self-nomination."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from elections.enums import CandidacyStatus
from elections.models import Ballot, Candidacy, Election
from elections.services.nominations import answer_token
from elections.services.roll import roll_freeze
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    ElectionFactory,
    election_with_slate,
)


def _now(**delta):
    return timezone.now() + timedelta(**delta)


def _fill_window(page, name: str, when) -> None:
    page.locator(f"input[name={name}_0]").fill(when.strftime("%Y-%m-%d"))
    page.locator(f"input[name={name}_1]").fill(when.strftime("%H:%M:%S"))


def test_the_committee_is_told_when_voting_cannot_open(page):
    UserFactory(email="eve@example.org", roles=[Role.EXECUTIVE_COMMITTEE])
    UserFactory(email="vic@example.org")

    # Setting up: voting may not open the moment nominations close.
    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/admin/elections/election/add/")
    page.locator("input[name=title]").fill("Spring 2031 election")
    page.locator("input[name=slug]").fill("spring-2031")
    closes = _now(days=20).replace(hour=17, minute=0, second=0)
    _fill_window(page, "nominations_open_at", _now(days=1))
    _fill_window(page, "nominations_close_at", closes)
    _fill_window(page, "voting_open_at", closes)
    _fill_window(page, "voting_close_at", closes + timedelta(days=14))
    page.locator("input[name=eligibility_cutoff]").fill(closes.strftime("%Y-%m-%d"))
    page.locator("input[name=term_starts_on]").fill("2031-04-01")
    page.locator("input[name=term_ends_on]").fill("2032-03-31")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("at least one day after nominations close")).to_be_visible()
    assert_accessible(page)
    assert not Election.objects.exists()

    # An election whose voting window began with no published slate: voting is held.
    held = ElectionFactory(slug="held", title="Held election", voting_open_at=_now(hours=-1))
    CandidacyFactory(contest=ContestFactory(election=held, office__name="Chair-Elect"))
    page.goto(f"{page.live_url}/admin/elections/election/{held.pk}/change/")
    expect(
        page.get_by_text("but it will not open: the slate has not been published")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()

    login(page, "vic@example.org", PASSWORD)
    page.goto(f"{page.live_url}/elections/held/")
    expect(page.get_by_test_id("phase")).to_have_text("Voting not opened: the slate is not ready")
    expect(page.get_by_test_id("voting-held")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{page.live_url}/elections/held/ballot/")
    expect(page.get_by_test_id("ballot-closed")).to_have_text(
        "Voting has not opened yet: the slate of candidates is not ready."
    )
    assert_accessible(page)
    held.refresh_from_db()
    assert held.roll_frozen_at is None


def test_a_voter_sees_names_reviews_before_casting_and_is_told_of_a_second_cast(page):
    voter = UserFactory(email="vic@example.org")
    election, _contest, slate = election_with_slate(slug="fall-2030", candidates=2)
    nameless = slate[0].user
    nameless.email, nameless.full_name = "nameless.one@example.org", ""
    nameless.save()
    roll_freeze(election=election, now=election.voting_open_at + timedelta(minutes=3))
    election.refresh_from_db()

    login(page, voter.email, PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/")
    frozen = timezone.localtime(election.roll_frozen_at).strftime("%H:%M UTC")
    expect(page.get_by_test_id("roll-frozen-at")).to_contain_text(frozen)
    page.goto(f"{page.live_url}/elections/fall-2030/ballot/")
    page.get_by_role("checkbox", name="nameless.one").check()  # a name, never a blank box

    # A cast button smuggled into the ballot form skips the review: refused, with a reason.
    page.evaluate(
        """() => {
            const button = document.createElement("button");
            button.type = "submit"; button.name = "cast"; button.value = "1";
            button.textContent = "Smuggled cast";
            document.querySelector("main form").append(button);
        }"""
    )
    page.get_by_role("button", name="Smuggled cast").click()
    expect(page.get_by_role("alert").first).to_contain_text("cast only from the review page")
    expect(page.get_by_role("checkbox", name="nameless.one")).to_be_checked()
    assert Ballot.objects.count() == 0

    # Reviewed, the ballot is cast; a second tab's review, cast later, is refused aloud.
    page.get_by_role("button", name="Review my choices").click()
    expect(page.get_by_test_id("review")).to_contain_text("nameless.one")
    second = page.context.new_page()
    second.goto(f"{page.live_url}/elections/fall-2030/ballot/")
    second.get_by_role("checkbox", name="nameless.one").check()
    second.get_by_role("button", name="Review my choices").click()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_test_id("tracker")).to_be_visible()
    second.get_by_role("button", name="Cast my ballot").click()
    expect(second.get_by_test_id("not-cast")).to_have_text(
        "Your ballot was not cast. You have voted in this election. "
        "A cast ballot cannot be changed."
    )
    assert_accessible(second)
    assert Ballot.objects.count() == 1


def test_a_self_nomination_stands_at_once_and_a_frozen_window_is_read_only(page):
    UserFactory(email="sam@example.org", full_name="Sam Self")
    UserFactory(email="eve@example.org", roles=[Role.EXECUTIVE_COMMITTEE])
    nominating = ElectionFactory(
        slug="noms",
        nominations_open_at=_now(days=-1),
        nominations_close_at=_now(days=5),
        voting_open_at=_now(days=7),
        voting_close_at=_now(days=14),
    )
    ContestFactory(election=nominating, office__name="Secretary")

    login(page, "sam@example.org", PASSWORD)
    page.goto(f"{page.live_url}/elections/noms/nominate/")
    page.get_by_label("I nominate myself").check()
    page.get_by_role("button", name="Send the nomination").click()
    # Second probe (F2): a self-nominee writes the statement in the form, or is told to.
    expect(
        page.locator(".invalid-feedback").get_by_text("please write your statement for the ballot")
    ).to_be_visible()
    assert_accessible(page)
    assert not Candidacy.objects.exists()
    page.get_by_label("I nominate myself").check()
    field(page, "Your candidate statement (if you nominate yourself)").fill("I will serve.")
    page.get_by_role("button", name="Send the nomination").click()
    # The message promises no mail (F7); My GDS links the nomination page (F8d).
    expect(page.get_by_text("you are a candidate, with the statement you wrote")).to_be_visible()
    expect(page.get_by_text("mailed")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"Secretary, .*: Accepted"))).to_be_visible()
    assert_accessible(page)
    assert Candidacy.objects.get().status == CandidacyStatus.ACCEPTED
    page.get_by_role("link", name="Your nomination page").click()
    expect(page.get_by_test_id("answer-status")).to_have_text("Accepted")
    expect(field(page, "Candidate statement")).to_have_value("I will serve.")
    page.get_by_role("button", name="Log out").click()

    voting, _contest, _slate = election_with_slate(slug="voting")
    roll_freeze(election=voting)
    login(page, "eve@example.org", PASSWORD)
    page.goto(f"{page.live_url}/admin/elections/election/{voting.pk}/change/")
    expect(page.locator("input[name=nominations_close_at_0]")).to_have_count(0)
    expect(page.get_by_text("Fixed once the voter roll is frozen").first).to_be_visible()
    # Second probe (F3): nothing of a frozen election is editable, and the page says why.
    for name in ("title", "slug", "is_announced"):
        expect(page.locator(f"[name={name}]")).to_have_count(0)
    expect(page.get_by_text("nothing of this election can be changed any more")).to_be_visible()
    assert_accessible(page)


def test_a_nominee_without_a_name_is_asked_for_one_when_accepting(page):
    election = ElectionFactory(
        slug="fall-2031",
        nominations_open_at=timezone.now() - timedelta(days=1),
        nominations_close_at=timezone.now() + timedelta(days=5),
        voting_open_at=timezone.now() + timedelta(days=7),
        voting_close_at=timezone.now() + timedelta(days=10),
    )
    contest = ContestFactory(election=election, office__name="Secretary")
    nameless = UserFactory(email="nameless.two@example.org", full_name="")
    candidacy = Candidacy.objects.create(contest=contest, user=nameless)
    page.goto(f"{page.live_url}/elections/fall-2031/answer/{answer_token(candidacy)}/")
    assert_accessible(page)
    page.get_by_label("I accept the nomination").check()
    field(page, "Candidate statement").fill("I will keep the accounts in order.")
    page.get_by_role("button", name="Send my answer").click()
    # Refused with the reason next to the empty box; the statement typed is kept.
    expect(
        page.locator(".invalid-feedback").get_by_text(
            "Please give your name as voters should see it."
        )
    ).to_be_visible()
    expect(field(page, "Candidate statement")).to_have_value("I will keep the accounts in order.")
    assert_accessible(page)
    page.get_by_label("I accept the nomination").check()
    field(page, "Your name on the ballot").fill("Nora Nameless")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("answer-status")).to_have_text("Accepted")
    nameless.refresh_from_db()
    assert nameless.full_name == "Nora Nameless"
