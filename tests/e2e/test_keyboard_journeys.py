"""The main journeys by keyboard alone (issue 23, "Tests that must exist"): only key
presses and typing (tests/e2e/keyboard.py), and after every key the focus is on an
element, never on <body>."""

import re

from playwright.sync_api import expect

from newsletters.demo import DEMO_FOLDER
from newsletters.importer import import_issue
from tests.e2e.conftest import assert_accessible
from tests.e2e.keyboard import fill_by_keyboard, follow, press, tab_to
from tests.factories.accounts import PASSWORD, UserFactory


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
