import pytest
from django.contrib.auth.models import Group, Permission

from accounts.enums import Role

# The executive committee's permissions for this app, as elections/admin.py lists them
# for the role table (accounts/roles.py): until that table lands, tests give them here.
GRANTS = {
    "office": ["add", "change", "view"],
    "term": ["add", "change", "delete", "view"],
    "election": ["add", "change", "view"],
    "contest": ["add", "change", "delete", "view"],
    "candidacy": ["change", "view"],
    "rolegrant": ["view"],
}


@pytest.fixture(autouse=True)
def _executive_committee_grants(db):
    group = Group.objects.get(name=Role.EXECUTIVE_COMMITTEE)
    for model, actions in GRANTS.items():
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="elections", codename__in=codenames)
        )
