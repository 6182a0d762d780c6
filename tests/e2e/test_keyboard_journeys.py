"""The main journeys by keyboard alone (issue 23, "Tests that must exist"): only key
presses and typing (tests/e2e/keyboard.py), and after every key the focus is on an
element, never on <body>."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from crrg.enums import QuestionKind
from crrg.models import Participation, Response
from elections.models import Ballot
from elections.services.roll import roll_freeze
from gds_portal.models import OutboundEmail
from meetings.enums import AbstractState
from meetings.models import Abstract, Review
from newsletters.demo import DEMO_FOLDER
from newsletters.importer import import_issue
from tests.e2e.conftest import assert_accessible
from tests.e2e.crrg_data import conditional_questionnaire
from tests.e2e.keyboard import fill_by_keyboard, follow, press, tab_to, type_text
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory
from tests.factories.elections import election_with_slate
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract
from tests.factories.ombudsman import appoint
from tests.factories.webinars import TopicFactory
from webinars.models import SpeakerNomination


def _sign_in(page, email: str) -> None:
    """From any page: Log in in the header, the two fields, Sign in."""
    tab_to(page, "link", "Log in")
    follow(page)
    fill_by_keyboard(page, "textbox", "Email", email)
    fill_by_keyboard(page, "textbox", "Password", PASSWORD)
    tab_to(page, "button", re.compile("sign in", re.I))
    follow(page)


def test_signing_in_and_out_by_keyboard(page):
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    page.goto(page.live_url + "/")
    _sign_in(page, "ada@example.org")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "button", "Log out")
    follow(page)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    press(page, "Tab")  # the new page starts at its top; the first key lands on an element


def test_reading_an_article_by_keyboard(page):
    import_issue(folder=DEMO_FOLDER)
    page.goto(page.live_url + "/")
    tab_to(page, "link", "Newsletters")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("GDS Newsletter")
    tab_to(page, "link", re.compile("Summer 2020"))
    follow(page)
    tab_to(page, "link", re.compile("^Bayesian Inference"))
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bayesian Inference: The Bridge from Physics to Machine Learning"
    )
    # Reading on: through the article's links (and wide equations) to the references.
    tab_to(page, "link", re.compile("Kalinin"))
    assert_accessible(page)


def test_answering_the_crrg_questionnaire_by_keyboard(page):
    conditional_questionnaire()
    member = UserFactory(email="member@example.org")
    page.goto(page.live_url + "/")
    _sign_in(page, member.email)
    tab_to(page, "link", "CRRG")
    follow(page)
    tab_to(page, "link", "Join the CRRG")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the CRRG")
    tab_to(page, "radio", "Yes")
    press(page, "Space")
    # The question that depends on "Yes" appears right after, and Tab reaches it.
    fill_by_keyboard(page, "textbox", "Describe your COVID work", "Contact tracing models.")
    tab_to(page, "button", "Submit")
    follow(page)
    expect(page.get_by_test_id("my-answers")).to_contain_text("Contact tracing models.")
    assert Response.objects.get(user=member).submitted_at is not None
    assert_accessible(page)


def test_nominating_a_webinar_speaker_by_keyboard(page):
    TopicFactory(name="Data science education")
    UserFactory(email="nina@example.org", full_name="Nina Nominator")
    page.goto(page.live_url + "/webinars/nominate/")
    _sign_in(page, "nina@example.org")
    tab_to(page, "link", "Nominate a speaker")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nominate a speaker")
    for name, text in [
        ("Nominee's name", "Carla Classroom"),
        ("Nominee's email", "carla@example.org"),
        ("Nominee's website", "https://example.org/carla"),
        ("Proposed talk title", "Notebooks in the physics lab course"),
        ("Why this speaker?", "She has taught hundreds of students with them."),
    ]:
        fill_by_keyboard(page, "textbox", name, text)
    tab_to(page, "checkbox", "Data science education", back=True)
    press(page, "Space")
    tab_to(page, "button", "Send nomination")
    follow(page)
    expect(page.get_by_test_id("nomination-status")).to_have_text("Received")
    nomination = SpeakerNomination.objects.get()
    assert (nomination.nominee_name, [t.name for t in nomination.topics.all()]) == (
        "Carla Classroom",
        ["Data science education"],
    )
    assert_accessible(page)


def test_submitting_and_withdrawing_an_abstract_by_keyboard(page):
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    UserFactory(email="ada@example.org", full_name="Ada Lovelace", affiliation="London")
    page.goto(page.live_url + "/")
    _sign_in(page, "ada@example.org")
    tab_to(page, "link", "Meetings")
    follow(page)
    tab_to(page, "link", re.compile("Read the call"))
    follow(page)
    tab_to(page, "link", "Submit to 23.01.01 Big Data in Physics")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("New abstract")
    fill_by_keyboard(page, "textbox", "Title", "Entropy of learned phases")
    fill_by_keyboard(page, "textbox", "Abstract", "We estimate the entropy from data.")
    # Ada, prefilled as the first author, presents; Submit is after the form's fields.
    tab_to(page, "button", "Submit abstract")
    follow(page)
    expect(page.get_by_test_id("state")).to_have_text("Submitted — under review")
    abstract = Abstract.objects.get()
    assert (abstract.title, abstract.state) == (
        "Entropy of learned phases",
        AbstractState.SUBMITTED,
    )
    assert_accessible(page)
    tab_to(page, "link", "Withdraw…")
    follow(page)
    tab_to(page, "button", "Yes, withdraw it")
    follow(page)
    expect(page.get_by_test_id("state")).to_have_text("Withdrawn")
    abstract.refresh_from_db()
    assert abstract.state == AbstractState.WITHDRAWN


def test_filing_an_ombudsman_concern_by_keyboard(page):
    appoint(UserFactory(email="ombuds@example.org", full_name="Olga Ombudsman"))
    page.goto(page.live_url + "/about/diversity/")
    tab_to(page, "link", "Raise a concern")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a concern with the ombudsman")
    code = page.get_by_test_id("case-code").inner_text()
    fill_by_keyboard(page, "textbox", "Your concern", "Students are interrupted in the Q&A.")
    tab_to(page, "button", "Send to the ombudsman")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your concern has reached the ombudsman"
    )
    expect(page.get_by_test_id("case-code")).to_have_text(code)
    assert_accessible(page)


def test_reviewing_and_deciding_as_the_program_committee_by_keyboard(page):
    meeting = MeetingFactory(name="APS March Meeting 2021", slug="march-2021")
    focus = SortingCategoryFactory(meeting=meeting, code="23.01.01", title="Big Data in Physics")
    abstract = make_abstract(
        submitter=UserFactory(email="ada@example.org"), category=focus, title="Koopman operators"
    )
    chair = UserFactory(
        email="chair@example.org", full_name="Chris Chair", roles=[Role.PROGRAM_COMMITTEE]
    )
    meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    meeting.save()
    page.goto(page.live_url + "/")
    _sign_in(page, chair.email)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Committee dashboard")
    assert_accessible(page)
    tab_to(page, "link", "Reviews")
    follow(page)
    assert_accessible(page)
    tab_to(page, "link", "Koopman operators")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {abstract.reference}")
    # A radio group is one tab stop: Tab reaches its first score, the arrows pick another.
    tab_to(page, "radio", "1 — poor")
    for _ in range(3):
        press(page, "ArrowDown")
    expect(page.get_by_role("radio", name="4 — good")).to_be_checked()
    fill_by_keyboard(page, "textbox", "Comment", "Clear and well argued.")
    tab_to(page, "button", "Save review")
    follow(page)
    expect(page.locator(".messages")).to_contain_text(f"review of {abstract.reference}")
    assert [(r.score, r.comment) for r in Review.objects.all()] == [(4, "Clear and well argued.")]
    assert_accessible(page)

    tab_to(page, "link", "Decisions", back=True)
    follow(page)
    tab_to(page, "checkbox", f"Choose {abstract.reference}: Koopman operators")
    press(page, "Space")
    tab_to(page, "combobox", "Decision")
    type_text(page, "Accept (o")  # a closed <select> picks the option its letters begin
    tab_to(page, "button", "Apply to chosen abstracts")
    follow(page)
    expect(page.get_by_text("Accept (oral): 1 abstract.")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "link", "Preview the decision mails")
    follow(page)
    expect(page.get_by_test_id("mail-preview")).to_have_count(1)
    assert_accessible(page)
    tab_to(page, "button", "Send 1 decision mail")
    follow(page)
    expect(page.get_by_text("1 decision mail queued.")).to_be_visible()
    abstract.refresh_from_db()
    assert abstract.state == AbstractState.ACCEPTED_ORAL
    decided = OutboundEmail.objects.filter(subject__startswith="[GDS] Decision on abstract")
    assert [(m.to, m.subject) for m in decided] == [
        (["ada@example.org"], f"[GDS] Decision on abstract {abstract.reference}: Accepted (oral)")
    ]
    assert_accessible(page)


def test_answering_an_anonymous_survey_by_keyboard(page):
    survey = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE, anonymous=True
    )
    stage = QuestionFactory(
        questionnaire=survey,
        order=1,
        required=True,
        text="Where are you in your career?",
        kind=QuestionKind.SINGLE_CHOICE,
    )
    for order, label in enumerate(["Student", "Faculty"]):
        ChoiceFactory(question=stage, order=order, label=label)
    QuestionFactory(
        questionnaire=survey, order=2, text="What would help?", kind=QuestionKind.LONG_TEXT
    )
    member = UserFactory(email="mia@example.org")
    page.goto(page.live_url + "/")
    _sign_in(page, member.email)
    page.goto(f"{page.live_url}/surveys/barriers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Barriers survey")
    assert_accessible(page)
    tab_to(page, "radio", "Student")
    press(page, "ArrowDown")  # one tab stop per group: the arrow moves to, and picks, Faculty
    expect(page.get_by_role("radio", name="Faculty")).to_be_checked()
    fill_by_keyboard(page, "textbox", "What would help?", "Mentoring across labs.")
    tab_to(page, "button", "Submit")
    follow(page)
    expect(
        page.get_by_text("your answers have been submitted, kept without your name")
    ).to_be_visible()
    expect(page.get_by_test_id("took-part")).to_contain_text("You answered this survey on")
    assert Participation.objects.filter(user=member).exists()
    assert not Response.with_drafts.filter(user=member).exists()
    assert_accessible(page)


def test_voting_on_the_elections_ballot_by_keyboard(page):
    voter = UserFactory(email="vic@example.org")
    election, contest, slate = election_with_slate(slug="fall-2030", candidates=2)
    roll_freeze(election=election)
    page.goto(page.live_url + "/")
    _sign_in(page, voter.email)
    page.goto(f"{page.live_url}/elections/fall-2030/ballot/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot")
    assert_accessible(page)
    tab_to(page, "checkbox", slate[1].name)
    press(page, "Space")
    tab_to(page, "button", "Review my choices")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your ballot")
    expect(page.get_by_test_id("review")).to_contain_text(slate[1].name)
    assert_accessible(page)
    tab_to(page, "button", "Cast my ballot")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    assert Ballot.objects.get().marks == {str(contest.pk): [slate[1].pk]}
    assert_accessible(page)
