"""Committee roles: which model permissions each Django group holds.

Each app's data migration calls `grant_permissions` with its own rows, so a
role holds exactly the permissions its committee needs and nothing more.
"""

from django.contrib.auth.management import create_permissions

from accounts.enums import Role


def ensure_permissions_exist(apps) -> None:
    """Create Permission rows now; Django only does it after all migrations ran."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_permissions(apps, grants: dict[str, list[str]]) -> None:
    """Give each role (group name) the listed "app_label.codename" permissions."""
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke_permissions(apps, grants: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in grants.items():
        group = Group.objects.filter(name=role).first()
        for perm in perms:
            app_label, codename = perm.split(".")
            if group:
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


def crud(app_label: str, model: str, *actions: str) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


FOUNDATION_GRANTS: dict[str, list[str]] = {
    Role.NEWSLETTER_EDITORS: crud("community", "person", "add", "change", "view"),
    Role.PROGRAM_COMMITTEE: crud("community", "person", "add", "change", "view")
    + crud("community", "unit", "view"),
    Role.WEBINAR_COMMITTEE: crud("community", "person", "add", "change", "view"),
    Role.CRRG_COORDINATORS: crud("community", "person", "view"),
    Role.EXECUTIVE_COMMITTEE: crud("community", "person", "add", "change", "view")
    + crud("community", "unit", "add", "change", "view")
    + crud("flatpages", "flatpage", "add", "change", "view")
    + crud("gds_portal", "siteconfiguration", "change", "view")
    + crud("gds_portal", "outboundemail", "change", "view")
    + crud("accounts", "user", "view"),
}
