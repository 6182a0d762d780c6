"""Demo content: one anonymous concern with the demo ombudsman's reply. Invented, labelled.

The demo ombudsman (ombudsman@demo.gds.example.org) holds the office through a term
of the "Ombudsman" office, which the elections demo appoints (elections loads first:
INSTALLED_APPS); this demo uses whoever holds the office.
"""

import uuid

from ombudsman import crypto
from ombudsman.models import Concern
from ombudsman.selectors import holder_account
from ombudsman.services import concern_raise, concern_reply

# Published with the demo, so the journey can be tried: never a real case.
DEMO_CASE_CODE = "DEMY-2345"
DEMO_PASSPHRASE = "rest-easy-safe-what-ware-2345"  # noqa: S105 -- a public demo value


def load(stdout) -> None:
    holder = holder_account()
    if holder is None:
        stdout.write("Ombudsman: the office is vacant (no term), so no demo concern.")
        return
    if not crypto.is_available():
        stdout.write("Ombudsman: no OMBUDSMAN_ENCRYPTION_KEYS, so no demo concern.")
        return
    if not Concern.objects.filter(case_code=DEMO_CASE_CODE).exists():
        concern_raise(
            text="(Demo concern, invented.) At a session last month a question from a "
            "student was dismissed with a joke about her accent. I would like to know "
            "how GDS handles this kind of thing.",
            token=uuid.uuid4(),
            case_code=DEMO_CASE_CODE,
            passphrase=DEMO_PASSPHRASE,
        )
        concern_reply(
            concern=Concern.objects.get(case_code=DEMO_CASE_CODE),
            text="(Demo reply, invented.) Thank you for telling me. I will speak with the "
            "session chairs without naming you, and I will write here again within two weeks.",
            by=holder,
            token=uuid.uuid4(),
        )
    stdout.write(
        f"Ombudsman: {holder.email} (password as above); demo concern {DEMO_CASE_CODE}, "
        f"passphrase {DEMO_PASSPHRASE} at /ombudsman/case/."
    )
