"""Committee roles: the one table of which model permissions each role (Django group) holds.

`ROLE_PERMISSIONS` is the whole truth. After every `migrate` (and `flush`), once all
apps are migrated, `sync_roles` creates any missing role group and sets each group's
permissions to exactly its row: a missing permission is added, and one that is not in
the table is taken away, even if an administrator added it by hand in the admin.
To give a role a permission, add its "app_label.codename" to the role's row here
and run `migrate` (docs/accounts.md).

Names are strings, so this module imports no domain app (tests/test_import_boundaries.py).
Permissions that `rules` declares (`rules.add_perm` in each app's rules.py) are not
rows in the database and do not belong here.
"""

import warnings

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router, transaction

from accounts.enums import Role


def _model(app_label: str, model: str, *actions: str) -> set[str]:
    """'app_label.<action>_<model>' for each action (Django's default codenames)."""
    return {f"{app_label}.{action}_{model}" for action in actions}


EDIT = ("add", "change", "delete", "view")
# Every committee reads its own domain's mail in the outbox; the admin shows each
# viewer only the domains whose permission it holds (gds_portal.mail.mail_domains).
OUTBOX = _model("gds_portal", "outboundemail", "change", "view")
# Committees that write about people create and edit their public profiles.
PEOPLE = _model("community", "person", "add", "change", "view")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.NEWSLETTER_EDITORS: frozenset(
        OUTBOX
        | PEOPLE
        | _model("newsletters", "issue", *EDIT, "publish", "preview")
        | _model("newsletters", "article", *EDIT)
        | _model("newsletters", "authorship", *EDIT)
        | _model("newsletters", "reference", *EDIT)
        | _model("newsletters", "figure", *EDIT)
        | _model("newsletters", "historicalissue", "view")
        | _model("newsletters", "subscriber", "view", "delete")
        | _model("newsletters", "issueannouncement", "view")
    ),
    # The Program committee curates meetings, categories and personal extensions;
    # reviews, decides, composes invited sessions and reads nominations. Abstracts
    # stay view-only in the admin: authors change them on the site, and decisions go
    # through the site's services (the admin's actions call the same ones).
    Role.PROGRAM_COMMITTEE: frozenset(
        OUTBOX
        | PEOPLE
        | _model("community", "unit", "view")
        | _model("meetings", "meeting", *EDIT)
        | _model("meetings", "sortingcategory", *EDIT)
        | _model("meetings", "categorycosponsor", *EDIT)
        | _model("meetings", "deadlineextension", *EDIT)
        | _model("meetings", "abstract", "view")
        | _model("meetings", "abstractauthor", "view")
        | _model("meetings", "historicalabstract", "view")
        | _model("meetings", "review", "view")
        # The rubric: edited on the meeting's page, by its chair only (meetings.rules).
        | _model("meetings", "rubriccriterion", *EDIT)
        | _model("meetings", "decisionnotification", "view")
        | _model("meetings", "speakernomination", "change", "view")
        | _model("meetings", "invitedsession", *EDIT)
        | _model("meetings", "invitedtalk", *EDIT)
    ),
    # The Webinar committee runs the series. Nominations come from members: the
    # committee triages them but never adds any.
    Role.WEBINAR_COMMITTEE: frozenset(
        OUTBOX
        | PEOPLE
        | _model("webinars", "webinar", *EDIT)
        | _model("webinars", "webinarspeaker", *EDIT)
        | _model("webinars", "topic", *EDIT)
        | _model("webinars", "topicsuggestion", "change", "view")
        | _model("webinars", "speakernomination", "change", "view")
        | _model("webinars", "speakerinvitation", "add", "change", "view")
        | _model("webinars", "hostvolunteer", "change", "view")
        | _model("webinars", "historicaltopicsuggestion", "view")
        | _model("webinars", "historicalspeakernomination", "view")
        | _model("webinars", "historicalhostvolunteer", "view")
    ),
    # Responses are the members' own words: coordinators read them, never edit them.
    Role.CRRG_COORDINATORS: frozenset(
        OUTBOX
        | _model("community", "person", "view")
        | _model("crrg", "interestgroup", *EDIT)
        | _model("crrg", "interestgroupmembership", *EDIT)
        | _model("crrg", "questionnaire", *EDIT)
        | _model("crrg", "question", *EDIT)
        | _model("crrg", "choice", *EDIT)
        | _model("crrg", "crrgpage", "change", "view")
        | _model("crrg", "response", "view")
        | _model("crrg", "answer", "view")
        | _model("crrg", "groupmessage", "view")
    ),
    # The executive committee keeps the site's own pages and settings, reads the
    # member list (never changes who is an administrator: accounts/admin.py), and
    # assigns each meeting's program chair, the one field of a meeting it may change
    # (meetings.assign_chair; the admin shows it every other field read-only).
    Role.EXECUTIVE_COMMITTEE: frozenset(
        OUTBOX
        | PEOPLE
        | _model("community", "unit", "add", "change", "view")
        | _model("flatpages", "flatpage", "add", "change", "view")
        | _model("gds_portal", "siteconfiguration", "change", "view")
        | _model("accounts", "user", "view")
        | _model("meetings", "meeting", "change", "view")
        | _model("meetings", "sortingcategory", "view")
        # Runs elections and keeps the officers' terms (elections/admin.py), the
        # ombudsman's among them (who reads concerns; never the concerns); the roll
        # and the ballots have no admin at all.
        | _model("elections", "office", "add", "change", "view")
        | _model("elections", "term", *EDIT)
        | _model("elections", "election", "add", "change", "view")
        | _model("elections", "contest", *EDIT)
        | _model("elections", "candidacy", "change", "view")
        | _model("elections", "rolegrant", "view")
        # Runs its own member surveys (the barriers survey of the diversity statement):
        # only those it owns or is named on (crrg/rules.py coordinated_q, in the admin
        # too); responses are read, never edited.
        | _model("crrg", "questionnaire", *EDIT)
        | _model("crrg", "question", *EDIT)
        | _model("crrg", "choice", *EDIT)
        | _model("crrg", "response", "view")
        | _model("crrg", "answer", "view")
    ),
}


def sync_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every role a group holding exactly its row of `ROLE_PERMISSIONS`.

    Side effects: creates missing role groups; adds and removes rows of each role
    group's permissions (other groups are left alone). Idempotent. A permission of
    the table that does not exist in the database is skipped with a warning (a typo,
    or a model that was removed: take it out of the table).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = frozenset().union(*ROLE_PERMISSIONS.values())
    codenames = {name.partition(".")[2] for name in wanted}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(codename__in=codenames)
        .values_list("pk", "content_type__app_label", "codename")
    }
    if missing := sorted(wanted - found.keys()):
        warnings.warn(
            f"accounts.roles: no such permission {', '.join(missing)}; "
            "correct or remove it in ROLE_PERMISSIONS.",
            stacklevel=2,
        )
    with transaction.atomic(using=using):
        for role, permissions in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.using(using).get_or_create(name=role)
            group.permissions.set([found[name] for name in permissions if name in found])


def _last_app_migrated():
    """The app whose post_migrate signal comes last: Django sends one per app with
    models, in INSTALLED_APPS order (django.core.management.sql)."""
    return [c for c in global_apps.get_app_configs() if c.models_module is not None][-1]


def sync_roles_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate receiver: `sync_roles` once per `migrate`, after every app is migrated.

    Django creates each app's permissions in a post_migrate receiver of its own, for
    the app the signal is sent for; receivers run in the order they were connected, and
    accounts comes before django.contrib.auth. So this waits for the last app's signal
    and first creates any permission not created yet (what auth would do next).
    """
    if sender is not _last_app_migrated():
        return
    try:
        Group = apps.get_model("auth", "Group")
    except LookupError:  # a partial migrate that has not reached auth yet
        return
    if not router.allow_migrate_model(using, Group):
        return
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    sync_roles(apps=apps, using=using)
