"""Every CRRG page has exactly one <h1>, answers HEAD, and labels its form fields."""

import re

import pytest

from crrg.services import groups as groups_services
from tests.crrg.test_coordinators import join

pytestmark = pytest.mark.django_db


def _pages(crrg, personas):
    join(crrg, personas.member, contact=True, groups=[crrg.pick_modeling])
    token = groups_services.leave_token(user=personas.member, group=crrg.modeling)
    return [
        (None, "/crrg/"),
        (None, f"/crrg/leave-group/{token}/"),
        (None, "/crrg/leave-group/not-a-token/"),
        (personas.member, "/crrg/join/"),
        (personas.other_member, "/crrg/join/"),
        (personas.unverified, "/crrg/join/"),
        (personas.member, "/my/"),
        (personas.crrg_coordinator, "/crrg/coordinators/"),
        (personas.crrg_coordinator, "/crrg/coordinators/questionnaires/crrg-join/"),
        (personas.crrg_coordinator, "/crrg/coordinators/groups/modeling/"),
    ]


def test_every_page_has_one_h1_and_labelled_fields(crrg, personas, client_for):
    for user, url in _pages(crrg, personas):
        html = client_for(user).get(url).content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        ids = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        tags = re.findall(r"<(?:input|textarea|select)\b[^>]*>", html)
        controls = [t for t in tags if not re.search(r'type="(submit|hidden|button)"', t)]
        unlabelled = [t for t in controls if re.search(r'id="([^"]+)"', t).group(1) not in ids]
        assert unlabelled == [], url


def test_read_only_pages_answer_head(crrg, personas, client_for):
    assert client_for(None).head("/crrg/").status_code == 200
    coordinator = client_for(personas.crrg_coordinator)
    assert coordinator.head("/crrg/coordinators/questionnaires/crrg-join/").status_code == 200
