"""Query budgets of the feedback and announcement pages: the same count with 1 and 3
objects (feedback rows, attended webinars, webinars spoken at)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FeedbackFactory,
    RegistrationFactory,
    feedback_closed,
    recently_held,
)
from webinars.enums import CommentStatus
from webinars.sections import my_feedback

pytestmark = pytest.mark.django_db


def _feedback(webinar, n: int) -> None:
    for i in range(n):
        FeedbackFactory(
            registration__webinar=webinar,
            rating=1 + i,
            comment=f"Comment {i}",
            comment_status=CommentStatus.APPROVED,
        )


@pytest.mark.parametrize("n", [1, 3])
def test_speaker_page_query_budget(client_for, personas, django_assert_num_queries, n):
    webinar = feedback_closed(speakers=[PersonFactory(user=personas.other_member)])
    _feedback(webinar, n)
    client = client_for(personas.other_member)
    url = f"/webinars/{webinar.slug}/feedback/speakers/"
    client.get(url)  # warm caches (content types, site settings)
    with django_assert_num_queries(QUERIES["speaker page"]):
        response = client.get(url)
    assert response.content.decode().count('data-testid="approved-comment"') == n


@pytest.mark.parametrize("n", [1, 3])
def test_feedback_form_query_budget(client_for, personas, django_assert_num_queries, n):
    webinar = recently_held()
    RegistrationFactory(
        webinar=webinar, user=personas.member, email=personas.member.email, attended=True
    )
    _feedback(webinar, n)  # other attendees' feedback: not read by this page
    client = client_for(personas.member)
    url = f"/webinars/{webinar.slug}/feedback/"
    client.get(url)
    with django_assert_num_queries(QUERIES["feedback form"]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_feedback_admin_query_budget(client_for, personas, django_assert_num_queries, n):
    for _ in range(n):
        _feedback(recently_held(), 1)
    client = client_for(personas.webinar_committee)
    url = "/admin/webinars/feedback/?comment_status=all"
    client.get(url)
    with django_assert_num_queries(QUERIES["feedback admin"]):
        response = client.get(url)
    assert response.context["cl"].result_count == n


@pytest.mark.parametrize("n", [1, 3])
def test_my_gds_feedback_section_query_budget(personas, django_assert_num_queries, n):
    user = personas.member
    person = PersonFactory(user=user)
    for _ in range(n):
        RegistrationFactory(webinar=recently_held(), user=user, email=user.email, attended=True)
        recently_held(speakers=[person])
    request = RequestFactory().get("/my/")
    request.user = user
    # Only this app's section: the verified-address check, the attended registrations
    # (with their webinars and feedback), the webinars spoken at.
    with django_assert_num_queries(QUERIES["my gds"]):
        html = render_to_string("webinars/_my_feedback.html", my_feedback(request))
    assert html.count("Give feedback on") == n
    assert html.count("/feedback/speakers/") == n


QUERIES = {"speaker page": 7, "feedback form": 8, "feedback admin": 8, "my gds": 3}
