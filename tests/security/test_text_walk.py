"""Text never becomes code: every text field, every page, mail and export that shows it.

The stored-XSS corpus (tests/security/xss.py, filled by each app's
tests/<app>/xss_fields.py) puts one payload in every field a member or committee
writes: HTML, template syntax and control characters at once. This test, with the
Django test client (the browser run is tests/e2e/test_security_xss.py):

- finds every text field of every model of ours in the app registry, so a field
  added tomorrow fails here until its app's seed fills it (or WRITTEN_BY_NO_ONE
  below says why nobody can write free text into it); and every text field of
  every form in our apps' forms.py, each of which must be stored in one of those
  model fields (FORM_STORES) or only shown back on the page it filters (REFLECTED,
  whose page the seeds open with a payload in the query);
- opens every page the seeds name (public pages, My GDS, committee pages, admin
  lists, change and history pages), every feed and calendar, reads every queued
  mail and every export;
- requires each payload's template syntax to appear literally next to its marker
  somewhere, nothing to fail (a template run over `{{7*7}}` fails), no viewer's
  session cookie and no HTML opener of a payload to appear unescaped in a page,
  and no spreadsheet cell to be a live formula.
"""

import csv
import html
import importlib
import inspect
import io
import re

import openpyxl
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models

from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.security.access import local_apps
from tests.security.test_exports import _runnable
from tests.security.xss import TEMPLATE_SYNTAX, Corpus, seed_modules

pytestmark = pytest.mark.django_db

# "app.Model.field": why no member or committee can write free text into it.
WRITTEN_BY_NO_ONE = {
    "gds_portal.OutboundEmail.from_email": "set from settings by the mail helper",
    "gds_portal.OutboundEmail.body_html": "rendered by the mail helper (its mails are read here)",
    "gds_portal.OutboundEmail.last_error": "the SMTP server's answer",
    "gds_portal.OutboundEmail.template": "the name of our own mail template, set by the helper",
    "gds_portal.OutboundEmail.domain": "the app that registered the template, set by the helper",
    "accounts.User.password": "a hash",
    "accounts.User.email_canonical": "derived from the validated address by User.save()",
    "accounts.User.email_lookalike_key": "a SHA-256 hex digest, set by User.save()",
    "accounts.User.orcid": "validate_orcid: digits and dashes only",
    "community.Person.orcid": "validate_orcid: digits and dashes only",
    "webinars.SpeakerNomination.orcid": "validate_orcid: digits and dashes only",
    "meetings.AbstractAuthor.orcid": "the author form's ORCID field normalises it",
    "meetings.Meeting.time_zone": "validate_time_zone: a zone name only",
    "meetings.SortingCategory.code": "validate_category_code: the APS code format only",
    "meetings.Abstract.reference": "assigned by the submit service, not editable",
    "meetings.Abstract.author_list": "derived from the authors by the service, not editable",
    "newsletters.Reference.doi": "validate_doi: a DOI only",
    "crrg.CrrgPage.webinars_url": "validate_link: a site path or https address only",
    "newsletters.IssueStatusChange.note": "written only by the archive importer; shown nowhere",
    "elections.Election.ballot_hash": "a SHA-256 hex digest, set by the count",
    "elections.Ballot.tracker": "random letters and digits, made by the cast service",
    "elections.CountedTracker.tracker": "random letters and digits, made by the cast service",
}
# Forms that are not ModelForms: the model whose fields (of the same name) they fill,
# or, per field, the "app.Model.field" it is stored in.
FORM_STORES = {
    "accounts.SignupForm": "accounts.User",
    "meetings.AbstractForm": "meetings.Abstract",
    "meetings.AuthorForm": {
        "name": "meetings.AbstractAuthor.name",
        "affiliations": "meetings.Affiliation.name",
        "orcid": "meetings.AbstractAuthor.orcid",
    },
    "meetings.ReviewForm": "meetings.Review",
    "crrg.GroupMessageForm": "crrg.GroupMessage",
    "elections.AnswerForm": {"statement": "elections.Candidacy.statement"},
    "elections.HandoverNoteForm": {"text": "elections.HandoverNote.text"},
    # ResponseForm's question fields are made per questionnaire: crrg.Answer.text.
}
# Form text never stored: shown back on the page it filters (the walk opens it so).
REFLECTED = {
    "webinars.ArchiveFilterForm.speaker": "the archive's speaker filter",
    "elections.TrackerForm.tracker": "the published ballots' tracker lookup",
}
# django-simple-history's copies hold what their model holds.
HISTORY_PREFIX = "Historical"
SKIPPED_TYPES = (models.SlugField, models.EmailField, models.URLField)
FORM_SKIPPED = (forms.SlugField, forms.EmailField, forms.URLField, forms.UUIDField)


def _text_fields():
    for label in local_apps():
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith(HISTORY_PREFIX):
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not isinstance(field, SKIPPED_TYPES)
                    and not field.choices
                ):
                    yield f"{label}.{model.__name__}.{field.name}", model, field.name


def _literal(corpus: Corpus, marker: str) -> re.Pattern:
    """The marker, then (shortly after) as much of the template syntax as the field held."""
    payload = corpus.stored[marker]
    syntax = TEMPLATE_SYNTAX[: max(0, len(payload) - payload.find("{{"))] if "{{" in payload else ""
    return re.compile(
        re.escape(marker) + r"(?!\d)" + (r".{0,200}?" + re.escape(syntax) if syntax else ""), re.S
    )


def _export_text(response, url: str) -> str:
    if url.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [c.value for row in sheet.iter_rows() for c in row]
    else:
        cells = [
            c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row
        ]
    assert [c for c in cells if _runnable(c)] == [], url
    return "\n".join(str(c) for c in cells if c is not None)


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    """The corpus seeded by every app, its mail queued; and the paths that show it."""
    user = UserFactory(email="xss@example.org", is_staff=True, is_superuser=True)
    corpus = Corpus(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        paths = [path for module in seed_modules() for path in module.seed(corpus)]
    return corpus, paths


@pytest.fixture
def walked(seeded, client):
    """What every page, mail and export shows, and the visitor's session cookie."""
    corpus, paths = seeded
    client.force_login(corpus.user)
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    mails = {
        f"mail {mail.pk}": "\n".join([mail.subject, mail.body_text, mail.body_html])
        for mail in OutboundEmail.objects.all()
    }
    for url in corpus.documents:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    exports = {}
    for url in corpus.exports:
        response = client.get(url)
        assert response.status_code == 200, url
        exports[url] = _export_text(response, url)
    return corpus, pages, mails, exports, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_every_text_field_holds_a_payload(seeded):
    empty = [
        name
        for name, model, field in _text_fields()
        if name not in WRITTEN_BY_NO_ONE
        and not model._default_manager.filter(**{f"{field}__regex": r"XSS[0-9]+"}).exists()
    ]
    assert empty == [], f"store a payload in these fields in tests/<app>/xss_fields.py: {empty}"


def _form_text_fields():
    """("app.Form.field", "app.Model.field" it is stored in) for every text field of
    every form in our apps' forms.py."""
    for label in local_apps():
        try:
            module = importlib.import_module(f"{label}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ != module.__name__ or not issubclass(form, forms.BaseForm):
                continue
            model = getattr(getattr(form, "_meta", None), "model", None)
            stores = FORM_STORES.get(f"{label}.{name}")
            if model is not None:
                stores = f"{model._meta.app_label}.{model.__name__}"
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.CharField) and not isinstance(field, FORM_SKIPPED):
                    if isinstance(stores, dict):
                        target = stores.get(field_name)
                    else:
                        target = f"{stores}.{field_name}" if stores else None
                    yield f"{label}.{name}.{field_name}", target


def test_every_form_text_field_is_walked():
    # A form's text goes into a model text field that the walk fills (or that only
    # takes a validated format), or is shown back on the page it filters.
    model_fields = {name for name, _, _ in _text_fields()}
    unaccounted = [
        field
        for field, stored in _form_text_fields()
        if field not in REFLECTED and stored not in model_fields
    ]
    assert unaccounted == [], "say where these are stored in FORM_STORES (or REFLECTED)"


def test_exemptions_name_real_fields():
    assert set(WRITTEN_BY_NO_ONE) <= {name for name, _, _ in _text_fields()}


def test_text_never_becomes_code(walked):
    # Every page, mail and export opened without failing: the fixture asserts it.
    corpus, pages, mails, exports, session = walked
    shown = "\n".join([*pages.values(), *mails.values(), *exports.values()])
    shown += html.unescape(shown)
    unseen = {
        m: what for m, what in corpus.markers.items() if not _literal(corpus, m).search(shown)
    }
    assert unseen == {}, "shown nowhere, or not as typed"
    assert len(corpus.markers) >= 60
    html_mails = {f"mail {m.pk}": m.body_html for m in OutboundEmail.objects.all()}
    for where, text in {**pages, **html_mails}.items():
        lowered = text.lower()
        assert session not in text, where
        assert "<script>alert(" not in lowered, where
        assert '<meta http-equiv="refresh" content="0;url=/refreshed/">' not in lowered, where
