"""A second outside tester's findings on the ombudsman's office held through election
terms (December 2026): each is kept here as the test that failed before its fix.

F1. a superuser took over an appointee's account before their term started;
F2. term-change mails and log rows named persons only (a namesake looked like a
    re-appointment), and the term form let a namesake profile be appointed;
F3. an election's winner could be given a profile linked to another account;
F4. committees could edit the holder's public profile (address, website, bio);
F5. a superuser renaming the holder's profile was neither logged nor mailed.
"""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.protection import protected_accounts
from community.models import Person
from elections.models import Term
from elections.services.results import _person_for
from gds_portal.models import OutboundEmail
from gds_portal.offices import offices
from ombudsman.enums import AccessAction
from ombudsman.models import AccessLogEntry
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.ombudsman import appoint, ombudsman_office, person_of

pytestmark = pytest.mark.django_db

ADD = "/admin/elections/term/add/"


def _today() -> date:
    return timezone.localdate()


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _terms_log() -> list[str]:
    entries = AccessLogEntry.objects.filter(action=AccessAction.TERMS_CHANGED).order_by("id")
    return list(entries.values_list("detail", flat=True))


# --- F1: an appointee's account is protected before the term starts ------------------


def test_f1_no_superuser_takes_over_an_appointees_account(client, personas, ombudsman):
    appointee = UserFactory(email="next@example.org", full_name="Nell Next")
    appoint(appointee, starts_on=_today() + timedelta(days=30))
    assert appointee.pk in offices.appointed("ombudsman")
    assert "appointed for a coming term" in (protected_accounts.reason_for(_fresh(appointee)) or "")
    client.force_login(personas.staff)
    url = f"/admin/accounts/user/{appointee.pk}/"
    response = client.post(
        f"{url}password/",
        {"password1": "Taken-over-123!", "password2": "Taken-over-123!", "usable_password": "true"},
        follow=True,
    )
    assert "appointed for a coming term" in response.text
    assert not _fresh(appointee).check_password("Taken-over-123!")
    page = client.get(f"{url}change/").text
    assert 'name="email"' not in page and 'name="is_active"' not in page
    assert 'name="groups"' not in page
    assert client.get(f"{url}delete/").status_code == 403
    # Nor through allauth's addresses: no verified address of the accomplice added.
    response = client.post(
        "/admin/account/emailaddress/add/",
        {"user": appointee.pk, "email": "acc@evil.example", "verified": "on", "primary": ""},
    )
    assert not EmailAddress.objects.filter(email="acc@evil.example").exists()
    # A holder whose term has ended, and a plain member, are the superuser's to fix.
    assert protected_accounts.reason_for(_fresh(personas.member)) is None


def test_f1_the_protection_ends_with_the_term():
    past = UserFactory()
    appoint(past, starts_on=_today() - timedelta(days=20), ends_on=_today() - timedelta(days=1))
    assert past.pk not in offices.appointed("ombudsman")
    assert protected_accounts.reason_for(_fresh(past)) is None


# --- F2: every change names each person's account -------------------------------------


def test_f2_a_namesake_is_told_apart_in_the_log_and_the_mail(
    personas, ombudsman, django_capture_on_commit_callbacks
):
    twin = PersonFactory(name="Olga Ombudsman", user=personas.member)
    no_account = PersonFactory(name="Nobody Linked")
    with django_capture_on_commit_callbacks(execute=True):
        appoint(personas.member, person=twin, starts_on=_today() + timedelta(days=1))
        appoint(None, person=no_account, starts_on=_today() + timedelta(days=2))
    added, unlinked = _terms_log()
    assert "Term added: Olga Ombudsman <member@example.org>" in added
    assert "It ends Olga Ombudsman <ombuds@example.org>" in added
    assert "Nobody Linked (no account linked)" in unlinked
    mail = OutboundEmail.objects.filter(to__contains=["ombuds@example.org"]).first()
    assert mail is not None and "Olga Ombudsman <member@example.org>" in mail.body_text


def test_f2_the_term_form_refuses_a_profile_sharing_anothers_name(client, personas, ombudsman):
    twin = PersonFactory(name="olga ombudsman", user=personas.member)
    client.force_login(personas.executive)
    data = {
        "office": ombudsman_office().pk,
        "person": twin.pk,
        "title": "",
        "starts_on": (_today() + timedelta(days=1)).isoformat(),
        "ends_on": "",
    }
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "Another profile is also named" in response.text
    assert not Term.objects.filter(person=twin).exists()
    twin.name = "Mia Member"
    twin.save()
    assert client.post(ADD, data).status_code == 302
    assert Term.objects.filter(person=twin).exists()


# --- F3: a winner never gets another account's profile --------------------------------


def test_f3_a_winner_never_gets_a_profile_linked_to_another_account(personas):
    from tests.factories.elections import election_with_slate

    _election, _contest, (candidacy,) = election_with_slate(candidates=1)
    winner = candidacy.user
    # The oldest profile with the winner's address is linked to someone else.
    other = PersonFactory(email=winner.email, user=personas.other_member)
    candidacy.person = None
    person = _person_for(candidacy)
    assert person.pk != other.pk and person.user_id in (None, winner.pk)
    # Their own linked profile is still found.
    own = PersonFactory(user=winner, name="Own Profile")
    assert _person_for(candidacy).pk == own.pk
    # An unlinked profile with their address is theirs, as before.
    own.delete()
    Person.objects.filter(pk=person.pk).delete()
    free = PersonFactory(email=winner.email, slug="free-profile")
    Person.objects.filter(pk=other.pk).update(email="elsewhere@example.org")
    assert _person_for(candidacy).pk == free.pk


# --- F4 and F5: the holder's profile is edited by superusers only, and told ------------


def _person_form(person, **changes):
    data = {
        "name": person.name,
        "slug": person.slug,
        "affiliation": person.affiliation,
        "position": person.position,
        "bio": person.bio,
        "website": person.website,
        "orcid": person.orcid,
        "email": person.email,
        "user": person.user_id or "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["newsletter_editor", "program_committee", "webinar_committee"])
def test_f4_committees_cannot_edit_the_holders_or_an_appointees_profile(
    client, personas, ombudsman, role
):
    appointee = UserFactory(full_name="Nell Next")
    appoint(appointee, starts_on=_today() + timedelta(days=5))
    client.force_login(getattr(personas, role))
    for person in (person_of(ombudsman), person_of(appointee)):
        url = f"/admin/community/person/{person.pk}/change/"
        page = client.get(url)
        if page.status_code == 200:
            assert 'name="bio"' not in page.text and 'name="email"' not in page.text
        client.post(url, _person_form(person, bio="Write to evil@example.org", slug="x"))
        person.refresh_from_db()
        assert "evil" not in person.bio and person.slug != "x"


def test_f4_f5_a_superusers_edit_of_the_holders_profile_is_logged_and_mailed(
    client, personas, ombudsman, django_capture_on_commit_callbacks
):
    person = person_of(ombudsman)
    client.force_login(personas.staff)
    url = f"/admin/community/person/{person.pk}/change/"
    assert 'name="bio"' in client.get(url).text
    before = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _person_form(person, name="Olga Renamed", bio="New bio."))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Olga Renamed"
    (detail,) = _terms_log()[-1:]
    assert "Olga Renamed <ombuds@example.org>" in detail
    assert "staff@example.org" in detail and "bio" in detail and "name" in detail
    assert "it was named Olga Ombudsman" in detail
    assert OutboundEmail.objects.count() == before + 1


def test_f4_a_past_holders_profile_is_edited_as_before(client, personas):
    past = UserFactory(full_name="Pat Past")
    appoint(past, starts_on=_today() - timedelta(days=20), ends_on=_today() - timedelta(days=1))
    person = person_of(past)
    client.force_login(personas.newsletter_editor)
    page = client.get(f"/admin/community/person/{person.pk}/change/")
    assert page.status_code == 200 and 'name="bio"' in page.text


def test_f4_no_import_fills_in_the_holders_profile(ombudsman):
    from community.services import person_find_or_create

    person = person_of(ombudsman)
    Person.objects.filter(pk=person.pk).update(website="", bio="")
    found = person_find_or_create(
        name="Anyone",
        user=ombudsman,
        details={"website": "https://evil.example", "bio": "Write to evil@example.org"},
        fill_blanks=True,
    )
    assert found.pk == person.pk
    person.refresh_from_db()
    assert person.website == "" and person.bio == ""
