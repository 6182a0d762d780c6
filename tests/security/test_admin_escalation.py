"""No committee role can raise its own (or anyone's) power through the admin.

Issue 15 asks the admin boundary suite to look for escalation through the User
and Group admins: a committee member granting itself groups, permissions,
is_staff or is_superuser, or editing its own account. Today only the executive
committee reaches the User admin, and only to view; these tests hold that, and
hold that a role given `change_user` later still cannot hand out power (only a
superuser grants roles).
"""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.enums import Role
from accounts.models import User

pytestmark = [pytest.mark.django_db]


def user_form(user, **changes) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "affiliation": user.affiliation,
        "country": "",
        "career_stage": "",
        "orcid": "",
        "aps_member_number": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def power(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


@pytest.mark.parametrize(
    "persona",
    [
        "newsletter_editor",
        "program_committee",
        "webinar_committee",
        "crrg_coordinator",
        "executive",
    ],
)
def test_committee_cannot_make_itself_superuser(personas, client_for, persona):
    me = getattr(personas, persona)
    before = power(me)
    executive = Group.objects.get(name=Role.EXECUTIVE_COMMITTEE)
    response = client_for(me).post(
        f"/admin/accounts/user/{me.pk}/change/",
        user_form(me, is_superuser="on", groups=[str(executive.pk)]),
    )
    assert response.status_code == 403
    assert power(me) == before


@pytest.mark.parametrize(
    "persona",
    [
        "newsletter_editor",
        "program_committee",
        "webinar_committee",
        "crrg_coordinator",
        "executive",
    ],
)
def test_committee_cannot_give_its_group_more_permissions(personas, client_for, persona):
    me = getattr(personas, persona)
    group = me.groups.get()
    before = sorted(group.permissions.values_list("pk", flat=True))
    every = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    response = client_for(me).post(
        f"/admin/auth/group/{group.pk}/change/", {"name": group.name, "permissions": every}
    )
    assert response.status_code == 403
    assert sorted(group.permissions.values_list("pk", flat=True)) == before


def test_committee_cannot_add_a_superuser(personas, client_for):
    response = client_for(personas.executive).post(
        "/admin/accounts/user/add/",
        {
            "email": "mine@example.org",
            "full_name": "Mine",
            "usable_password": "true",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="mine@example.org").exists()


@pytest.fixture
def user_manager(personas):
    """A committee member who was given `change_user` (say, to fix members' names)."""
    me = personas.executive
    me.user_permissions.add(Permission.objects.get(codename="change_user"))
    return User.objects.get(pk=me.pk)


def test_user_manager_cannot_grant_roles_or_staff(user_manager, personas, client_for):
    member = personas.member
    before = power(member), power(user_manager)
    executive = Group.objects.get(name=Role.EXECUTIVE_COMMITTEE)
    client = client_for(user_manager)
    for target in (member, user_manager):
        client.post(
            f"/admin/accounts/user/{target.pk}/change/",
            user_form(
                target,
                full_name="Renamed",
                is_staff="on",
                is_superuser="on",
                groups=[str(executive.pk)],
            ),
        )
    assert (power(member), power(user_manager)) == before
    # The ordinary edit went through: the role fields are read-only, not the form.
    assert User.objects.get(pk=member.pk).full_name == "Renamed"


def test_superuser_still_grants_roles(personas, client_for):
    member = personas.member
    editors = Group.objects.get(name=Role.NEWSLETTER_EDITORS)
    response = client_for(personas.staff).post(
        f"/admin/accounts/user/{member.pk}/change/",
        user_form(member, is_staff="on", groups=[str(editors.pk)]),
    )
    assert response.status_code == 302
    assert power(member) == (True, False, [Role.NEWSLETTER_EDITORS.value], [])


def test_user_manager_cannot_take_over_a_superuser(user_manager, personas, client_for):
    """Setting a superuser's password, or its email (then resetting it), is a way in."""
    boss = personas.staff
    client = client_for(user_manager)
    password = client.post(
        f"/admin/accounts/user/{boss.pk}/password/",
        {"usable_password": "true", "password1": "taken-over-42!", "password2": "taken-over-42!"},
    )
    email = client.post(
        f"/admin/accounts/user/{boss.pk}/change/", user_form(boss, email="mine@example.org")
    )
    boss.refresh_from_db()
    assert (password.status_code, email.status_code) == (403, 403)
    assert (boss.email, boss.check_password("taken-over-42!")) == ("staff@example.org", False)
