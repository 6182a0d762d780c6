"""Every form's failed submit is wired for screen readers (issue 23, item 3).

Each case posts what a person might send by mistake (nothing, or one wrong thing) and
checks the page with tests/error_wiring.py: one error summary whose links go to the
invalid controls, each invalid control described by a message that exists and that the
summary says too. The summary comes from crispy's errors template for every crispy form
(gds_portal.form_errors), so a new form is covered once a case here posts to it;
test_every_crispy_form_that_stands_alone_gets_the_summary renders each form class
that needs no arguments on its own.
"""

import importlib
import pkgutil
import re
import uuid
from datetime import timedelta

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from crrg.enums import QuestionKind
from elections.enums import CandidacyStatus
from elections.services.nominations import answer_token
from elections.services.roll import roll_freeze
from gds_portal import form_errors
from meetings.models import SpeakerNomination
from tests.bad_input import form_values
from tests.crrg.conftest import crrg  # noqa: F401 -- the CRRG questionnaire fixture
from tests.error_wiring import error_wiring_problems
from tests.factories.accounts import UserFactory
from tests.factories.crrg import ChoiceFactory, QuestionFactory, QuestionnaireFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    election_taking_nominations,
    election_with_slate,
)
from tests.factories.meetings import make_abstract
from tests.factories.ombudsman import appoint
from tests.factories.webinars import TopicFactory
from tests.meetings.conftest import focus, form_data, meeting  # noqa: F401 -- fixtures

pytestmark = pytest.mark.django_db

# ruff: noqa: F811 -- the fixtures imported above are arguments of the tests below


def _token() -> str:
    return str(uuid.uuid4())


def _check(response) -> str:
    assert response.status_code in {200, 400}, response.status_code
    page = response.content.decode()
    assert error_wiring_problems(page) == []
    return page


def _abstract_url(focus):
    return reverse("meetings:abstract_create", args=[focus.meeting.slug])


def test_abstract_form_sent_empty(client_for, personas, focus):
    blank = {"name": "", "email": "", "affiliations": ""}
    data = form_data(title="", body="", presentation="", authors=[blank])
    page = _check(client_for(personas.member).post(_abstract_url(focus), data))
    assert 'href="#div_id_presentation"' in page  # the radio group
    assert 'href="#id_authors-0-name"' in page  # "Name at least one author."


def test_abstract_form_presenting_author_rule(client_for, personas, focus):
    authors = [
        {"name": "Ada", "email": "ada@example.org", "affiliations": "Lab"},
        {"name": "Bo", "email": "", "affiliations": "Lab"},
    ]
    page = _check(
        client_for(personas.member).post(_abstract_url(focus), form_data(authors=authors))
    )
    # Each box is described by the rule above the rows (issue 23, item 4) and the error.
    for row in (0, 1):
        assert (
            f'name="authors-{row}-is_presenting" aria-describedby="authors-help authors_error" '
            'aria-invalid="true"'
        ) in page
    assert 'href="#id_authors-0-is_presenting"' in page


def test_abstract_form_row_field_errors_name_their_author(client_for, personas, focus):
    authors = [
        {"name": "Ada", "email": "ada@example.org", "affiliations": "Lab", "is_presenting": "on"},
        {"name": "", "email": "", "affiliations": "Lab"},
    ]
    page = _check(
        client_for(personas.member).post(_abstract_url(focus), form_data(authors=authors))
    )
    assert "Author 2, Name: This field is required." in page


def _review_url(focus, personas):
    abstract = make_abstract(submitter=personas.member, category=focus)
    return reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])


def test_review_form_without_a_score(client_for, personas, focus):
    url = _review_url(focus, personas)
    page = _check(client_for(personas.program_committee).post(url, {"comment": "Fine"}))
    assert 'href="#div_id_score"' in page


def _decisions(client_for, personas, focus, data):
    make_abstract(submitter=personas.member, category=focus)
    url = reverse("meetings:decisions", args=[focus.meeting.slug])
    return _check(client_for(personas.program_committee).post(url, data))


def test_decisions_with_nothing_chosen_name_the_tick_boxes(client_for, personas, focus):
    page = _decisions(client_for, personas, focus, {"decision": "", "category": ""})
    assert "Abstracts to decide: Tick at least one abstract" in page
    assert 'href="#div_id_abstracts"' in page


def test_decisions_move_without_a_category(client_for, personas, focus):
    abstract = make_abstract(submitter=personas.other_member, category=focus)
    data = {"abstracts": [abstract.pk], "decision": "move", "category": ""}
    page = _decisions(client_for, personas, focus, data)
    assert "Move to category: Choose the category to move the abstracts to." in page


def test_speaker_nomination_for_a_meeting_sent_empty(client_for, personas, focus):
    focus.meeting.nominations_open_at = timezone.now() - timedelta(days=1)
    focus.meeting.save()
    url = reverse("meetings:nominate", args=[focus.meeting.slug])
    _check(client_for(personas.member).post(url, {"token": _token()}))


def test_speaker_nomination_edit_sent_empty(client_for, personas, focus):
    focus.meeting.nominations_open_at = timezone.now() - timedelta(days=1)
    focus.meeting.save()
    nomination = SpeakerNomination.objects.create(
        meeting=focus.meeting,
        nominator=personas.member,
        nominee_name="Nadia Nominee",
        nominee_affiliation="Lab",
        nominee_email="nadia@example.org",
        talk_title="Symmetries",
        rationale="Why",
    )
    url = reverse("meetings:nomination_edit", args=[nomination.pk])
    page = _check(client_for(personas.member).post(url, {"token": _token()}))
    assert 'href="#id_nominee_name"' in page


@pytest.mark.parametrize("kind", ["speaker", "topic", "host"])
def test_webinar_nominations_sent_empty(client_for, personas, kind):
    url = reverse("webinars:nominate_form", args=[kind])
    _check(client_for(personas.member).post(url, {"token": _token()}))


def test_crrg_questionnaire_sent_unanswered(client_for, personas, crrg):
    page = _check(client_for(personas.member).post(reverse("crrg:join"), crrg.data(working="")))
    assert f'href="#div_id_q{crrg.working.pk}"' in page


def test_ranked_ballot_with_a_gap_and_a_repeat_marks_only_that_offices_menus(client_for):
    voter = UserFactory()
    election, contest, slate = election_with_slate(rule="ranked", candidates=3)
    other = ContestFactory(election=election, rule="ranked")
    CandidacyFactory(contest=other)
    roll_freeze(election=election)
    twice = slate[0].pk  # ranked second and third, with no first choice
    data = {"review": "1", f"c{contest.pk}_r2": twice, f"c{contest.pk}_r3": twice}
    page = _check(client_for(voter).post(reverse("elections:ballot", args=[election.slug]), data))
    # Each of the office's menus is described by both of its errors, in their order;
    # the other office's menu by neither. The summary links each error to the first menu.
    for rank in (1, 2, 3):
        assert (
            f'name="c{contest.pk}_r{rank}" aria-describedby="nonfield_error_1 nonfield_error_2" '
            'aria-invalid="true"'
        ) in page
    assert f'name="c{other.pk}_r1" aria-invalid' not in page
    assert page.count(f'href="#id_c{contest.pk}_r1"') == 2


def _as_shown(client, url: str, **changes) -> dict:
    """The form's fields as the page gives them (hidden tokens included), then `changes`."""
    data = {
        name: values[0] for name, values in form_values(client.get(url).content.decode()).items()
    }
    return {**data, **changes}


def test_anonymous_survey_with_a_required_question_unanswered(client_for):
    survey = QuestionnaireFactory(slug="barriers", owner=Role.EXECUTIVE_COMMITTEE, anonymous=True)
    stage = QuestionFactory(
        questionnaire=survey, order=1, kind=QuestionKind.SINGLE_CHOICE, required=True
    )
    ChoiceFactory(question=stage, label="Student", order=1)
    ChoiceFactory(question=stage, label="Faculty", order=2)
    client = client_for(UserFactory())
    url = f"/surveys/{survey.slug}/"
    page = _check(client.post(url, {"action": "submit"}))
    assert f'href="#div_id_q{stage.pk}"' in page


def test_concern_to_the_ombudsman_sent_empty(client):
    appoint(UserFactory())
    url = reverse("ombudsman:raise")
    page = _check(client.post(url, _as_shown(client, url, text="")))
    assert 'href="#id_text"' in page


def test_election_nomination_sent_empty(client_for):
    ContestFactory(election=election_taking_nominations(slug="fall-2030"))
    client = client_for(UserFactory())
    url = reverse("elections:nominate", args=["fall-2030"])
    page = _check(client.post(url, _as_shown(client, url, nominee_email="")))
    assert 'href="#id_nominee_email"' in page


def test_nominee_accepting_without_a_statement_or_a_name(client):
    contest = ContestFactory(election=election_taking_nominations(slug="fall-2030"))
    candidacy = CandidacyFactory(
        contest=contest,
        user=UserFactory(full_name=""),
        status=CandidacyStatus.ASKED,
        statement="",
        is_approved=False,
    )
    url = reverse("elections:answer", args=["fall-2030", answer_token(candidacy)])
    page = _check(client.post(url, {"decision": "accept", "statement": "", "name": ""}))
    assert 'href="#id_statement"' in page
    assert 'href="#id_name"' in page


def test_login_with_a_wrong_password_marks_both_fields(client):
    url = reverse("account_login")
    page = _check(client.post(url, {"login": "nobody@example.org", "password": "wrong"}))
    assert 'aria-describedby="nonfield_error_1" aria-invalid="true"' in page  # the address
    assert 'aria-describedby="id_password_helptext nonfield_error_1" aria-invalid="true"' in page


def test_login_and_signup_sent_empty(client):
    _check(client.post(reverse("account_login"), {"login": "", "password": ""}))
    _check(client.post(reverse("account_signup"), {"email": ""}))


@pytest.mark.parametrize(
    "url", ["account_login", "account_signup", "account_reset_password", "ombudsman:check"]
)
def test_forms_leave_the_checking_to_the_server(client, url):
    """Sent empty, these forms reached no summary: the browser's bubbles stopped them
    (outside probe of issue 23). Every form the portal writes, crispy's and allauth's,
    carries novalidate, so the server's answer, with its summary, always comes."""
    appoint(UserFactory())
    page = client.get(reverse(url)).content.decode()
    tags = re.findall(r"<form\b[^>]*>", page)
    # The header's "Log out" is a button alone, with nothing to check.
    posts = [tag for tag in tags if 'method="post"' in tag and "logout" not in tag]
    assert posts
    assert all("novalidate" in tag for tag in posts), posts


def test_case_lookup_with_a_wrong_pair_marks_both_fields(client):
    appoint(UserFactory())
    data = {"case_code": "ZZZZ-ZZZZ", "passphrase": "wrong-pass-phrase"}
    page = _check(client.post(reverse("ombudsman:check"), data))
    for name in ("case_code", "passphrase"):
        assert re.search(rf'name="{name}"[^>]*aria-describedby="nonfield_error_1"', page), name
        assert re.search(rf'name="{name}"[^>]*aria-invalid="true"', page), name


def test_profile_form_with_a_bad_orcid(client_for, personas):
    url = reverse("accounts:profile_edit")
    _check(client_for(personas.member).post(url, {"full_name": "Mia", "orcid": "not an orcid"}))


def test_the_checker_sees_what_it_forbids():
    unwired = (
        '<div data-error-summary role="alert" tabindex="-1" aria-labelledby="t">'
        '<h2 id="t">There is a problem</h2><a href="#id_a">A: Wrong.</a></div>'
        '<input id="id_a" class="is-invalid"><div id="id_a_error" class="invalid-feedback">'
        "Wrong.</div>"
    )
    assert error_wiring_problems(unwired) == [
        "summary link 'A: Wrong.' goes to no invalid control",
        "None looks invalid but does not say so",
        "message 'Wrong.' describes no control",
    ]
    wired = unwired.replace(
        '<input id="id_a" class="is-invalid">',
        '<input id="id_a" class="is-invalid" aria-invalid="true" aria-describedby="id_a_error">',
    )
    assert error_wiring_problems(wired) == []
    assert error_wiring_problems(wired.replace("data-error-summary", "")) == ["0 error summaries"]


def test_summary_lists_hidden_field_errors_against_the_first_field():
    class Form(forms.Form):
        token = forms.UUIDField(widget=forms.HiddenInput)
        name = forms.CharField()

    items = form_errors.summary(Form({"token": "x", "name": "Ada"}))
    assert items == [form_errors.Item("Token: Enter a valid UUID.", "id_name")]


def test_summary_lists_errors_in_the_order_the_layout_shows_the_fields():
    """A layout may show a field before one declared earlier (the nominee's name goes
    above the statement): the summary follows the page, not the class."""

    class Form(forms.Form):
        statement = forms.CharField()
        photo = forms.CharField(required=False)
        name = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.layout = Layout("name", "statement", "photo")

    items = form_errors.summary(Form({}))
    assert [item.target for item in items] == ["id_name", "id_statement"]


APPS = ["accounts", "community", "crrg", "elections", "meetings", "newsletters", "ombudsman"]
APPS += ["webinars"]
# Forms only ever rendered inside another form, which the cases above post to.
ROWS = {"meetings.forms.abstracts.AuthorForm": "a row of the abstract form's author formset"}


def _form_classes() -> dict[str, type]:
    """Every form class defined in an app's forms module (or forms package)."""
    classes = {}
    for app in APPS:
        try:
            package = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        modules = [package]
        if hasattr(package, "__path__"):
            walk = pkgutil.walk_packages(package.__path__, f"{app}.forms.")
            modules += [importlib.import_module(info.name) for info in walk]
        for module in modules:
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    classes[f"{module.__name__}.{value.__name__}"] = value
    return classes


def test_every_crispy_form_that_stands_alone_gets_the_summary(rf, personas):
    """Each form class that can be built from its data alone, sent empty, is wired.

    Forms that need more (a meeting, a questionnaire) are covered by the cases above;
    this catches a new simple form whose template or layout loses the summary.
    """
    TopicFactory(name="Deep learning")  # so that a topic group has a box to go to
    checked = []
    for name, cls in sorted(_form_classes().items()):
        try:
            form = cls(data={})
        except TypeError:
            continue  # needs arguments: a case above posts to it through its page
        if name in ROWS or not hasattr(form, "helper") or form.is_valid():
            continue
        request = rf.post("/")
        request.user = personas.member
        page = render_crispy_form(form, context={"request": request})
        assert error_wiring_problems(page) == [], name
        checked.append(name)
    assert len(checked) >= 5, checked


def _webinar_register_url() -> str:
    from tests.factories.webinars import FUTURE, WebinarFactory

    webinar = WebinarFactory(start_at=FUTURE)
    return reverse("webinars:register", args=[webinar.slug])


def test_webinar_guest_registration_sent_empty(client):
    page = _check(client.post(_webinar_register_url(), {"name": "", "email": ""}))
    assert 'href="#id_name"' in page
    assert 'href="#id_email"' in page


def test_webinar_guest_registration_bad_address_keeps_what_was_typed(client):
    page = _check(client.post(_webinar_register_url(), {"name": "Ada Guest", "email": "ada@"}))
    assert 'href="#id_email"' in page
    assert 'href="#id_name"' not in page
    assert 'value="Ada Guest"' in page and 'value="ada@"' in page
    assert "Enter a complete email address" in page
