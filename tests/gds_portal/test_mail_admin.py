"""Who reads what in the outbox admin (issue 15, breaks 1 and 9).

Each committee reads only its own domain's mail; account mail (verification,
password reset) is seen by superusers alone, and then only as metadata; no one
sees a personal link, and no one can search or filter on what a mail says.
"""

import pytest
from django.db import transaction

from gds_portal.mail import mail_domains, send_template_mail
from gds_portal.models import OutboundEmail
from tests.gds_portal.conftest import NOTICE, TEST_DOMAIN
from tests.gds_portal.mail_templates import template_names

# The test-only domain (tests/gds_portal/conftest.py) gives the executive committee
# mail of its own here; in production it reads no committee's mail.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("notice_mail")]

OUTBOX = "/admin/gds_portal/outboundemail/"
# The one persona that reads each domain's mail.
READER = {
    "meetings": "program_committee",
    "webinars": "webinar_committee",
    "crrg": "crrg_coordinator",
    "newsletters": "newsletter_editor",
    TEST_DOMAIN.label: "executive",
}
# Rows no committee reads: account mail, a draft's reminder (drafts are the
# author's alone), survey invitations and reminders, and mail no app has claimed.
SUPERUSER_ONLY = ["accounts", "meetings-drafts", "surveys", ""]
DOMAINS = [*READER, *SUPERUSER_ONLY]
TOKEN = "PERSONAL-TOKEN-4711"


def _mail_per_domain() -> dict[str, OutboundEmail]:
    rows = {}
    for domain in DOMAINS:
        link = f"https://gds.example.org/{domain or 'x'}/leave/{TOKEN}-{domain}/"
        rows[domain] = OutboundEmail.objects.create(
            domain=domain,
            to=[f"reader-of-{domain or 'nothing'}@example.org"],
            subject=f"Subject for {domain or 'nothing'}",
            status="failed",
            body_text=f"Leave this group: {link}",
            body_html=f"<a href='{link}'>leave</a>",
            headers={"List-Unsubscribe": f"<{link}>", "X-GDS-Abstract": "MAR21-000007"},
            sensitive=domain == "accounts",
        )
    return rows


def _subjects_seen(page: str) -> list[str]:
    return [domain for domain in DOMAINS if f"Subject for {domain or 'nothing'}" in page]


def _recipients_seen(page: str) -> list[str]:
    return [domain for domain in DOMAINS if f"reader-of-{domain or 'nothing'}@" in page]


@pytest.mark.parametrize("domain", list(READER))
def test_outbox_each_role_lists_only_its_own_domains_mail(personas, client_for, domain):
    _mail_per_domain()
    page = client_for(getattr(personas, READER[domain])).get(OUTBOX, {"status": "all"}).text
    assert (_subjects_seen(page), _recipients_seen(page)) == ([domain], [domain])


@pytest.mark.parametrize("domain", list(READER))
def test_outbox_each_role_opens_no_other_domains_mail(personas, client_for, domain):
    rows = _mail_per_domain()
    client = client_for(getattr(personas, READER[domain]))
    opened = []
    for other, row in rows.items():
        for view in ("change", "history"):
            response = client.get(f"{OUTBOX}{row.pk}/{view}/", follow=True)
            if f"Subject for {other or 'nothing'}" in response.text:
                opened.append((other, view))
            assert f"reader-of-{other or 'nothing'}@" not in response.text or other == domain
    assert opened == [(domain, "change"), (domain, "history")]


def test_outbox_superuser_lists_every_domain_including_account_mail(personas, client_for):
    _mail_per_domain()
    page = client_for(personas.staff).get(OUTBOX, {"status": "all"}).text
    assert (_subjects_seen(page), _recipients_seen(page)) == (DOMAINS, DOMAINS)


@pytest.mark.parametrize("persona", ["staff", *READER.values()])
def test_outbox_never_shows_a_personal_link_or_html_body(personas, client_for, persona):
    rows = _mail_per_domain()
    client = client_for(getattr(personas, persona))
    shown = []
    for row in rows.values():
        page = client.get(f"{OUTBOX}{row.pk}/change/", follow=True).text
        shown += [row.domain for marker in (TOKEN, "leave</a>") if marker in page]
    assert shown == []


def test_outbox_superuser_sees_account_mail_metadata_but_never_its_body(personas, client_for):
    row = _mail_per_domain()["accounts"]
    page = client_for(personas.staff).get(f"{OUTBOX}{row.pk}/change/").text
    assert "Subject for accounts" in page
    assert "Leave this group" not in page
    assert "hidden: this account mail carries a one-time secret" in page


def test_outbox_links_are_redacted_but_the_rest_of_the_text_stays(personas, client_for):
    row = _mail_per_domain()["crrg"]
    page = client_for(personas.crrg_coordinator).get(f"{OUTBOX}{row.pk}/change/").text
    assert "Leave this group: [link removed]" in page
    assert "MAR21-000007" in page  # a header that is not a link stays readable


# URL lookups an attacker would use as an oracle on what a message says or whom
# it is for (break 1: ~255 requests recovered a reset link through `?body_text__regex`).
ORACLE_LOOKUPS = [
    {"body_text__regex": "^Leave"},
    {"body_text__contains": TOKEN},
    {"body_html__icontains": "leave"},
    {"headers__icontains": TOKEN},
    {"headers__has_key": "List-Unsubscribe"},
    {"to__icontains": "reader-of"},
    {"subject__regex": "^Subject"},
    {"sensitive__exact": "1"},
    {"sensitive": "1"},
    {"domain__exact": "accounts"},
    {"template__startswith": "a"},
    {"last_error__contains": "x"},
    {"from_email__contains": "@"},
    {"claim_token__isnull": "False"},
    {"id__gt": "0"},
]


@pytest.mark.parametrize("persona", ["staff", "executive", "crrg_coordinator"])
@pytest.mark.parametrize("lookup", ORACLE_LOOKUPS, ids=lambda lookup: next(iter(lookup)))
def test_outbox_refuses_lookups_on_anything_but_status_and_time(
    personas, client_for, persona, lookup
):
    _mail_per_domain()
    client = client_for(getattr(personas, persona))
    client.raise_request_exception = False
    response = client.get(OUTBOX, {"status": "all", **lookup})
    assert (response.status_code, _subjects_seen(response.text)) == (400, [])


@pytest.mark.parametrize("persona", ["staff", "crrg_coordinator"])
def test_outbox_search_never_matches_bodies_headers_or_links(personas, client_for, persona):
    _mail_per_domain()
    client = client_for(getattr(personas, persona))
    found = [
        term
        for term in (TOKEN, "Leave this group", "List-Unsubscribe", "MAR21-000007", "leave</a>")
        if _subjects_seen(client.get(OUTBOX, {"status": "all", "q": term}).text)
    ]
    assert found == []


def test_outbox_filters_by_status_time_and_own_domain_still_work(personas, client_for):
    _mail_per_domain()
    client = client_for(personas.staff)
    assert _subjects_seen(client.get(OUTBOX, {"status": "failed", "domain": "crrg"}).text) == [
        "crrg"
    ]
    assert _subjects_seen(client.get(OUTBOX, {"status": "sent"}).text) == []
    year = OutboundEmail.objects.first().created_at.year
    assert _subjects_seen(client.get(OUTBOX, {"status": "all", "created_at__year": year}).text) == (
        DOMAINS
    )
    coordinator = client_for(personas.crrg_coordinator)
    # Asking for another domain's mail by the filter shows nothing of it.
    other_domain = coordinator.get(OUTBOX, {"status": "all", "domain": "meetings"})
    assert _subjects_seen(other_domain.text) == []


# Whose mail each template is. A new template fails here until its app registers
# it (mail no app claimed is readable by superusers only: safe, but its committee
# would not find it) and someone decides here who reads it.
TEMPLATE_DOMAINS = {
    "crrg/group-message": "crrg",
    # Whichever committee runs the survey, and a reminder says a draft waits: the
    # recipients' alone (docs/surveys.md).
    "crrg/survey-invitation": "surveys",
    "crrg/survey-reminder": "surveys",
    "elections/ballot-cast": "elections",
    "elections/nominee-ask": "elections",
    "elections/vote-reminder": "elections",
    "meetings/abstract-decision": "meetings",
    "meetings/abstract-receipt": "meetings",
    "meetings/abstract-reminder": "meetings-drafts",
    "meetings/speaker-confirmation": "meetings",
    # A reviewer's open count and a link to their queue: the committee's own mail.
    "meetings/reviewer-reminder": "meetings",
    "newsletters/confirm-subscription": "newsletters",
    "newsletters/full-issue": "newsletters",
    "newsletters/issue-announcement": "newsletters",
    # Notices with links only, never concern text; a private domain: no one, not even a
    # superuser, lists the office's mail (tests/ombudsman/test_probe_findings.py).
    "ombudsman/account-changed": "ombudsman",
    "ombudsman/new-concern": "ombudsman",
    "ombudsman/office-passed": "ombudsman",
    "ombudsman/office-terms-changed": "ombudsman",
    "ombudsman/reply-waiting": "ombudsman",
    "ombudsman/verify-address": "ombudsman",
    "webinars/nomination-ack": "webinars",
    "webinars/nomination-new": "webinars",
    "webinars/nomination-status": "webinars",
    "webinars/nomination-status-nominee": "webinars",
    "webinars/speaker-invitation": "webinars",
    "webinars/speaker-answered": "webinars",
    "webinars/run-sheet": "webinars",
    "webinars/replay-available": "webinars",
    # The committee sees who registered anyway; links (the join link, signed links) are
    # redacted in the outbox admin like every link.
    "webinars/registration-confirm": "webinars",
    "webinars/registration-confirmed": "webinars",
    "webinars/registration-reminder": "webinars",
    "webinars/registration-waiting": "webinars",
    "webinars/webinar-cancelled": "webinars",
    # Attendance is the committee's own record, and who asked for announcements is
    # the committee's mailing list, as the newsletter's subscribers are its editors'.
    "webinars/feedback-request": "webinars",
    "webinars/webinar-announcement": "webinars",
}


def test_every_mail_template_belongs_to_the_domain_that_may_read_it():
    found = {
        name: getattr(mail_domains.for_template(name), "label", None) for name in template_names()
    }
    assert found == TEMPLATE_DOMAINS


def test_draft_reminders_are_read_by_no_committee(personas, client_for):
    # Break 8's rule (drafts are the author's alone) holds in the outbox too: the
    # reminder names the draft.
    rows = _mail_per_domain()
    url = f"{OUTBOX}{rows['meetings-drafts'].pk}/change/"
    seen = [
        persona
        for persona in ("staff", *READER.values())
        if "Subject for meetings-drafts" in client_for(getattr(personas, persona)).get(url).text
    ]
    assert seen == ["staff"]


def test_send_template_mail_records_template_and_domain(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_template_mail(NOTICE, to=["a@example.org"], context={"name": "A"})
    row = OutboundEmail.objects.get()
    assert (row.template, row.domain, row.sensitive) == (NOTICE, TEST_DOMAIN.label, False)


def test_account_mail_is_tagged_accounts_and_sensitive(client):
    from tests.factories.accounts import UserFactory

    UserFactory(email="grace@example.org")
    with transaction.atomic():
        client.post("/accounts/password/reset/", {"email": "grace@example.org"})
    row = OutboundEmail.objects.get(to=["grace@example.org"])
    assert (row.domain, row.sensitive) == ("accounts", True)


@pytest.mark.parametrize("persona", ["staff", "crrg_coordinator"])
def test_outbox_message_page_is_read_only(personas, client_for, persona):
    # Saving the page would write back the status it was loaded with, over the
    # worker's "sent" in the meantime, and the message would go out again.
    row = _mail_per_domain()["crrg"]
    OutboundEmail.objects.filter(pk=row.pk).update(status="sent")
    client = client_for(getattr(personas, persona))
    page = client.get(f"{OUTBOX}{row.pk}/change/")
    response = client.post(f"{OUTBOX}{row.pk}/change/", {"_save": "Save"})
    row.refresh_from_db()
    assert (page.status_code, response.status_code, row.status) == (200, 403, "sent")
    assert 'name="_save"' not in page.text
