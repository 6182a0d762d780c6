"""The bench's signed-in path (bench/signed_in.py): its sessions are ones the site takes
for a sign-in, its personas are who they say, and its CPU arithmetic counts what the
servers spent. (Timings are the bench's to report, never a test's to assert.)"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bench.measures import signed_in
from bench.server import CLOCK_TICKS, cpu_per_request
from bench.signed_in import personas as bench_personas
from tests.factories.crrg import ResponseFactory

pytestmark = pytest.mark.django_db


def test_a_bench_session_signs_its_member_in(personas):
    session, csrf = signed_in(personas.member)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    response = client.get(reverse("accounts:my_gds"))
    assert response.status_code == 200
    assert response.wsgi_request.user == personas.member


def test_each_bench_session_is_its_own(personas):
    first, second = signed_in(personas.member), signed_in(personas.other_member)
    assert first[0] != second[0]
    assert first[1] != second[1]


def test_the_personas_are_plain_members_and_committee_members(personas):
    # Plain members: verified, on no committee, not staff (so neither the unverified
    # member nor any role holder nor staff); "new member" has not answered the CRRG
    # questionnaire.
    ResponseFactory(user=personas.member)
    found = bench_personas(10)
    assert found["member"] == [personas.member, personas.other_member, personas.ombudsman]
    assert found["new member"] == [personas.other_member, personas.ombudsman]
    assert found["program committee"] == [personas.program_committee]
    assert found["webinar committee"] == [personas.webinar_committee]


def test_cpu_per_request_counts_processes_that_came_and_leaves_out_what_it_cannot_see():
    before = {"workers": {10: 100, 11: 50}, "backends": {}}
    after = {"workers": {10: 150, 12: 20}, "backends": {}}
    workers, backends = cpu_per_request(before, after, requests=10)
    # Worker 10 spent 50 ticks, the new worker 12 all its 20; worker 11 is gone.
    assert workers == pytest.approx(1000 * 70 / CLOCK_TICKS / 10)
    assert backends is None
