"""The ombudsman's lists have a fixed query count; the public pages say what they should."""

import re
from datetime import timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.utils import timezone

from ombudsman.models import AccessLogEntry
from tests.factories.ombudsman import ombudsman_terms, raise_concern, reply

pytestmark = pytest.mark.django_db


def _count_queries(client, url, django_assert_num_queries, expected):
    client.get(url)  # the singletons (site and office settings) are made on first use
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("count", [1, 3])
def test_case_list_query_count(client, ombudsman, django_assert_num_queries, count):
    for n in range(count):
        concern, _ = raise_concern(f"Concern {n}")
        reply(concern, f"Reply {n}", by=ombudsman)
    client.force_login(ombudsman)
    # session, user, is-ombudsman, concerns (the settings singletons are cached)
    page = _count_queries(client, "/ombudsman/cases/", django_assert_num_queries, 3)
    assert page.content.decode().count("/ombudsman/cases/") >= count
    assert "Concern 0" not in page.content.decode()  # the list shows no text


@pytest.mark.parametrize("count", [1, 3])
def test_own_concerns_query_count(client, personas, ombudsman, django_assert_num_queries, count):
    for n in range(count):
        raise_concern(f"Concern {n}", member=personas.member)
    client.force_login(personas.member)
    # session, user, concerns
    page = _count_queries(client, "/ombudsman/my/", django_assert_num_queries, 2)
    assert page.content.decode().count("/ombudsman/my/") == count


@pytest.mark.parametrize("count", [1, 3])
def test_access_log_query_count(client, ombudsman, django_assert_num_queries, count):
    for _ in range(count):
        concern, _ = raise_concern("x")
        AccessLogEntry.objects.create(
            concern=concern, case_code=concern.case_code, action="read", actor=ombudsman
        )
    client.force_login(ombudsman)
    # session, user, is-ombudsman, log count, log page, the office's terms, their accounts
    _count_queries(client, "/ombudsman/cases/log/", django_assert_num_queries, 6)


def test_the_public_page_names_the_ombudsman(client, ombudsman):
    page = client.get("/ombudsman/").content.decode()
    assert "The ombudsman is <strong>Olga Ombudsman</strong>" in page


def test_the_diversity_page_carries_the_actions_and_points_to_the_ombudsman(client):
    page = client.get("/about/diversity/").content.decode()
    for action in (
        "Survey our membership to better understand the barriers",
        "Establish an ombudsman for diversity, equity, and inclusion",
        "Host a webinar focused on diversity, equity, and inclusion",
        "identifying and\nrecruiting speakers from historically",
    ):
        assert " ".join(action.split()) in " ".join(page.split()), action
    assert 'href="/ombudsman/concern/"' in page
    assert 'href="/about/code-of-conduct/"' in page
    assert "admin" not in page.split("<main", 1)[1].lower().split("</main>", 1)[0]


def test_the_code_of_conduct_page_is_a_flat_page_pointing_to_the_ombudsman(client):
    page = client.get("/about/code-of-conduct/").content.decode()
    assert "<h1>Code of Conduct</h1>" in page
    assert 'href="/ombudsman/concern/"' in page
    # The executive committee edits it like any flat page.
    FlatPage.objects.filter(url="/about/code-of-conduct/").update(content="Be kind.")
    assert "Be kind." in client.get("/about/code-of-conduct/").content.decode()


def test_other_flat_pages_get_no_ombudsman_block(client):
    assert "/ombudsman/concern/" not in client.get("/about/").content.decode().split("<footer")[0]


def test_my_gds_shows_the_ombudsman_their_entrance(client, ombudsman):
    client.force_login(ombudsman)
    assert 'href="/ombudsman/cases/"' in client.get("/my/").content.decode()


def test_the_demo_loads_twice_without_a_second_concern(db):
    import io

    from accounts.demo import load as load_accounts
    from elections.demo import load as load_elections
    from ombudsman.demo import DEMO_CASE_CODE, load
    from ombudsman.models import Concern
    from ombudsman.selectors import current_assignment

    out = io.StringIO()
    load_accounts(out)
    for _ in range(2):
        load_elections(out)  # appoints the demo ombudsman: a term, labelled demo data
        load(out)
    assert Concern.objects.filter(case_code=DEMO_CASE_CODE).count() == 1
    assert Concern.objects.get().replies.count() == 1
    holding = current_assignment()
    assert holding is not None
    assert (holding.name, ombudsman_terms().count()) == ("Demo Ombudsman", 1)


def test_every_visitor_gets_their_own_case_code_even_with_the_page_cache_on(settings):
    # The form carries a fresh case code and passphrase: a cached copy would hand every
    # visitor the same pair (and each could read the others' replies).
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 60
    pages = [Client().get("/ombudsman/concern/") for _ in range(2)]
    assert all("X-Page-Cache" not in page for page in pages)
    pairs = [
        re.search(r'data-testid="passphrase">([^<]+)<', page.content.decode()).group(1)
        for page in pages
    ]
    assert pairs[0] != pairs[1]


def test_the_ombudsman_page_is_refreshed_when_the_office_changes(
    settings, client, ombudsman, django_capture_on_commit_callbacks
):
    from tests.factories.accounts import UserFactory
    from tests.factories.ombudsman import appoint

    settings.PAGE_CACHE_SECONDS = 60
    ombudsman_terms().update(starts_on=timezone.localdate() - timedelta(days=3))
    assert "Olga Ombudsman" in client.get("/ombudsman/").content.decode()
    successor = UserFactory(full_name="Nina Next")
    with django_capture_on_commit_callbacks(execute=True):  # the cache empties on commit
        appoint(successor)
    assert "Nina Next" in client.get("/ombudsman/").content.decode()
