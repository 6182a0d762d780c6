"""Errors tell the visitor what happened and nothing about the server."""

import pytest
from django.test import Client

from tests.security.error_urls import SECRET_MARK

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.security.error_urls")
def test_server_error_shows_the_site_page_without_details(settings):
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get("/test-only/explode/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    for leak in (SECRET_MARK, "Traceback", "RuntimeError", settings.SECRET_KEY, "DATABASE"):
        assert leak not in html
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_csrf_failure_shows_the_helpful_page(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.member)
    response = client.post("/my/profile/", {"full_name": "Changed"})
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
    assert "Nothing you typed has been lost" in response.content.decode()
    personas.member.refresh_from_db()
    assert personas.member.full_name == "Mia Member"


def test_not_found_page_is_the_site_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
