"""Only the ombudsman reads concerns: not the executive committee, not staff, not a
superuser — through no page, admin view, lookup, export or mail. The text is
ciphertext in the database, and every read is logged."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from gds_portal.models import OutboundEmail
from ombudsman import crypto
from ombudsman.enums import AccessAction
from ombudsman.models import AccessLogEntry, Concern
from ombudsman.services import ombudsman_notify
from tests.factories.accounts import UserFactory
from tests.factories.ombudsman import appoint, ombudsman_terms, raise_concern, reply

pytestmark = pytest.mark.django_db

CONCERN = "Confidential: the treasurer shouted at Priya during the poster session"
REPLY = "Confidential reply: I have spoken to the treasurer in private"
SECRETS = ("treasurer", "Priya", "poster session", "spoken to the")
# Searched for (in the site search and every admin search box); not itself in SECRETS,
# since a search box shows back what was typed.
SEARCHED = "shouted"


@pytest.fixture
def case(ombudsman, personas, django_capture_on_commit_callbacks):
    """A named concern and a reply, both mailed about, as the world that could leak."""
    with django_capture_on_commit_callbacks(execute=True):
        concern, _ = raise_concern(CONCERN, member=personas.member)
        reply(concern, REPLY, by=ombudsman)
    return concern


def _leaks(body: str) -> list[str]:
    return [secret for secret in SECRETS if secret in body]


def _ombudsman_urls(concern) -> list[str]:
    code = concern.case_code
    return [
        "/ombudsman/",
        "/ombudsman/cases/",
        f"/ombudsman/cases/{code}/",
        "/ombudsman/cases/log/",
        "/ombudsman/cases/retention/",
        f"/ombudsman/my/{code}/",
        "/ombudsman/my/",
        "/ombudsman/case/",
        "/my/",
        f"/search/?q={SEARCHED}",
    ]


def _admin_urls() -> list[str]:
    """Every registered admin's list (searched for a secret) and its first object."""
    urls = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        try:
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        urls.append(changelist)
        if model_admin.search_fields:
            urls.append(f"{changelist}?q={SEARCHED}")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
    return urls


@pytest.mark.parametrize("who", ["executive", "staff", "other_member", "webinar_committee"])
def test_no_one_but_the_ombudsman_gets_concern_text_from_any_page(case, personas, who):
    # `staff` is a superuser too: it can open every admin there is.
    client = Client()
    client.force_login(getattr(personas, who))
    shown = {}
    for url in _ombudsman_urls(case) + _admin_urls():
        response = client.get(url)
        shown[url] = (response.status_code, _leaks(response.content.decode(errors="replace")))
    assert {url: leaks for url, (_, leaks) in shown.items() if leaks} == {}
    # The case pages themselves are refused outright, as if the case did not exist.
    assert shown[f"/ombudsman/cases/{case.case_code}/"][0] == 404
    assert shown["/ombudsman/cases/"][0] == 403


def test_no_admin_for_concerns_replies_or_the_log():
    # Who holds the office is a term in the elections admin; the app has no admin at all.
    registered = {m for m in admin.site._registry if m._meta.app_label == "ombudsman"}
    assert registered == set()


def test_a_superuser_cannot_reach_concerns_through_admin_urls(case, personas, client):
    client.force_login(personas.staff)
    for url in [
        "/admin/ombudsman/concern/",
        f"/admin/ombudsman/concern/{case.pk}/change/",
        "/admin/ombudsman/reply/",
        "/admin/ombudsman/accesslogentry/",
    ]:
        assert client.get(url).status_code == 404, url
    # The term admin filters only what its own filter writes (the lookup allowlist).
    lookup = "/admin/elections/term/?person__user__email__regex=."
    assert client.get(lookup).status_code == 400


def test_mail_never_carries_concern_or_reply_text(case, personas, ombudsman):
    ombudsman_notify()
    mails = list(OutboundEmail.objects.order_by("id"))
    assert [m.to for m in mails] == [[personas.member.email], [ombudsman.email]]
    for mail in mails:
        assert _leaks("\n".join([mail.subject, mail.body_text, mail.body_html])) == []
    assert "/ombudsman/my/" in mails[0].body_text


def test_the_database_holds_ciphertext_only(case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text_encrypted FROM ombudsman_concern WHERE id = %s", [case.pk])
        (stored,) = cursor.fetchone()
        cursor.execute(
            "SELECT text_encrypted FROM ombudsman_reply WHERE concern_id = %s", [case.pk]
        )
        (stored_reply,) = cursor.fetchone()
    for column, plain in ((bytes(stored), CONCERN), (bytes(stored_reply), REPLY)):
        assert _leaks(column.decode("latin-1")) == []
        assert column.startswith(b"gAAAAA")  # a Fernet token
        assert crypto.decrypt(column) == plain


def test_every_read_by_the_ombudsman_adds_a_log_row(case, ombudsman, client):
    client.force_login(ombudsman)
    url = f"/ombudsman/cases/{case.case_code}/"
    for _ in range(2):
        response = client.get(url)
        assert CONCERN in response.content.decode()
        assert REPLY in response.content.decode()
    reads = AccessLogEntry.objects.filter(concern=case, action=AccessAction.READ)
    assert list(reads.values_list("actor", flat=True)) == [ombudsman.pk, ombudsman.pk]


def test_a_successor_sees_the_predecessors_reads_and_the_predecessor_loses_access(
    case, ombudsman, client
):
    client.force_login(ombudsman)
    client.get(f"/ombudsman/cases/{case.case_code}/")
    from datetime import timedelta

    from django.utils import timezone

    successor = UserFactory(full_name="Sam Successor")
    ombudsman_terms().update(starts_on=timezone.localdate() - timedelta(days=10))
    appoint(successor)
    assert client.get(f"/ombudsman/cases/{case.case_code}/").status_code == 404
    client.force_login(successor)
    log = client.get("/ombudsman/cases/log/").content.decode()
    assert f"{case.case_code}</td><td>Read by the ombudsman</td>" in log
    assert "Olga Ombudsman" in log


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]])
def test_without_a_usable_key_the_form_is_closed_and_stores_nothing(settings, client, keys):
    settings.OMBUDSMAN_ENCRYPTION_KEYS = keys
    response = client.get("/ombudsman/concern/")
    assert response.status_code == 503
    assert "no encryption key" in response.content.decode()
    response = client.post("/ombudsman/concern/", {"text": "Plaintext must not be stored"})
    assert response.status_code == 503
    assert Concern.objects.count() == 0


def test_a_missing_key_stops_the_service_before_it_writes(settings):
    settings.OMBUDSMAN_ENCRYPTION_KEYS = []
    with pytest.raises(crypto.EncryptionUnavailable):
        raise_concern("Never stored")
    assert Concern.objects.count() == 0


def test_key_rotation_reencrypts_under_the_new_key(settings, case):
    from cryptography.fernet import Fernet

    from ombudsman.services import key_rotate

    old = settings.OMBUDSMAN_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.OMBUDSMAN_ENCRYPTION_KEYS = [new, old]
    assert key_rotate() == 2  # the concern and the reply (a member's concern has no address)
    settings.OMBUDSMAN_ENCRYPTION_KEYS = [new]
    case.refresh_from_db()
    assert crypto.decrypt(case.text_encrypted) == CONCERN
    assert crypto.decrypt(case.replies.get().text_encrypted) == REPLY
