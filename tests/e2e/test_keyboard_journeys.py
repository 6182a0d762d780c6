"""The main journeys by keyboard alone (issue 23, "Tests that must exist"): only key
presses and typing (tests/e2e/keyboard.py), and after every key the focus is on an
element, never on <body>."""

import re

from playwright.sync_api import expect

from crrg.enums import QuestionKind
from crrg.models import Response
from meetings.enums import AbstractState
from meetings.models import Abstract
from newsletters.demo import DEMO_FOLDER
from newsletters.importer import import_issue
from tests.e2e.conftest import assert_accessible
from tests.e2e.keyboard import fill_by_keyboard, follow, press, tab_to
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
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
    questionnaire = QuestionnaireFactory(title="Join the CRRG", grants_membership=True)
    working = QuestionFactory(
        questionnaire=questionnaire,
        order=1,
        required=True,
        text="Do you work on COVID research?",
        kind=QuestionKind.SINGLE_CHOICE,
    )
    yes = ChoiceFactory(question=working, label="Yes")
    ChoiceFactory(question=working, label="No")
    QuestionFactory(
        questionnaire=questionnaire,
        order=2,
        required=True,
        text="Describe your COVID work",
        kind=QuestionKind.LONG_TEXT,
        shown_if=yes,
    )
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
