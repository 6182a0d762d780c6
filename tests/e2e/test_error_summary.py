"""Failed submits by keyboard alone (issue 23, items 2 and 3).

A person tabs to a form's button and presses Enter with something missing. The page
that comes back puts the focus on its error summary (never on <body>); each link of the
summary moves the focus to its field; every invalid field says so (aria-invalid) and is
described by a visible message. Also: the abstract form's restore offer and Preview
leave the focus somewhere a person can carry on from.

Only `page.keyboard` acts on the forms; `focus()` is used once, to come back to the
summary before following its next link.
"""

import json
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from crrg.enums import QuestionKind
from elections.enums import CandidacyStatus
from elections.services.nominations import answer_token
from elections.services.roll import roll_freeze
from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    election_taking_nominations,
    election_with_slate,
)
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract
from tests.factories.ombudsman import appoint

ACTIVE = "document.activeElement"

# Every invalid control, with what describes it: its own aria-describedby and its
# <fieldset>'s (a radio or tick-box group), as the ids' visible texts. A missing id or an
# invalid control with no visible message is reported as a problem.
WIRING = """() => {
  const problems = [], described = {};
  for (const control of document.querySelectorAll("[aria-invalid=true]")) {
    if (control.closest("template")) continue;
    let ids = (control.getAttribute("aria-describedby") || "").split(" ");
    const group = control.closest("fieldset[aria-describedby]");
    if (group) ids = ids.concat(group.getAttribute("aria-describedby").split(" "));
    ids = ids.filter((id) => id && !id.endsWith("_helptext"));
    const texts = ids.map((id) => {
      const el = document.getElementById(id);
      if (!el) problems.push(`${control.id}: no element #${id}`);
      return el && el.getClientRects().length ? el.innerText.trim() : "";
    }).filter(Boolean);
    if (!texts.length) problems.push(`${control.id || control.name}: no visible message`);
    described[control.id || control.name] = texts.join(" | ");
  }
  return { problems, described };
}"""


def _active(page) -> dict:
    return page.evaluate(
        f"""() => ({{
          tag: {ACTIVE}.tagName.toLowerCase(),
          id: {ACTIVE}.id,
          summary: {ACTIVE}.hasAttribute("data-error-summary"),
        }})"""
    )


def tab_to(page, selector: str, *, back: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab) until the focus is on `selector`, never passing <body>."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        assert page.evaluate(f"{ACTIVE} !== document.body"), "the focus fell to <body>"
        if page.evaluate(f"{ACTIVE}.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def submit_with(page, button: str) -> None:
    """Tab to the button named `button` and press Enter; wait for the page that comes back."""
    submit = "button:is([type=submit], :not([type])), input[type=submit]"
    tab_to(page, submit)
    while page.evaluate(f"{ACTIVE}.innerText || {ACTIVE}.value").strip() != button:
        tab_to(page, submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def assert_summary_focused_and_wired(page) -> dict:
    """The summary has the focus; each invalid control's message exists and is shown."""
    assert _active(page)["summary"], _active(page)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("tabindex", "-1")
    expect(summary).to_have_attribute("role", "alert")
    wiring = page.evaluate(WIRING)
    assert wiring["problems"] == []
    return wiring["described"]


def follow_each_summary_link(page) -> list[str]:
    """Follow every link of the summary by keyboard; return the ids focused, in order.

    Each must be a form control, marked invalid (a radio or tick box in a group counts).
    """
    summary = page.locator("[data-error-summary]")
    links = summary.locator("a")
    reached = []
    for index in range(links.count()):
        summary.focus()
        for _ in range(index + 1):
            page.keyboard.press("Tab")
        expect(links.nth(index)).to_be_focused()
        page.keyboard.press("Enter")
        active = _active(page)
        assert active["tag"] in {"input", "select", "textarea"}, active
        assert page.evaluate(f"{ACTIVE}.getAttribute('aria-invalid')") == "true", active
        reached.append(active["id"])
    return reached


def test_login_with_a_wrong_password(page):
    UserFactory(email="ada@example.org")
    page.goto(f"{page.live_url}/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type("ada@example.org")
    tab_to(page, "#id_password")
    page.keyboard.type("not my password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    described = assert_summary_focused_and_wired(page)
    wrong = "The email address and/or password you specified are not correct."
    assert described == {"id_login": wrong, "id_password": wrong}
    assert follow_each_summary_link(page) == ["id_login"]
    assert_accessible(page)


def test_sign_in_sent_empty_gets_the_summary(page):
    """The browser's own bubbles used to stop this before the server (outside probe)."""
    page.goto(f"{page.live_url}/accounts/login/")
    tab_to(page, "#id_login")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    described = assert_summary_focused_and_wired(page)
    assert described == {
        "id_login": "This field is required.",
        "id_password": "This field is required.",
    }
    assert follow_each_summary_link(page) == ["id_login", "id_password"]
    assert_accessible(page)


def test_case_lookup_with_a_wrong_pair(page):
    appoint(UserFactory(email="ombuds@example.org"))
    page.goto(f"{page.live_url}/ombudsman/case/")
    tab_to(page, "#id_case_code")
    page.keyboard.type("ZZZZ-ZZZZ")
    tab_to(page, "#id_passphrase")
    page.keyboard.type("wrong-pass-phrase")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    described = assert_summary_focused_and_wired(page)
    wrong = "No case matches this case code and passphrase."
    assert described == {"id_case_code": wrong, "id_passphrase": wrong}
    assert_accessible(page)


def _abstract_page(page):
    meeting = MeetingFactory(slug="march-2021")
    SortingCategoryFactory(meeting=meeting, code="23.01.01")
    UserFactory(email="ada@example.org", full_name="Ada Lovelace", affiliation="Lab")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/abstracts/new/march-2021/?category=23.01.01")


def test_abstract_form_saved_empty(page):
    _abstract_page(page)
    submit_with(page, "Save draft")
    described = assert_summary_focused_and_wired(page)
    assert described == {
        "id_title": "This field is required.",
        "id_body": "This field is required.",
    }
    assert follow_each_summary_link(page) == ["id_title", "id_body"]
    assert_accessible(page)


def test_abstract_form_without_a_presenting_author(page):
    _abstract_page(page)
    tab_to(page, "#id_title")
    page.keyboard.type("Entropy of learned phases")
    tab_to(page, "#id_body")
    page.keyboard.type("We estimate the entropy.")
    tab_to(page, "[name$='-is_presenting']")
    page.keyboard.press("Space")  # the first author was presenting: now nobody is
    tab_to(page, "[name=presentation]")
    page.keyboard.press("Space")
    submit_with(page, "Save draft")
    described = assert_summary_focused_and_wired(page)
    rule = "Mark exactly one author as the presenting author (none is marked)."
    # Every row's box (the second row is the blank one the page offers), each described
    # by the rows' rule above them (issue 23, item 4), then the error; the Authors
    # fieldset's own note (the same rule) is counted too.
    assert sorted(described) == ["id_authors-0-is_presenting", "id_authors-1-is_presenting"]
    help_text = page.locator("#authors-help").inner_text()
    assert list(described.values()) == [f"{help_text} | {rule} | {help_text}"] * 2
    assert follow_each_summary_link(page) == ["id_authors-0-is_presenting"]
    assert_accessible(page)


def test_abstract_preview_gets_the_focus(page):
    _abstract_page(page)
    tab_to(page, "#id_title")
    page.keyboard.type("Entropy of learned phases")
    tab_to(page, "#id_body")
    page.keyboard.type("We estimate the entropy.")
    tab_to(page, "[name=presentation]")
    page.keyboard.press("Space")
    submit_with(page, "Preview")
    expect(page.locator(".abstract-preview")).to_be_focused()
    expect(page.locator(".abstract-preview")).to_contain_text("Entropy of learned phases")
    tab_to(page, "#id_category")  # on into the form, from where the preview is
    assert_accessible(page)


def _offer(page):
    key = "gds-autosave:" + page.locator("#abstract-form").get_attribute("data-autosave")
    kept = json.dumps({"at": "2021-01-01T00:00:00Z", "values": {"title": "Kept title"}})
    page.evaluate("([key, kept]) => localStorage.setItem(key, kept)", [key, kept])
    page.reload()
    expect(page.get_by_role("button", name="Restore it")).to_be_visible()


def test_restore_and_discard_leave_the_focus_on_the_form(page):
    _abstract_page(page)
    _offer(page)
    tab_to(page, "[data-autosave-restore]")
    page.keyboard.press("Enter")
    expect(page.locator("[data-autosave-offer]")).to_be_hidden()
    expect(page.locator("#id_category")).to_be_focused()
    expect(page.locator("#id_title")).to_have_value("Kept title")
    expect(page.locator("[data-autosave-done]")).to_have_text(re.compile("back in the form"))

    _offer(page)
    tab_to(page, "[data-autosave-discard]")
    page.keyboard.press("Enter")
    expect(page.locator("[data-autosave-offer]")).to_be_hidden()
    expect(page.locator("#id_category")).to_be_focused()
    expect(page.locator("[data-autosave-done]")).to_have_text(re.compile("discarded"))
    assert_accessible(page)


def _committee(page):
    meeting = MeetingFactory(slug="march-2021")
    category = SortingCategoryFactory(meeting=meeting, code="23.01.01")
    abstract = make_abstract(submitter=UserFactory(), category=category, title="Koopman")
    UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    login(page, "chair@example.org", PASSWORD)
    return abstract


def test_review_saved_without_a_score(page):
    abstract = _committee(page)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/reviews/{abstract.pk}/")
    submit_with(page, "Save review")
    described = assert_summary_focused_and_wired(page)
    assert set(described) == {f"id_score_{n}" for n in range(5)}
    assert follow_each_summary_link(page) == ["id_score_0"]
    assert_accessible(page)


def test_decisions_applied_to_nothing_and_moved_nowhere(page):
    abstract = _committee(page)
    page.goto(f"{page.live_url}/meetings/march-2021/committee/decisions/")
    submit_with(page, "Apply to chosen abstracts")
    described = assert_summary_focused_and_wired(page)
    box = f"pick-{abstract.pk}"
    assert described[box] == "Tick at least one abstract to apply the decision to."
    assert follow_each_summary_link(page) == [box, "id_decision"]
    assert_accessible(page)

    # The focus is on the decision: choose "Move to another category", tick the box, and
    # choose no category.
    page.keyboard.type("Move")
    tab_to(page, f"#{box}", back=True)
    page.keyboard.press("Space")
    submit_with(page, "Apply to chosen abstracts")
    described = assert_summary_focused_and_wired(page)
    assert described == {"id_category": "Choose the category to move the abstracts to."}
    assert follow_each_summary_link(page) == ["id_category"]
    assert_accessible(page)


def test_crrg_questionnaire_submitted_unanswered(page):
    questionnaire = QuestionnaireFactory(
        title="Join the CRRG", slug="crrg-join", grants_membership=True
    )
    working = QuestionFactory(
        questionnaire=questionnaire,
        order=1,
        text="Do you work on COVID research?",
        kind=QuestionKind.SINGLE_CHOICE,
        required=True,
    )
    ChoiceFactory(question=working, label="Yes", order=1)
    ChoiceFactory(question=working, label="No", order=2)
    UserFactory(email="ada@example.org")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/crrg/join/")
    submit_with(page, "Submit")
    described = assert_summary_focused_and_wired(page)
    assert set(described) == {f"id_q{working.pk}_0", f"id_q{working.pk}_1"}
    assert follow_each_summary_link(page) == [f"id_q{working.pk}_0"]
    assert_accessible(page)


def test_webinar_speaker_nomination_sent_empty(page):
    UserFactory(email="ada@example.org")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/webinars/nominate/speaker/")
    # The browser checks the required fields itself; the server checks the rest.
    for name, text in [
        ("nominee_name", "Grace Quantum"),
        ("proposed_title", "Learning from noisy detectors"),
        ("rationale", "Her open-source work is used across the field."),
    ]:
        tab_to(page, f"#id_{name}")
        page.keyboard.type(text)
    submit_with(page, "Send nomination")
    described = assert_summary_focused_and_wired(page)
    assert described == {"id_website": "Give the nominee's website or their ORCID iD."}
    assert follow_each_summary_link(page) == ["id_website"]
    assert_accessible(page)


def test_invited_speaker_nomination_sent_empty(page):
    MeetingFactory(slug="march-2021", nominations_open_at=timezone.now() - timedelta(days=1))
    UserFactory(email="ada@example.org")
    login(page, "ada@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/nominate/")
    submit_with(page, "Send nomination")
    described = assert_summary_focused_and_wired(page)
    required = ["id_nominee_name", "id_nominee_affiliation", "id_nominee_email"]
    assert set(required) <= set(described)
    assert follow_each_summary_link(page)[:3] == required
    assert_accessible(page)


def test_ballot_with_too_many_marks(page):
    voter = UserFactory(email="vic@example.org")
    election, contest, slate = election_with_slate(slug="fall-2030", candidates=2)
    roll_freeze(election=election)
    login(page, voter.email, PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/ballot/")
    for candidacy in slate:
        tab_to(page, f"[name=c{contest.pk}][value='{candidacy.pk}']")
        page.keyboard.press("Space")
    submit_with(page, "Review my choices")
    described = assert_summary_focused_and_wired(page)
    boxes = [f"id_c{contest.pk}_{n}" for n in range(2)]
    assert described == dict.fromkeys(boxes, "Mark at most 1 candidates.")
    assert follow_each_summary_link(page) == boxes[:1]
    assert_accessible(page)


def test_ranked_ballot_with_a_gap(page):
    voter = UserFactory(email="vic@example.org")
    election, contest, slate = election_with_slate(slug="fall-2030", rule="ranked", candidates=2)
    roll_freeze(election=election)
    login(page, voter.email, PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/ballot/")
    tab_to(page, f"#id_c{contest.pk}_r2")
    page.keyboard.type(slate[0].name)  # a choice 2 with no choice 1
    submit_with(page, "Review my choices")
    described = assert_summary_focused_and_wired(page)
    gap = f"{contest.office.name}: fill the choices in order, with no gaps."
    ranks = [f"id_c{contest.pk}_r1", f"id_c{contest.pk}_r2"]
    assert described == dict.fromkeys(ranks, gap)
    assert follow_each_summary_link(page) == ranks[:1]
    assert_accessible(page)


def test_election_nomination_sent_empty(page):
    election = election_taking_nominations(slug="fall-2030")
    ContestFactory(election=election)
    UserFactory(email="nina@example.org")
    login(page, "nina@example.org", PASSWORD)
    page.goto(f"{page.live_url}/elections/fall-2030/nominate/")
    submit_with(page, "Send the nomination")
    described = assert_summary_focused_and_wired(page)
    assert described == {
        "id_nominee_email": "Give the nominee's address, or tick “I nominate myself”."
    }
    assert follow_each_summary_link(page) == ["id_nominee_email"]
    assert_accessible(page)


def test_anonymous_survey_with_a_required_question_left_empty(page):
    survey = QuestionnaireFactory(
        title="Barriers survey", slug="barriers", owner=Role.EXECUTIVE_COMMITTEE, anonymous=True
    )
    stage = QuestionFactory(
        questionnaire=survey,
        order=1,
        text="Where are you in your career?",
        kind=QuestionKind.SINGLE_CHOICE,
        required=True,
    )
    ChoiceFactory(question=stage, label="Student", order=1)
    ChoiceFactory(question=stage, label="Faculty", order=2)
    UserFactory(email="mia@example.org")
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/surveys/barriers/")
    submit_with(page, "Submit")
    described = assert_summary_focused_and_wired(page)
    assert set(described) == {f"id_q{stage.pk}_0", f"id_q{stage.pk}_1"}
    assert follow_each_summary_link(page) == [f"id_q{stage.pk}_0"]
    assert_accessible(page)


def test_ombudsman_concern_sent_empty(page):
    appoint(UserFactory(email="ombuds@example.org"))
    page.goto(f"{page.live_url}/ombudsman/concern/")
    submit_with(page, "Send to the ombudsman")
    described = assert_summary_focused_and_wired(page)
    assert described == {"id_text": "This field is required."}
    assert follow_each_summary_link(page) == ["id_text"]
    assert_accessible(page)


def test_nominee_accepting_without_a_statement(page):
    """The nominee's signed link, followed without signing in: "I accept" with no
    statement (and, for an account without a name, no name for the ballot)."""
    election = election_taking_nominations(slug="fall-2030")
    candidacy = CandidacyFactory(
        contest=ContestFactory(election=election),
        user=UserFactory(full_name=""),
        status=CandidacyStatus.ASKED,
        statement="",
        is_approved=False,
    )
    page.goto(f"{page.live_url}/elections/fall-2030/answer/{answer_token(candidacy)}/")
    tab_to(page, "input[value=accept]")
    page.keyboard.press("Space")
    submit_with(page, "Send my answer")
    described = assert_summary_focused_and_wired(page)
    assert described == {
        "id_name": "Please give your name as voters should see it.",
        "id_statement": "Please write a short statement for the ballot.",
    }
    assert follow_each_summary_link(page) == ["id_name", "id_statement"]
    assert_accessible(page)
