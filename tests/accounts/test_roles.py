import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.enums import Role
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _perms(role: Role) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_every_committee_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_foundation_permissions_of_each_role():
    assert {"community.add_person", "community.change_person", "community.view_person"} <= _perms(
        Role.NEWSLETTER_EDITORS
    )
    assert "gds_portal.view_outboundemail" in _perms(Role.EXECUTIVE_COMMITTEE)
    assert "flatpages.change_flatpage" in _perms(Role.EXECUTIVE_COMMITTEE)
    for role in (
        Role.NEWSLETTER_EDITORS,
        Role.PROGRAM_COMMITTEE,
        Role.WEBINAR_COMMITTEE,
        Role.CRRG_COORDINATORS,
    ):
        # Every committee has the outbox (issue 15, break 9), where the admin shows
        # it only its own domain's mail (tests/gds_portal/test_mail_admin.py).
        outbox = {"gds_portal.view_outboundemail", "gds_portal.change_outboundemail"}
        assert outbox <= _perms(role)
        others = _perms(role) - outbox
        assert not any(p.startswith(("gds_portal.", "auth.", "flatpages.")) for p in others)
    assert not any(p.startswith("auth.") for p in _perms(Role.EXECUTIVE_COMMITTEE))


def test_role_command_grants_and_revokes_admin_access():
    user = UserFactory(email="Jane@Example.org")
    call_command("role", "grant", "jane@example.org", "Program committee")
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["Program committee"]
    assert user.is_staff is True
    call_command("role", "revoke", "jane@example.org", "Program committee")
    user.refresh_from_db()
    assert (list(user.groups.all()), user.is_staff) == ([], False)


def test_role_command_names_unknown_email():
    with pytest.raises(CommandError, match=r"No account has the email address nobody@example\.org"):
        call_command("role", "grant", "nobody@example.org", "Program committee")


@pytest.mark.parametrize(
    ("persona", "url", "allowed"),
    [
        ("newsletter_editor", "/admin/community/person/", True),
        ("newsletter_editor", "/admin/community/unit/add/", False),
        ("newsletter_editor", "/admin/auth/group/", False),
        ("program_committee", "/admin/community/unit/", True),
        ("crrg_coordinator", "/admin/community/person/add/", False),
        ("executive", "/admin/flatpages/flatpage/", True),
        ("executive", "/admin/accounts/user/", True),
        ("member", "/admin/", False),
    ],
)
def test_committee_roles_reach_only_their_admin_pages(personas, client_for, persona, url, allowed):
    response = client_for(getattr(personas, persona)).get(url)
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 403}
