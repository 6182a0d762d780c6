import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from accounts.enums import Role
from accounts.roles import ROLE_PERMISSIONS, sync_roles
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _perms(role: Role) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def _every_role() -> dict[str, set[str]]:
    return {role: _perms(role) for role in Role}


TABLE = {role: set(ROLE_PERMISSIONS[role]) for role in Role}


@pytest.fixture
def _content_types_cache_cleared():
    # migrate refills ContentType's cache inside the test's transaction; the rows it
    # caches are rolled back afterwards.
    yield
    ContentType.objects.clear_cache()


def test_every_committee_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_every_role_holds_exactly_its_row_of_the_table_after_migrate():
    # The test database was made by `migrate` on an empty database.
    assert _every_role() == TABLE


@pytest.mark.usefixtures("_content_types_cache_cleared")
def test_migrate_without_roles_or_permissions_makes_the_table_and_again_changes_nothing():
    Group.objects.all().delete()
    Permission.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert _every_role() == TABLE
    rows = sorted(Group.permissions.through.objects.values_list("group__name", "permission_id"))
    call_command("migrate", verbosity=0)
    assert _every_role() == TABLE
    assert (
        sorted(Group.permissions.through.objects.values_list("group__name", "permission_id"))
        == rows
    )


@pytest.mark.usefixtures("_content_types_cache_cleared")
def test_migrate_takes_back_a_permission_added_by_hand_and_restores_one_removed():
    editors = Group.objects.get(name=Role.NEWSLETTER_EDITORS)
    editors.permissions.add(Permission.objects.get(codename="change_group"))
    editors.permissions.remove(Permission.objects.get(codename="publish_issue"))
    call_command("migrate", verbosity=0)
    assert _perms(Role.NEWSLETTER_EDITORS) == TABLE[Role.NEWSLETTER_EDITORS]


def test_the_roles_sync_leaves_groups_that_are_not_roles_alone():
    helpers = Group.objects.create(name="Helpers")
    helpers.permissions.add(Permission.objects.get(codename="view_person"))
    sync_roles()
    assert list(helpers.permissions.values_list("codename", flat=True)) == ["view_person"]


def test_a_permission_missing_from_the_database_is_named_and_the_rest_applied(monkeypatch):
    row = ROLE_PERMISSIONS[Role.CRRG_COORDINATORS] | {"crrg.fly_interestgroup"}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.CRRG_COORDINATORS, row)
    Group.objects.get(name=Role.CRRG_COORDINATORS).permissions.clear()
    with pytest.warns(UserWarning, match=r"no such permission crrg\.fly_interestgroup"):
        sync_roles()
    assert _perms(Role.CRRG_COORDINATORS) == TABLE[Role.CRRG_COORDINATORS]


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
