"""One naming scheme for mail (issue 22): `templates/emails/<app>/<name>-<part>`.

Each app's mail lies in a folder named by the app's label, each name is kebab-case
and has its subject, text body and HTML body, and every name the code sends exists.
Templates and senders are read from the files (tests/gds_portal/mail_templates.py),
so a new mail is held to this the day it lands. Mail domains claim those folders, or
a template in one, never a bare prefix of names.
"""

import ast

import pytest
from django.core.exceptions import ImproperlyConfigured

from gds_portal.mail import MailDomain, MailDomains, mail_domains
from tests.gds_portal import mail_templates
from tests.gds_portal.mail_templates import PARTS, TEMPLATE_FILE


def test_every_mail_template_file_is_in_an_apps_folder_with_a_kebab_case_name():
    labels = mail_templates.our_app_labels()
    misplaced = [
        file
        for file in mail_templates.template_files()
        if not (match := TEMPLATE_FILE.fullmatch(file)) or match["app"] not in labels
    ]
    assert misplaced == []


def test_every_mail_template_has_a_subject_a_text_body_and_an_html_body():
    incomplete = {
        name: sorted(set(PARTS) - parts)
        for name, parts in mail_templates.template_parts().items()
        if parts != set(PARTS)
    }
    assert incomplete == {}


def test_every_template_name_the_code_sends_exists():
    found = mail_templates.senders()
    assert found.unreadable == []
    missing = {
        module: sorted(names - set(mail_templates.template_names()))
        for module, names in found.names.items()
        if names - set(mail_templates.template_names())
    }
    assert missing == {}


def test_every_mail_template_is_sent_by_the_code():
    # A template nothing sends is dead text that still has to be kept safe.
    sent = set().union(*mail_templates.senders().names.values())
    assert sorted(set(mail_templates.template_names()) - sent) == []


def test_the_sender_reader_sees_every_way_the_code_names_a_template():
    # The two ways the site's code names a mail today: literally, and passed on
    # through a helper (the ombudsman's notices). If the reader missed one, the
    # tests above would pass over that mail unchecked.
    names = mail_templates.senders().names
    assert names["ombudsman/services.py"] == {
        "ombudsman/account-changed",
        "ombudsman/new-concern",
        "ombudsman/office-passed",
        "ombudsman/office-terms-changed",
        "ombudsman/reply-waiting",
        "ombudsman/verify-address",
    }
    assert names["meetings/selectors/decisions.py"] == {"meetings/abstract-decision"}


def test_a_sender_whose_template_name_cannot_be_read_is_reported():
    tree = ast.parse(
        "from gds_portal.mail import send_template_mail as send\n"
        "def notify(kind):\n"
        "    send('crrg/' + kind, to=[], context={})\n"
        "def remind(template):\n"
        "    send(template, to=[], context={})\n"
        "remind(TEMPLATE)\n"
    )
    assert mail_templates._sent_names(tree) == (set(), [3, 5])


@pytest.mark.parametrize("claim", ["abstract-", "crrg", "/notice", "Crrg/", "crrg/group_message"])
def test_a_mail_domain_claims_only_a_template_folder_or_a_name_in_one(claim):
    with pytest.raises(ImproperlyConfigured, match="claim a template folder"):
        MailDomains().register(MailDomain("loose", (claim,), None))


def test_two_mail_domains_never_claim_the_same_folder_or_name():
    domains = MailDomains()
    domains.register(MailDomain("crrg", ("crrg/", "crrg/group-message"), None))
    for claim in ("crrg/", "crrg/group-message"):
        with pytest.raises(ImproperlyConfigured, match="another domain owns"):
            domains.register(MailDomain("other", (claim,), None))


def test_a_template_named_by_a_domain_is_its_own_not_its_folders():
    # A draft's reminder lies in the meetings folder but no committee reads it.
    labels = [
        mail_domains.for_template(name).label
        for name in ("meetings/abstract-reminder", "meetings/abstract-receipt")
    ]
    assert labels == ["meetings-drafts", "meetings"]
    # Old flat names belong to no domain: stored rows were renamed (gds_portal 0007).
    assert mail_domains.for_template("abstract-receipt") is None


def test_a_test_can_register_and_unregister_a_mail_domain():
    domains = MailDomains()
    domains.register(MailDomain("tests", ("tests/",), None))
    assert domains.for_template("tests/notice").label == "tests"
    domains.unregister("tests")
    assert (domains.labels(), domains.for_template("tests/notice")) == ([], None)
