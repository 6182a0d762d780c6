"""Demo accounts for local runs. Every one is invented and labelled as demo data."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.enums import CareerStage, Role
from accounts.models import User

# Local demo only: load_demo refuses to run with DEBUG off.
DEMO_PASSWORD = "gds-demo-password"  # noqa: S105 -- public demo login, DEBUG only

DEMO_USERS = [
    # email, full name, role, superuser
    ("admin@demo.gds.example.org", "Demo Administrator", None, True),
    ("member@demo.gds.example.org", "Demo Member", None, False),
    ("editor@demo.gds.example.org", "Demo Newsletter Editor", Role.NEWSLETTER_EDITORS, False),
    ("program@demo.gds.example.org", "Demo Program Committee", Role.PROGRAM_COMMITTEE, False),
    ("webinars@demo.gds.example.org", "Demo Webinar Committee", Role.WEBINAR_COMMITTEE, False),
    ("crrg@demo.gds.example.org", "Demo CRRG Coordinator", Role.CRRG_COORDINATORS, False),
    ("exec@demo.gds.example.org", "Demo Executive Committee", Role.EXECUTIVE_COMMITTEE, False),
]


def load(stdout) -> None:
    for email, name, role, superuser in DEMO_USERS:
        user = User.objects.with_email(email).first()
        if user is None:
            user = User(email=email, is_superuser=superuser)
            user.set_password(DEMO_PASSWORD)
        user.full_name = name
        user.affiliation = "Demo University (demo data)"
        user.career_stage = CareerStage.POSTDOC
        user.is_staff = superuser or role is not None
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    stdout.write(f"Demo logins (password {DEMO_PASSWORD!r}):")
    for email, _name, role, superuser in DEMO_USERS:
        stdout.write(f"  {email:34} {'superuser' if superuser else (role or 'member')}")
