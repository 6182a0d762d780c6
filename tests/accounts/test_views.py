import re

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Ada Lovelace",
    "email": "ada@example.org",
    "affiliation": "Analytical Engines Lab",
    "country": "GB",
    "career_stage": "postdoc",
    "password1": "Bernoulli-numbers-1843",
    "password2": "Bernoulli-numbers-1843",
}


def test_signup_creates_unverified_member_and_queues_verification(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert (user.full_name, user.affiliation, user.country.code, user.career_stage) == (
        "Ada Lovelace",
        "Analytical Engines Lab",
        "GB",
        "postdoc",
    )
    assert EmailAddress.objects.get(user=user).verified is False


def test_signup_with_existing_email_in_other_case_is_refused_and_keeps_input(client):
    User.objects.create_user("Ada@Example.org", "x-long-password-1", full_name="First Ada")
    response = client.post("/accounts/signup/", {**SIGNUP, "email": "ADA@example.ORG"})
    assert response.status_code == 200
    assert User.objects.count() == 1
    assert "already" in response.context["form"].errors["email"][0]
    assert 'value="Analytical Engines Lab"' in response.text
    assert 'value="Ada Lovelace"' in response.text


def test_signup_with_weak_password_is_refused_with_reason(client):
    response = client.post(
        "/accounts/signup/", {**SIGNUP, "password1": "password", "password2": "password"}
    )
    assert response.status_code == 200
    assert User.objects.count() == 0
    assert "too common" in " ".join(response.context["form"].errors["password1"])
    assert 'value="ada@example.org"' in response.text


def test_my_gds_requires_login(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_edit_saves_own_profile(personas, client_for):
    client = client_for(personas.member)
    data = {"full_name": "Mia M. Member", "affiliation": "CERN"}
    response = client.post(
        "/my/profile/", {**data, "orcid": "https://orcid.org/0000-0002-1825-0097"}
    )
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert (personas.member.full_name, personas.member.affiliation, personas.member.orcid) == (
        "Mia M. Member",
        "CERN",
        "0000-0002-1825-0097",
    )


def test_profile_edit_with_invalid_orcid_shows_field_error_and_keeps_input(personas, client_for):
    client = client_for(personas.member)
    response = client.post(
        "/my/profile/",
        {"full_name": "Mia Typed", "affiliation": "New Lab", "orcid": "0000-0002-1825-0098"},
    )
    assert response.status_code == 200
    assert "check digit does not match" in response.text
    assert 'value="New Lab"' in response.text and 'value="Mia Typed"' in response.text
    personas.member.refresh_from_db()
    assert personas.member.affiliation != "New Lab"


def test_member_never_sees_or_changes_another_members_profile(personas, client_for):
    personas.other_member.affiliation = "Otto's Secret Institute"
    personas.other_member.save()
    client = client_for(personas.member)
    page = client.get("/my/")
    assert "Otto's Secret Institute" not in page.text
    # The profile form has no id to tamper with: extra fields are ignored.
    client.post(
        "/my/profile/",
        {
            "full_name": "Mia",
            "email": "other@example.org",
            "pk": personas.other_member.pk,
            "is_staff": "on",
        },
    )
    personas.other_member.refresh_from_db()
    personas.member.refresh_from_db()
    assert personas.other_member.full_name == "Otto Other"
    assert (personas.member.email, personas.member.is_staff) == ("member@example.org", False)


def test_authenticated_pages_are_private_and_never_cached(personas, client_for):
    response = client_for(personas.member).get("/my/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_confirmation_mail_carries_nothing_the_person_signing_up_chose(client):
    """Anyone may sign up with someone else's address: the mail that address receives
    must not quote the name they typed (outside probe of issue 22)."""
    from gds_portal.models import OutboundEmail

    chosen = "Win a prize at evil.example {{ 7|add:1 }}"
    client.post("/accounts/signup/", {**SIGNUP, "full_name": chosen})
    mail = OutboundEmail.objects.get(to__contains=["ada@example.org"])
    assert "evil.example" not in mail.subject + mail.body_text
    assert "Someone, perhaps you, used this email address" in mail.body_text
    assert "/accounts/confirm-email/" in mail.body_text


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_allauth_forms_name_required_fields_without_the_asterisk(client, url):
    # The asterisk is for the eye only (gds_portal.template_loaders); the field says it
    # is required itself (issue 23, item 4).
    page = client.get(url).text
    assert '<span class="asteriskField">' not in page
    assert '<span class="asteriskField" aria-hidden="true">*</span>' in page
    assert re.search(r'<input type="email" name="(login|email)"[^>]* required', page)
