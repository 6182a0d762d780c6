"""Raising a concern (named, by a verified address, anonymous) and reading the replies."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core import signing

from gds_portal.models import OutboundEmail
from ombudsman import crypto
from ombudsman.enums import AccessAction, ReporterKind
from ombudsman.models import AccessLogEntry, Concern, ConcernFormToken
from ombudsman.services import address_link_token, ombudsman_notify
from tests.factories.ombudsman import ombudsman_terms, raise_concern, reply

pytestmark = pytest.mark.django_db

REPLY = "Thank you; I will look into it without naming you."


def _form(client, url="/ombudsman/concern/") -> dict:
    """The hidden fields of the concern form as shown (token, case code, passphrase)."""
    page = client.get(url).content.decode()
    fields = dict(re.findall(r'name="(token|case_code|passphrase)" value="([^"]+)"', page))
    assert set(fields) == {"token", "case_code", "passphrase"}
    return fields


def test_a_visitor_files_anonymously_and_reads_the_reply_with_the_case_code(
    client, ombudsman, django_capture_on_commit_callbacks
):
    fields = _form(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ombudsman/concern/", {**fields, "text": "Anonymous concern"})
    body = response.content.decode()
    assert fields["case_code"] in body and fields["passphrase"] in body
    concern = Concern.objects.get()
    assert (concern.reporter_kind, concern.reporter, concern.reporter_email_encrypted) == (
        ReporterKind.ANONYMOUS,
        None,
        None,
    )
    reply(concern, REPLY, by=ombudsman)
    # Nothing is mailed when the concern arrives (its instant would date it); the
    # scheduled notice tells the ombudsman (no text), and an anonymous reporter gets no mail.
    assert OutboundEmail.objects.count() == 0
    assert ombudsman_notify() == 1
    assert [m.to for m in OutboundEmail.objects.all()] == [[ombudsman.email]]

    check = {"case_code": fields["case_code"].lower(), "passphrase": fields["passphrase"]}
    response = client.post("/ombudsman/case/", check, follow=True)
    assert REPLY in response.content.decode()
    assert "Anonymous concern" in response.content.decode()
    read = AccessLogEntry.objects.get(action=AccessAction.REPORTER_READ)
    assert (read.actor, read.case_code) == (None, concern.case_code)
    # The day only: no instant that could be joined to the visitor's other traces.
    assert (read.at.hour, read.at.minute, read.at.second, read.at.microsecond) == (0, 0, 0, 0)


def test_a_member_filing_anonymously_leaves_nothing_that_names_them(client, personas, ombudsman):
    client.force_login(personas.member)
    fields = _form(client)
    client.post("/ombudsman/concern/", {**fields, "text": "About a colleague", "anonymous": "on"})
    concern = Concern.objects.get()
    assert concern.reporter_kind == ReporterKind.ANONYMOUS
    assert (concern.reporter_id, concern.reporter_email_encrypted) == (None, None)
    # The passphrase only as a password hash (the tests' hasher is quick; production's
    # is Django's default PBKDF2).
    assert check_password(fields["passphrase"], concern.passphrase_hash)
    assert fields["passphrase"] not in concern.passphrase_hash
    # The form token names no one and keeps the day only: no instant to join on.
    token = ConcernFormToken.objects.get()
    assert token.user_id is None
    assert not hasattr(token.created_at, "hour")
    # Nothing in any column of the concern or its token mentions the member.
    row = Concern.objects.filter(pk=concern.pk).values().get()
    stored = " ".join(str(v) for v in row.values()) + str(token.__dict__)
    assert personas.member.email not in stored
    assert "Mia" not in stored
    # No ombudsman list, log or section points back to the member.
    assert AccessLogEntry.objects.filter(actor=personas.member).count() == 0
    assert concern.case_code not in client.get("/my/").content.decode()


def test_a_member_files_under_their_name_and_is_told_of_replies_by_a_notice(
    client, personas, ombudsman, django_capture_on_commit_callbacks
):
    client.force_login(personas.member)
    fields = _form(client)
    response = client.post("/ombudsman/concern/", {**fields, "text": "Named concern"})
    assert fields["passphrase"] not in response.content.decode()
    concern = Concern.objects.get()
    assert (concern.reporter, concern.reporter_kind) == (personas.member, ReporterKind.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        reply(concern, REPLY, by=ombudsman)
    notice = OutboundEmail.objects.filter(to=[personas.member.email]).get()
    assert REPLY not in notice.body_text + notice.body_html
    assert f"/ombudsman/my/{concern.case_code}/" in notice.body_text
    assert REPLY in client.get(f"/ombudsman/my/{concern.case_code}/").content.decode()
    assert concern.case_code in client.get("/my/").content.decode()


def test_a_visitor_confirms_an_address_by_a_signed_link_before_filing(
    client, ombudsman, django_capture_on_commit_callbacks
):
    client.post("/ombudsman/concern/address/", {"email": "Visitor@Example.org"})
    mail = OutboundEmail.objects.get()
    assert mail.sensitive and mail.to == ["Visitor@Example.org"]
    link = re.search(r"(/ombudsman/concern/\?address=\S+)", mail.body_text).group(1)
    page = client.get(link).content.decode()
    assert "visitor@example.org is confirmed" in page
    fields = _form(client, link)
    token = link.split("=", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ombudsman/concern/", {**fields, "address": token, "text": "By address"})
    concern = Concern.objects.get()
    assert concern.reporter_kind == ReporterKind.ADDRESS
    assert crypto.decrypt(concern.reporter_email_encrypted) == "visitor@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        reply(concern, REPLY, by=ombudsman)
    notice = OutboundEmail.objects.filter(to=["visitor@example.org"]).get()
    assert REPLY not in notice.body_text and "/ombudsman/case/" in notice.body_text


def test_an_expired_or_forged_address_link_is_refused(client, ombudsman):
    with time_machine.travel("2026-01-01 12:00", tick=False):
        token = address_link_token("late@example.org")
    with time_machine.travel("2026-01-02 12:01", tick=False):
        assert client.get(f"/ombudsman/concern/?address={token}").status_code == 400
    forged = signing.dumps("someone@example.org", salt="not-ours")
    assert client.get(f"/ombudsman/concern/?address={forged}").status_code == 400
    assert (
        client.post(
            "/ombudsman/concern/", {**_form(client), "address": forged, "text": "x"}
        ).status_code
        == 400
    )
    assert Concern.objects.count() == 0


def test_the_same_form_sent_twice_stores_one_concern_and_shows_the_same_pair(client, ombudsman):
    fields = _form(client)
    first = client.post("/ombudsman/concern/", {**fields, "text": "Once"}).content.decode()
    second = client.post("/ombudsman/concern/", {**fields, "text": "Once"}).content.decode()
    assert Concern.objects.count() == 1
    for page in (first, second):
        assert fields["case_code"] in page and fields["passphrase"] in page
    assert "sent before" in second


def test_a_wrong_passphrase_shows_nothing(client, ombudsman):
    concern, _ = raise_concern("Secret concern text")
    reply(concern, REPLY, by=ombudsman)
    wrong = client.post(
        "/ombudsman/case/", {"case_code": concern.case_code, "passphrase": "wrong-pass"}
    ).content.decode()
    missing = client.post(
        "/ombudsman/case/", {"case_code": "ZZZZ-ZZZZ", "passphrase": "wrong-pass"}
    ).content.decode()
    for page in (wrong, missing):
        assert "Secret concern text" not in page and REPLY not in page
        assert "No case matches this case code and passphrase." in page
        assert f"Case {concern.case_code}" not in page
    assert AccessLogEntry.objects.filter(action=AccessAction.REPORTER_READ).count() == 0


def test_wrong_passphrases_are_throttled_per_case_even_for_the_right_one_after(client, ombudsman):
    concern, passphrase = raise_concern("Throttled concern")
    for n in range(5):
        response = client.post(
            "/ombudsman/case/",
            {"case_code": concern.case_code, "passphrase": f"guess-{n}"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        assert response.status_code == 200
    right = {"case_code": concern.case_code, "passphrase": passphrase}
    blocked = client.post("/ombudsman/case/", right, REMOTE_ADDR="192.0.2.99")
    assert blocked.status_code == 429
    assert "Throttled concern" not in blocked.content.decode()


def test_wrong_passphrases_are_throttled_per_network(client, ombudsman):
    for n in range(10):
        client.post("/ombudsman/case/", {"case_code": f"AAAA-AAA{n}", "passphrase": "x"})
    concern, passphrase = raise_concern("Network throttled")
    response = client.post(
        "/ombudsman/case/", {"case_code": concern.case_code, "passphrase": passphrase}
    )
    assert response.status_code == 429


def test_a_right_passphrase_does_not_count_against_the_case(client, ombudsman):
    concern, passphrase = raise_concern("Read often")
    right = {"case_code": concern.case_code, "passphrase": passphrase}
    for _ in range(12):
        assert "Read often" in client.post("/ombudsman/case/", right, follow=True).content.decode()


def test_the_form_is_open_without_an_ombudsman_and_says_the_office_is_vacant(client):
    page = client.get("/ombudsman/concern/").content.decode()
    assert "The office is vacant" in page
    fields = _form(client)
    client.post("/ombudsman/concern/", {**fields, "text": "While vacant"})
    assert Concern.objects.count() == 1
    assert OutboundEmail.objects.count() == 0


def test_an_unverified_account_can_only_file_anonymously(client, personas, ombudsman):
    client.force_login(personas.unverified)
    page = client.get("/ombudsman/concern/").content.decode()
    assert 'name="anonymous"' not in page
    client.post("/ombudsman/concern/", {**_form(client), "text": "x"})
    assert Concern.objects.get().reporter_id is None


def test_the_receipt_and_case_pages_are_never_cached(client, ombudsman):
    for response in (
        client.get("/ombudsman/concern/"),
        client.post("/ombudsman/concern/", {**_form(client), "text": "x"}),
        client.get("/ombudsman/case/"),
    ):
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_retention_restarts_with_a_reply(ombudsman):
    ombudsman_terms().update(starts_on=date(2026, 1, 1))
    with time_machine.travel("2026-03-01", tick=False):
        concern, _ = raise_concern("Old")
    with time_machine.travel("2026-05-01", tick=False):
        reply(concern, REPLY, by=ombudsman)
    concern.refresh_from_db()
    assert concern.last_activity_on - concern.received_on == timedelta(days=61)
