"""Guards for the outside probe of the ombudsman (December 2026): each test reproduces
one finding of the probe report and failed before its fix. The finding's number is in
each test's name."""

import contextlib
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account import signals
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from gds_portal.models import OutboundEmail
from ombudsman import crypto
from ombudsman.enums import AccessAction, ReporterKind
from ombudsman.models import AccessLogEntry, Concern, Reply
from ombudsman.services import normalise_code
from tests.factories.accounts import UserFactory
from tests.factories.ombudsman import raise_concern, reply

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/gds_portal/outboundemail/"


def _form(client, url="/ombudsman/concern/") -> dict:
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="(token|case_code|passphrase|shown_as)" value="([^"]*)"', page))


# --- 1: who contacted the ombudsman is not in the outbox admin ----------------------


def test_1_a_superuser_lists_and_searches_no_ombudsman_mail(
    client, personas, ombudsman, deliver_mail
):
    client.post("/ombudsman/concern/address/", {"email": "victim@example.org"})
    concern, _ = raise_concern("Named", member=personas.member)
    reply(concern, "Answer", by=ombudsman)
    call_command("ombudsman_notify")
    assert OutboundEmail.objects.filter(domain="ombudsman").count() == 3
    client.force_login(personas.staff)
    for query in (
        {"status": "all"},
        {"status": "all", "domain": "ombudsman"},
        {"status": "all", "q": "victim"},
        {"status": "all", "q": "member@"},
    ):
        page = client.get(OUTBOX, query).text
        for address in ("victim@example.org", personas.member.email, ombudsman.email):
            assert address not in page, (query, address)
    row = OutboundEmail.objects.filter(domain="ombudsman").first()
    assert client.get(f"{OUTBOX}{row.pk}/change/", follow=True).text.count("victim@") == 0


def test_1_a_sent_ombudsman_mail_keeps_no_recipient_or_subject(client, ombudsman, deliver_mail):
    client.post("/ombudsman/concern/address/", {"email": "victim@example.org"})
    delivered = deliver_mail()
    # Delivered exactly once, to the address asked for ...
    assert [m.to for m in delivered] == [["victim@example.org"]]
    # ... and then the row says nothing of whom or what.
    row = OutboundEmail.objects.get(domain="ombudsman")
    assert (row.status, row.to, row.subject, row.body_text, row.body_html) == (
        "sent",
        [],
        "",
        "",
        "",
    )
    assert deliver_mail() == delivered  # nothing goes out a second time


# --- 2: the office-holder's account cannot be taken over in the admin ---------------


def test_2_no_one_sets_the_ombudsmans_password_or_address_in_the_admin(client, personas, ombudsman):
    client.force_login(personas.staff)
    url = f"/admin/accounts/user/{ombudsman.pk}/"
    response = client.post(
        f"{url}password/",
        {"password1": "Taken-over-123!", "password2": "Taken-over-123!", "usable_password": "true"},
        follow=True,
    )
    assert "belongs to the current ombudsman" in response.text
    ombudsman.refresh_from_db()
    assert not ombudsman.check_password("Taken-over-123!")
    page = client.get(f"{url}change/").text
    assert 'name="email"' not in page and 'name="is_active"' not in page
    assert client.get(f"{url}delete/").status_code == 403
    # An ordinary member's account is still the superuser's to fix.
    assert 'name="email"' in client.get(f"/admin/accounts/user/{personas.member.pk}/change/").text


def test_2_the_holder_is_mailed_when_their_password_changes(rf, ombudsman, personas):
    signals.password_changed.send(sender=type(ombudsman), request=rf.get("/"), user=ombudsman)
    signals.password_changed.send(
        sender=type(personas.member), request=rf.get("/"), user=personas.member
    )
    assert [m.to for m in OutboundEmail.objects.all()] == [[ombudsman.email]]


def test_2_every_read_records_the_sign_in_session(ombudsman):
    concern, _ = raise_concern("Text")
    tags = []
    for _ in range(2):
        # Two sign-ins (the holder's, and a taker's): their reads stand apart.
        from django.test import Client

        client = Client()
        client.force_login(ombudsman)
        client.get(f"/ombudsman/cases/{concern.case_code}/")
        tags.append(AccessLogEntry.objects.filter(action=AccessAction.READ).first().session)
    assert all(tags) and tags[0] != tags[1]
    assert "Sign-in session" in client.get("/ombudsman/cases/log/").text


# --- 3: no instant dates an anonymous concern --------------------------------------


@time_machine.travel(datetime(2026, 12, 5, 14, 37, 21, tzinfo=UTC), tick=False)
def test_3_the_ciphertext_and_the_outbox_carry_the_day_only(ombudsman):
    concern, _ = raise_concern("Anonymous")
    key = settings.OMBUDSMAN_ENCRYPTION_KEYS[0]
    stamp = Fernet(key).extract_timestamp(bytes(concern.text_encrypted))
    assert stamp == int(datetime(2026, 12, 5, tzinfo=UTC).timestamp())
    assert crypto.decrypt(concern.text_encrypted) == "Anonymous"
    # Nothing is mailed when it arrives; the scheduled notice counts it later.
    assert OutboundEmail.objects.count() == 0


def test_3_the_notice_counts_cases_with_news_once(ombudsman):
    raise_concern("One")
    raise_concern("Two")
    call_command("ombudsman_notify")
    call_command("ombudsman_notify")  # nothing new: no second mail
    (notice,) = OutboundEmail.objects.all()
    assert notice.to == [ombudsman.email] and "2 cases" in notice.body_text
    assert not any(c.case_code in notice.body_text for c in Concern.objects.all())


# --- 4: the case-code throttle holds across processes; the case page reloads -------


def test_4_failed_guesses_count_across_processes(client, ombudsman):
    concern, passphrase = raise_concern("Guarded")
    for n in range(5):
        client.post("/ombudsman/case/", {"case_code": concern.case_code, "passphrase": f"g{n}"})
        # A second worker process has its own local-memory cache: simulated by
        # emptying it. The count must not live there.
        cache.clear()
    right = {"case_code": concern.case_code, "passphrase": passphrase}
    blocked = client.post("/ombudsman/case/", right)
    assert blocked.status_code == 429
    text = blocked.content.decode()
    assert "guessing their way into a case" in text and "password" not in text
    # The time the page names is when the block really ends.
    retry_at = datetime.fromisoformat(re.search(r'datetime="([^"]+)"', text).group(1))
    with time_machine.travel(retry_at - timedelta(seconds=30), tick=False):
        assert client.post("/ombudsman/case/", right).status_code == 429
    with time_machine.travel(retry_at + timedelta(seconds=1), tick=False):
        assert client.post("/ombudsman/case/", right).status_code == 302


def test_4_the_case_page_is_safe_to_reload(client, ombudsman):
    concern, passphrase = raise_concern("Reloadable")
    response = client.post(
        "/ombudsman/case/", {"case_code": concern.case_code, "passphrase": passphrase}
    )
    assert response.status_code == 302
    for _ in range(2):  # a reload is a GET: no passphrase travels again
        assert "Reloadable" in client.get("/ombudsman/case/").text
    client.post("/ombudsman/case/", {"leave": "1"})
    assert "Reloadable" not in client.get("/ombudsman/case/").text


# --- 5: the address-confirmation limit ignores spelling and processes --------------


def test_5_the_address_limit_is_one_across_spellings_and_processes(client, ombudsman):
    statuses = []
    for spelling in (
        "Victim3@example.org",
        "VICTIM3@example.org",
        "victim3@EXAMPLE.org",
        "vIctim3@example.org",
    ):
        statuses.append(client.post("/ombudsman/concern/address/", {"email": spelling}).status_code)
        cache.clear()  # another worker process
    assert statuses == [200, 200, 200, 429]
    assert OutboundEmail.objects.count() == 3


# --- 6, 7: one concern per filled form; a named form never silently anonymous ------


def test_6_back_after_sending_shows_the_case_not_a_new_form(client, ombudsman):
    fields = _form(client)
    client.post("/ombudsman/concern/", {**fields, "text": "Only once"})
    back = client.get("/ombudsman/concern/").text
    assert "already been sent" in back and fields["case_code"] in back
    assert 'name="text"' not in back
    assert 'name="text"' in client.get("/ombudsman/concern/?new=1").text
    assert Concern.objects.count() == 1


def test_7_a_named_form_sent_after_the_session_ended_is_not_filed(client, personas, ombudsman):
    client.force_login(personas.member)
    fields = _form(client)
    assert fields["shown_as"] == "member"
    client.logout()
    response = client.post("/ombudsman/concern/", {**fields, "text": "My named words"})
    assert Concern.objects.count() == 0
    assert "you are not any more" in response.text and "My named words" in response.text


# --- 8: the reporter answers --------------------------------------------------------


def test_8_an_anonymous_reporter_answers_once_and_the_ombudsman_is_told(client, ombudsman):
    concern, passphrase = raise_concern("Question")
    call_command("ombudsman_notify")
    Concern.objects.update(unread=False)
    reply(concern, "Can you say more?", by=ombudsman)
    client.post("/ombudsman/case/", {"case_code": concern.case_code, "passphrase": passphrase})
    token = re.search(r'name="token" value="([^"]+)"', client.get("/ombudsman/case/").text)[1]
    for _ in range(2):
        response = client.post("/ombudsman/case/", {"token": token, "text": "Yes: more."})
        assert response.status_code == 302
    answer = Reply.objects.get(from_reporter=True)
    assert (answer.author, crypto.decrypt(answer.text_encrypted)) == (None, "Yes: more.")
    assert (answer.sent_at.hour, answer.sent_at.minute, answer.sent_at.second) == (0, 0, 0)
    assert Concern.objects.get().unread
    assert AccessLogEntry.objects.filter(action=AccessAction.REPORTER_REPLIED).count() == 1
    call_command("ombudsman_notify")
    assert "Yes: more." not in OutboundEmail.objects.order_by("-id").first().body_text
    assert OutboundEmail.objects.filter(to=[ombudsman.email]).count() == 2


def test_8_a_member_answers_on_their_case_page(client, personas, ombudsman):
    concern, _ = raise_concern("Named", member=personas.member)
    client.force_login(personas.member)
    url = f"/ombudsman/my/{concern.case_code}/"
    client.post(url, {"token": str(uuid.uuid4()), "text": "Member's answer"})
    assert "Member&#x27;s answer" in client.get(url).text


# --- 9: what is new, for the ombudsman ---------------------------------------------


def test_9_the_case_list_marks_news_and_puts_the_latest_activity_first(client, ombudsman):
    with time_machine.travel(datetime(2026, 1, 1, 12, tzinfo=UTC)):
        old, _ = raise_concern("Old")
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC)):
        new, _ = raise_concern("New")
    client.force_login(ombudsman)
    client.get(f"/ombudsman/cases/{old.case_code}/")  # read: no longer news
    page = client.get("/ombudsman/cases/").text
    assert page.index(new.case_code) < page.index(old.case_code)
    assert page.count('data-testid="unread"') == 1
    assert "/ombudsman/cases/" in client.get("/ombudsman/").text


# --- 10: wording -------------------------------------------------------------------


def test_10_a_member_without_a_name_is_labelled_and_sees_no_passphrase_card(client, ombudsman):
    nameless = UserFactory(email="bob@example.org", full_name="")
    concern, _ = raise_concern("Named", member=nameless)
    client.force_login(nameless)
    assert "Write them down now" not in client.get("/ombudsman/concern/").text
    client.force_login(ombudsman)
    page = client.get(f"/ombudsman/cases/{concern.case_code}/").text
    # Read as a sentence (second probe, 8), not "Member (named): <bob@example.org>".
    assert "From bob@example.org, a member, under their name" in page
    assert "&lt;bob@example.org&gt;" not in page
    assert concern.reporter_kind == ReporterKind.MEMBER


# --- 13: About points to the statement, the Code of Conduct and the ombudsman ------


def test_13_the_about_page_links_the_statement_the_code_and_the_ombudsman(client):
    page = client.get("/about/").text
    for url in ('href="/about/diversity/"', 'href="/about/code-of-conduct/"', 'href="/ombudsman/"'):
        assert url in page


# --- 14, 15: case codes as typed; form trivia --------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "abcd-efgh",
        "ABCDEFGH",
        "\uff41\uff42\uff43\uff44\uff0d\uff45\uff46\uff47\uff48",
        " AbCd efgh ",
        "abcd_efgh",
    ],
)
def test_14_a_case_code_is_found_however_it_is_typed(typed):
    assert normalise_code(typed) == "ABCD-EFGH"


def test_15_one_csrf_field_a_400_for_a_bogus_status_and_a_clear_tamper_message(client, ombudsman):
    page = client.get("/ombudsman/concern/").text
    assert page.count('name="csrfmiddlewaretoken"') == 1
    fields = _form(client)
    response = client.post(
        "/ombudsman/concern/", {**fields, "case_code": "NOT-A-CODE", "text": "Kept"}
    )
    assert "was not one this site made" in response.text and "Kept" in response.text
    concern, _ = raise_concern("Text")
    client.force_login(ombudsman)
    bogus = client.post(f"/ombudsman/cases/{concern.case_code}/status/", {"status": "bogus"})
    assert bogus.status_code == 400


# --- Second probe (December 2026): findings numbered as in its report ----------------


def test_p2_1_no_one_adds_verifies_or_unverifies_the_holders_address_in_the_admin(
    client, personas, ombudsman
):
    from allauth.account.models import EmailAddress

    client.force_login(personas.staff)  # a superuser
    own = EmailAddress.objects.get(user=ombudsman)
    url = "/admin/account/emailaddress/"
    added = client.post(
        f"{url}add/",
        {"user": ombudsman.pk, "email": "taker@example.org", "verified": "on", "primary": ""},
    )
    assert "belongs to the current ombudsman" in added.text
    # Changing the holder's row (to unverified) or moving another row onto the holder.
    client.post(f"{url}{own.pk}/change/", {"user": ombudsman.pk, "email": own.email})
    other = EmailAddress.objects.get(user=personas.member)
    moved = client.post(
        f"{url}{other.pk}/change/",
        {"user": ombudsman.pk, "email": other.email, "verified": "on"},
    )
    assert "belongs to the current ombudsman" in moved.text
    assert client.post(f"{url}{own.pk}/delete/", {"post": "yes"}).status_code == 403
    pending = EmailAddress.objects.create(user=ombudsman, email="ombuds2@example.org")
    for action in ("make_verified", "delete_selected"):
        client.post(
            url, {"action": action, "_selected_action": [pending.pk, own.pk], "post": "yes"}
        )
    assert sorted(EmailAddress.objects.filter(user=ombudsman).values_list("email", "verified")) == [
        ("ombuds2@example.org", False),
        ("ombuds@example.org", True),
    ]
    other.refresh_from_db()
    assert other.user == personas.member
    # An ordinary member's address is still the superuser's to fix.
    spare = EmailAddress.objects.create(user=personas.member, email="spare@example.org")
    client.post(url, {"action": "make_verified", "_selected_action": [spare.pk]})
    spare.refresh_from_db()
    assert spare.verified


def _address_link(client) -> str:
    client.post("/ombudsman/concern/address/", {"email": "Visitor.Name@Example.org"})
    body = OutboundEmail.objects.filter(domain="ombudsman").latest("id").body_text
    return re.search(r"(/ombudsman/concern/\?address=\S+)", body)[1]


def test_p2_3_the_address_link_carries_the_address_encrypted(client, ombudsman):
    import base64
    import binascii

    link = _address_link(client)
    token = link.split("address=", 1)[1]
    readable = token
    for decode in (base64.urlsafe_b64decode, base64.b64decode):
        for padded in (token, token.split(":")[0], *token.split(":")):
            with contextlib.suppress(binascii.Error, ValueError):
                readable += decode(padded + "=" * (-len(padded) % 4)).decode("latin-1")
    for part in ("visitor", "example", "Visitor"):
        assert part not in readable.lower(), part
    # It still opens the form from that address, for a day.
    page = client.get(link)
    assert page.status_code == 200 and "visitor.name@example.org" in page.text
    assert page.headers["Referrer-Policy"] == "strict-origin"
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1, minutes=1)):
        assert client.get(link).status_code == 400


def test_p2_3_the_concern_pages_send_no_path_in_a_referer(client, ombudsman):
    for url in ("/ombudsman/concern/", "/ombudsman/concern/address/"):
        assert client.get(url).headers["Referrer-Policy"] == "strict-origin", url
    fields = _form(client)
    sent = client.post("/ombudsman/concern/", {**fields, "text": "A concern", "anonymous": "on"})
    assert sent.headers["Referrer-Policy"] == "strict-origin"
    # Elsewhere the site-wide policy stands.
    assert client.get("/ombudsman/").headers["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY


def test_p2_3_a_forged_or_foreign_token_opens_nothing(client, ombudsman):
    sealed = crypto.seal_for_link("another.purpose", "victim@example.org")
    assert client.get(f"/ombudsman/concern/?address={sealed}").status_code == 400
    assert client.get("/ombudsman/concern/?address=bm90LWEtdG9rZW4").status_code == 400


def test_p2_3_without_a_key_no_link_is_mailed(client, ombudsman, settings):
    settings.OMBUDSMAN_ENCRYPTION_KEYS = []
    response = client.post("/ombudsman/concern/address/", {"email": "v@example.org"})
    assert response.status_code == 503
    assert not OutboundEmail.objects.filter(domain="ombudsman").exists()


@pytest.mark.parametrize(
    ("days", "saved"), [("800000", 730), ("3651", 730), ("29", 730), ("3650", 3650)]
)
def test_p2_5_the_retention_period_is_bounded(client, ombudsman, days, saved):
    from ombudsman.models import OfficeSettings

    client.force_login(ombudsman)
    response = client.post("/ombudsman/cases/retention/", {"retention_days": days})
    assert response.status_code in (200, 302)
    assert OfficeSettings.get_solo().retention_days == saved
    if saved == 730:
        assert "Keep concerns for at" in response.text


def test_p2_5_the_retention_command_survives_a_huge_stored_period(ombudsman):
    from ombudsman.models import OfficeSettings

    OfficeSettings.objects.update_or_create(pk=1, defaults={"retention_days": 800000})
    raise_concern("Kept")
    call_command("ombudsman_delete_expired")
    assert Concern.objects.count() == 1


def test_p2_6_the_conversation_reads_in_the_order_written(client, ombudsman):
    concern, passphrase = raise_concern("Question")
    morning = timezone.localtime().replace(hour=7, minute=32)
    with time_machine.travel(morning, tick=False):
        reply(concern, "First reply", by=ombudsman)
        client.post("/ombudsman/case/", {"case_code": concern.case_code, "passphrase": passphrase})
        page = client.get("/ombudsman/case/").text
        token = re.search(r'name="token" value="([^"]+)"', page)[1]
        client.post("/ombudsman/case/", {"token": token, "text": "My answer"})
        reporter_page = client.get("/ombudsman/case/").text
    assert reporter_page.index("First reply") < reporter_page.index("My answer")
    client.force_login(ombudsman)
    page = client.get(f"/ombudsman/cases/{concern.case_code}/").text
    assert page.index("First reply") < page.index("My answer")
    # The reply's time is shown; the answer's day only (it is stored at 00:00).
    assert "07:32" in page and "00:00" not in page
    cases = client.get("/ombudsman/cases/").text
    row = cases[cases.index(concern.case_code) :]
    assert re.search(r"<td>1</td>\s*<td>1</td>", row)  # one reply, one answer
    assert "Your replies" in cases and "Reporter's answers" in cases


def test_p2_7_the_docs_promise_no_more_than_the_outbox_keeps():
    """Gaps in the outbox's row numbers show that unseen mail was queued: the promise
    is worded to match, and the limitation is listed where the docs say what the
    portal cannot prevent."""
    docs = (settings.BASE_DIR / "docs" / "ombudsman.md").read_text()
    assert "not even that such mail exists" not in docs
    cannot = docs[docs.index("## What the portal cannot prevent") :]
    assert "Gaps in the outbox's row numbers" in cannot
