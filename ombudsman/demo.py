"""Demo content: an ombudsman and one anonymous concern with a reply. Invented, labelled."""

import uuid

from django.utils import timezone

from accounts.models import User
from ombudsman import crypto
from ombudsman.models import Concern, OmbudsmanAssignment
from ombudsman.services import concern_raise, concern_reply, ombudsman_assign

DEMO_OMBUDSMAN = ("ombudsman@demo.gds.example.org", "Demo Ombudsman")
# Published with the demo, so the journey can be tried: never a real case.
DEMO_CASE_CODE = "DEMY-2345"
DEMO_PASSPHRASE = "rest-easy-safe-what-ware-2345"  # noqa: S105 -- a public demo value


def load(stdout) -> None:
    from allauth.account.models import EmailAddress

    from accounts.demo import DEMO_PASSWORD

    email, name = DEMO_OMBUDSMAN
    holder = User.objects.with_email(email).first()
    if holder is None:
        holder = User(email=email, full_name=name)
        holder.set_password(DEMO_PASSWORD)
        holder.save()
        EmailAddress.objects.create(user=holder, email=email, verified=True, primary=True)
    if not OmbudsmanAssignment.objects.current().filter(holder=holder).exists():
        executive = User.objects.with_email("exec@demo.gds.example.org").first()
        OmbudsmanAssignment.objects.filter(ends_on__isnull=True).delete()
        ombudsman_assign(holder=holder, starts_on=timezone.localdate(), by=executive)
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
        f"Ombudsman: {email} (password as above); demo concern {DEMO_CASE_CODE}, "
        f"passphrase {DEMO_PASSPHRASE} at /ombudsman/case/."
    )
