"""Findings of the third outside probe of issue 21, each reproduced before it was fixed."""

import io
import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts import demo as accounts_demo
from elections import demo as elections_demo
from elections import urls as elections_urls
from elections.audit import bundle
from elections.enums import CandidacyStatus
from elections.models import (
    RESERVED_SLUGS,
    Candidacy,
    Contest,
    Election,
    Office,
    has_visible_text,
)
from elections.services.nominations import answer_token, candidacy_set_approved, slate_publish
from elections.services.results import results_publish
from elections.services.roll import roll_freeze
from gds_portal.models import OutboundEmail
from tests.elections.scripted import cast_through_the_page, close, scripted_election
from tests.elections.test_setup import _admin_form
from tests.factories.accounts import UserFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    ElectionFactory,
    OfficeFactory,
)

pytestmark = pytest.mark.django_db


def _now(**delta):
    return timezone.now() + timedelta(**delta)


# --- F1: the tracker lookup never puts the tracker in an address ------------------------


@pytest.fixture
def published(personas):
    election, _voters, trackers, _contests = scripted_election()
    close(election)
    results_publish(election=election, by=personas.executive)
    return election, trackers


def test_tracker_lookup_works_by_post_with_csrf(published):
    election, trackers = published
    url = f"/elections/{election.slug}/ballots/"
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    token = page.cookies["csrftoken"].value
    answer = browser.post(url, {"tracker": trackers[0], "csrfmiddlewaretoken": token})
    assert 'data-testid="tracker-found"' in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    # Without the CSRF token the lookup is refused.
    assert Client(enforce_csrf_checks=True).post(url, {"tracker": trackers[0]}).status_code == 403


def test_tracker_lookup_puts_the_tracker_in_no_address(client, published):
    election, trackers = published
    url = f"/elections/{election.slug}/ballots/"
    form_page = client.get(url).content.decode()
    assert re.search(r'<form[^>]*method="post"', form_page)
    answer = client.post(url, {"tracker": trackers[0]})
    assert answer.status_code == 200  # answered on the spot, not redirected to an address
    html = answer.content.decode()
    addresses = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    tracker = trackers[0]
    assert [a for a in addresses if tracker.lower() in a.lower() or "tracker=" in a] == []


def test_get_with_a_tracker_in_the_address_looks_nothing_up(client, published):
    election, trackers = published
    html = client.get(
        f"/elections/{election.slug}/ballots/", {"tracker": trackers[0]}
    ).content.decode()
    assert 'data-testid="tracker-found"' not in html
    assert 'data-testid="tracker-missing"' not in html
    assert 'data-testid="tracker-in-address"' in html
    assert f'value="{trackers[0]}"' not in html


# --- F2: the name on the ballot is fixed when the candidacy is put on the slate ----------


RENAMED = "Alice (WITHDRAWN - vote X instead)"


def test_a_rename_after_approval_changes_nothing_voters_or_auditors_read(client, personas):
    election = ElectionFactory(
        slug="renamed", voting_open_at=_now(days=2), voting_close_at=_now(days=9)
    )
    contest = ContestFactory(election=election)
    alice, bob = (
        CandidacyFactory(contest=contest, is_approved=False, user__full_name=name)
        for name in ["Alice Able", "Bob Baker"]
    )
    candidacy_set_approved(candidacies=[alice, bob], approved=True, by=personas.executive)
    slate_publish(election=election, by=personas.executive)
    Election.objects.filter(pk=election.pk).update(voting_open_at=_now(minutes=-1))
    election.refresh_from_db()
    member = UserFactory()
    roll_freeze(election=election)
    # Voting is open; Alice renames her account and her profile.
    alice.user.full_name = RENAMED
    alice.user.save()

    voter = Client()
    voter.force_login(member)
    url = f"/elections/{election.slug}/ballot/"
    pages = [voter.get(url).content.decode()]
    pages.append(
        voter.post(url, {f"c{contest.pk}": [str(alice.pk)], "review": "1"}).content.decode()
    )
    cast_through_the_page(voter, election, {f"c{contest.pk}": [str(alice.pk)]})
    pages.append(client.get(election.get_absolute_url()).content.decode())
    close(election)
    results_publish(election=election, by=personas.executive)
    pages.append(client.get(f"/elections/{election.slug}/results/").content.decode())
    pages.append(client.get(f"/elections/{election.slug}/ballots/").content.decode())
    pages.append(client.get(f"/elections/{election.slug}/audit.json").content.decode())
    pages.append(client.get("/elections/officers/").content.decode())

    assert [RENAMED in page or "WITHDRAWN" in page for page in pages] == [False] * len(pages)
    assert ["Alice Able" in page for page in pages] == [True] * len(pages)
    assert [c["name"] for c in bundle(election)["contests"][0]["candidates"]] == [
        "Alice Able",
        "Bob Baker",
    ]
    alice.refresh_from_db()
    assert alice.ballot_name == "Alice Able"


def test_taking_a_candidate_off_the_slate_clears_the_fixed_name(personas):
    election = ElectionFactory(voting_open_at=_now(days=2), voting_close_at=_now(days=9))
    alice = CandidacyFactory(
        contest__election=election, is_approved=False, user__full_name="Alice Able"
    )
    candidacy_set_approved(candidacies=[alice], approved=True, by=personas.executive)
    candidacy_set_approved(candidacies=[alice], approved=False, by=personas.executive)
    alice.refresh_from_db()
    assert (alice.is_approved, alice.ballot_name) == (False, "")
    alice.user.full_name = "Alice Able-Baker"
    alice.user.save()
    candidacy_set_approved(candidacies=[alice], approved=True, by=personas.executive)
    assert Candidacy.objects.get(pk=alice.pk).name == "Alice Able-Baker"


# --- F3: a published slate fixes the nomination window -------------------------------------


def _slate_published():
    election = ElectionFactory(
        slug="published-slate",
        nominations_close_at=_now(days=-1),
        voting_open_at=_now(days=5),
        voting_close_at=_now(days=12),
        eligibility_cutoff=_now(days=1).date(),
        slate_approved_at=_now(hours=-1),
    )
    candidacy = CandidacyFactory(contest__election=election, statement="As approved.")
    return election, candidacy


def test_the_admin_will_not_reopen_nominations_once_the_slate_is_published(client_for, personas):
    election, _candidacy = _slate_published()
    closed_at = election.nominations_close_at
    client = client_for(personas.executive)
    url = f"/admin/elections/election/{election.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="nominations_close_at_0"' not in page
    assert 'name="nominations_open_at_0"' not in page
    assert "the nomination window can no longer be changed" in page
    data = _admin_form(OfficeFactory(), slug=election.slug)
    later = _now(days=3)
    data.update(
        {
            "nominations_close_at_0": later.strftime("%Y-%m-%d"),
            "nominations_close_at_1": "17:00:00",
            "voting_open_at_0": _now(days=5).strftime("%Y-%m-%d"),
            "voting_close_at_0": _now(days=12).strftime("%Y-%m-%d"),
            "eligibility_cutoff": _now(days=1).strftime("%Y-%m-%d"),
        }
    )
    client.post(url, data)
    election.refresh_from_db()
    assert election.nominations_close_at == closed_at


def test_a_candidate_cannot_rewrite_the_statement_once_the_slate_is_published(client):
    election, candidacy = _slate_published()
    # Even if the window were moved (by hand, in the database), the published slate rules.
    Election.objects.filter(pk=election.pk).update(nominations_close_at=_now(days=3))
    url = f"/elections/{election.slug}/answer/{answer_token(candidacy)}/"
    client.force_login(candidacy.user)
    client.post(url, {"decision": "accept", "statement": "Vote for X instead."})
    candidacy.refresh_from_db()
    assert candidacy.statement == "As approved."


# --- F4: an election's slug is never a word the site's addresses use -----------------------


def _fixed_words_of_the_urls() -> set[str]:
    words = set()
    for pattern in elections_urls.urlpatterns:
        for segment in str(pattern.pattern).split("/"):
            if segment and "<" not in segment and "." not in segment:
                words.add(segment)
    return words


def test_reserved_slugs_cover_every_word_of_the_urls():
    assert _fixed_words_of_the_urls() <= RESERVED_SLUGS
    assert {"officers", "ballot", "ballots", "results"} <= RESERVED_SLUGS


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS | {"Officers"}))
def test_the_admin_refuses_a_reserved_slug(client_for, personas, slug):
    client = client_for(personas.executive)
    response = client.post(
        "/admin/elections/election/add/", _admin_form(OfficeFactory(), slug=slug)
    )
    assert "a word the site uses in election addresses" in response.content.decode()
    assert list(Election.objects.values_list("slug", flat=True)) == []


def test_an_ordinary_slug_is_still_accepted(client_for, personas):
    client = client_for(personas.executive)
    client.post("/admin/elections/election/add/", _admin_form(OfficeFactory(), slug="fall-2030"))
    assert list(Election.objects.values_list("slug", flat=True)) == ["fall-2030"]


# --- F5: a statement of invisible characters is no statement ------------------------------

INVISIBLE = "\u200b\u2060\u200b \ufeff\u00a0\u3000\u200b"


def test_visible_text_ignores_format_and_space_characters():
    assert [has_visible_text(t) for t in ["", INVISIBLE, "\t\n", INVISIBLE + "x", "é"]] == [
        False,
        False,
        False,
        True,
        True,
    ]


@pytest.fixture
def open_contest():
    election = ElectionFactory(
        slug="invisible",
        nominations_open_at=_now(days=-1),
        nominations_close_at=_now(days=10),
        voting_open_at=_now(days=20),
        voting_close_at=_now(days=30),
        eligibility_cutoff=_now(days=15).date(),
    )
    return ContestFactory(election=election)


def test_a_self_nomination_with_an_invisible_statement_is_refused(
    client_for, personas, open_contest
):
    form = {
        "contest": open_contest.pk,
        "token": str(uuid.uuid4()),
        "myself": "on",
        "statement": INVISIBLE,
    }
    response = client_for(personas.member).post(
        f"/elections/{open_contest.election.slug}/nominate/", form
    )
    assert "please write your statement for the ballot" in response.content.decode()
    assert list(Candidacy.objects.all()) == []


def test_accepting_with_an_invisible_statement_is_refused(client, open_contest):
    candidacy = CandidacyFactory(
        contest=open_contest, status=CandidacyStatus.ASKED, statement="", is_approved=False
    )
    client.force_login(candidacy.user)
    url = f"/elections/{open_contest.election.slug}/answer/{answer_token(candidacy)}/"
    response = client.post(url, {"decision": "accept", "statement": INVISIBLE})
    assert "Please write a short statement for the ballot." in response.content.decode()
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.statement) == (CandidacyStatus.ASKED, "")


def test_the_slate_refuses_an_invisible_statement_or_name(personas, open_contest):
    Election.objects.filter(pk=open_contest.election_id).update(nominations_close_at=_now(days=-1))
    blank_statement = CandidacyFactory(contest=open_contest, statement=INVISIBLE, is_approved=False)
    blank_name = CandidacyFactory(
        contest=open_contest, user__full_name=INVISIBLE, is_approved=False
    )
    for candidacy in (blank_statement, blank_name):
        with pytest.raises(ValidationError, match="a candidate needs a name and a statement"):
            candidacy_set_approved(candidacies=[candidacy], approved=True, by=personas.executive)
    assert list(Candidacy.objects.on_ballot()) == []


# --- F7: the demo election follows the rules the admin enforces ----------------------------


def test_the_demo_election_passes_the_admin_rules():
    accounts_demo.load(io.StringIO())
    elections_demo.load(io.StringIO())
    election = Election.objects.get(slug="fall-2020")
    assert election.eligibility_cutoff <= timezone.localdate(election.voting_open_at)
    # Election.clean skips the window rules once the roll is frozen; check them as the
    # admin did when the election was set up.
    election.roll_frozen_at = None
    election.full_clean()
    assert sorted(c.ballot_name for c in Candidacy.objects.on_ballot()) == sorted(
        c.name for c in Candidacy.objects.on_ballot()
    )


# --- F8: wording ---------------------------------------------------------------------------


def test_the_self_nomination_mail_greets_by_the_name_just_given(client, open_contest):
    nameless = UserFactory(full_name="")
    client.force_login(nameless)
    form = {
        "contest": open_contest.pk,
        "token": str(uuid.uuid4()),
        "myself": "on",
        "statement": "I stand.",
        "name": "Nia Named",
    }
    client.post(f"/elections/{open_contest.election.slug}/nominate/", form)
    mail = OutboundEmail.objects.get(template="elections/nominee-ask")
    assert (mail.body_text.splitlines()[0], "Dear member" in mail.body_html) == (
        "Dear Nia Named,",
        False,
    )


@pytest.mark.parametrize(
    ("fields", "raw_name"),
    [
        ({"seats": 0}, "contest_seats_at_least_one"),
        ({"max_marks": 0}, "contest_max_marks_positive"),
    ],
)
def test_contest_constraint_errors_read_as_words(open_contest, fields, raw_name):
    contest = Contest(election=open_contest.election, office=OfficeFactory(), **fields)
    with pytest.raises(ValidationError) as refused:
        contest.full_clean()
    said = " ".join(refused.value.messages)
    assert raw_name not in said and "Constraint" not in said
    assert re.search(r"at least (one|1)", said)


def test_an_office_with_no_seats_is_refused_in_words():
    with pytest.raises(ValidationError) as refused:
        Office(name="Nobody", slug="nobody", seats=0).full_clean()
    assert refused.value.messages == ["An office has at least one seat."]


def test_the_slate_action_reports_one_unaccepted_candidate_in_the_singular(
    client_for, personas, open_contest
):
    Election.objects.filter(pk=open_contest.election_id).update(nominations_close_at=_now(days=-1))
    asked = CandidacyFactory(contest=open_contest, status=CandidacyStatus.ASKED, is_approved=False)
    response = client_for(personas.executive).post(
        "/admin/elections/candidacy/",
        {"action": "approve", "_selected_action": [asked.pk]},
        follow=True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "0 candidates put on the slate. 1 was not an accepted candidate (declined or not "
        "answered) and was left alone."
    ]
