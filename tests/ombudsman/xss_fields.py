"""XSS corpus fields of the ombudsman (see tests/security/xss.py).

Concern text and replies are stored encrypted (binary columns the registry walk does
not list), so the payloads go in through the services, and the walk reads them where
they are decrypted: the ombudsman's case page and the named reporter's own page.
The walking superuser is made the ombudsman (and the reporter) for that: a superuser
as such reads no concern (tests/ombudsman/test_confidentiality.py).
"""

import uuid

from ombudsman.enums import AccessAction
from ombudsman.models import AccessLogEntry, Concern
from ombudsman.services import concern_raise, concern_reply, new_passphrase, reporter_answer
from tests.factories.ombudsman import appoint

CODE = "XSSA-2345"


def seed(corpus) -> list[str]:
    term = appoint(corpus.user)
    concern_raise(
        text=corpus.text("ombudsman concern text", 1000),
        token=uuid.uuid4(),
        case_code=CODE,
        passphrase=new_passphrase(),
        member=corpus.user,
    )
    concern = Concern.objects.get(case_code=CODE)
    concern_reply(
        concern=concern,
        text=corpus.text("ombudsman reply", 1000),
        by=corpus.user,
        token=uuid.uuid4(),
    )
    reporter_answer(
        concern=concern,
        text=corpus.text("ombudsman reporter answer", 1000),
        by=corpus.user,
        token=uuid.uuid4(),
    )
    # What a change of the office's terms did, in the log the holders read: it names
    # people (profile names, which committees write), so it is text like any other.
    AccessLogEntry.objects.create(
        action=AccessAction.TERMS_CHANGED,
        actor=corpus.user,
        detail=corpus.text("ombudsman access log detail", 500),
    )
    return [
        f"/ombudsman/cases/{CODE}/",
        f"/ombudsman/my/{CODE}/",
        "/ombudsman/cases/",
        "/ombudsman/cases/log/",
        "/ombudsman/",
        f"/admin/elections/term/{term.pk}/change/",
    ]
