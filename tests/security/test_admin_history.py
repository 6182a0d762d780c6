"""Past versions in the admin are for reading: no POST writes one back.

django-simple-history's version page (`…/history/<version>/`) saves the version it
shows when it receives a POST, and asks only for *view* permission first. Before
the admin site guarded it, a Program committee member, who may only read abstracts
in the admin, put an accepted abstract back to "submitted" that way; a nomination's
or an issue's status could change without its service. Every SimpleHistoryAdmin
registered is tried here (generated from the registry, so a new one is covered the
day it lands), as the superuser, with the version page's own form posted back.
"""

import re

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from community.models import Person
from gds_portal.adminsite import PastVersionsReadOnlyMixin, check_every_admin_guarded
from meetings.enums import AbstractState, Decision
from meetings.services.decisions import abstracts_decide
from tests.admin_post import admin_form_post
from tests.factories.meetings import SortingCategoryFactory, make_abstract
from tests.security.admin_boundary import SEEDS

pytestmark = pytest.mark.django_db


def _history_admins() -> list[str]:
    return sorted(
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    )


def test_the_history_admins_are_those_of_the_models_with_a_status_or_a_link():
    # A new history admin lands here first: the test below then tries it.
    assert _history_admins() == [
        "community.Person",
        "meetings.Abstract",
        "newsletters.Article",  # restored only through its own service (newsletters.revisions)
        "newsletters.Issue",
        "webinars.HostVolunteer",
        "webinars.SpeakerNomination",
        "webinars.TopicSuggestion",
    ]


def _field_controls(html: str, obj) -> list[str]:
    names = {f.name for f in obj._meta.concrete_fields} | {m.name for m in obj._meta.many_to_many}
    found = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)
    return sorted(name for name in found if name in names)


@pytest.mark.parametrize("label", _history_admins())
def test_no_history_admin_writes_a_past_version_back(label, personas, client_for):
    obj = SEEDS[label](personas)
    version = obj.history.order_by("history_id").first()
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/{version.history_id}/"
    client = client_for(personas.staff)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    # Shown as text: no control of the model's own fields looks editable (but a
    # prepopulated slug and its source, which the history view needs in its form).
    prepopulated = admin.site._registry[type(obj)].prepopulated_fields
    allowed = {*prepopulated, *(src for srcs in prepopulated.values() for src in srcs)}
    assert set(_field_controls(page.content.decode(), obj)) <= allowed
    versions = obj.history.count()
    response = client.post(url, admin_form_post(client, url))
    assert response.status_code == 403
    assert obj.history.count() == versions


def test_a_committee_member_cannot_undo_a_decision_through_an_old_version(personas, client_for):
    abstract = make_abstract(
        submitter=personas.member, category=SortingCategoryFactory(meeting__year=2033)
    )
    abstracts_decide(
        abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=personas.program_committee
    )
    submitted = abstract.history.order_by("history_id").first()
    url = f"/admin/meetings/abstract/{abstract.pk}/history/{submitted.history_id}/"
    response = client_for(personas.program_committee).post(url, {})
    assert response.status_code == 403
    abstract.refresh_from_db()
    assert abstract.state == AbstractState.ACCEPTED_ORAL


def test_a_new_history_admin_is_read_only_the_day_it_is_registered(new_site):
    site = new_site()
    site.register(Person, SimpleHistoryAdmin)
    assert isinstance(site._registry[Person], PastVersionsReadOnlyMixin)
    assert site._registry[Person].revert_disabled(None)


def test_system_check_fails_for_a_history_admin_on_an_unguarded_site(new_site):
    site = new_site(admin.AdminSite)
    site.register(Person, SimpleHistoryAdmin)
    assert [e.id for e in check_every_admin_guarded()] == ["gds_portal.E103", "gds_portal.E101"]
