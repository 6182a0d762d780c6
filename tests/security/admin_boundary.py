"""The admin boundary table: every registered ModelAdmin by every role, as text.

Used by tests/security/test_admin_boundary.py (read its docstring for how to
regenerate the expected table). One object per registered model is seeded
(`SEEDS`, through the factories where one exists; a model without a seed falls
back to its first row, and to "no object" rows when it has none, so a new
admin still gets its list, add and lookup rows the day it lands).

Cells: ok (200), login (302 to a login page), 302 (another redirect), 400, 403,
404, 500; a POST that changed the seeded object (or deleted it, or queued
mail) gets "!" appended: `302!`. "-" means not tried, because the role cannot
open the list at all (so it cannot filter it either).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.enums import Role
from community.models import Unit
from crrg.enums import MembershipSource
from crrg.models import CrrgPage, GroupMessage, InterestGroupMembership
from elections.models import RoleGrant
from gds_portal.adminsite import allowed_url_lookups
from gds_portal.models import OutboundEmail, SiteConfiguration
from meetings.enums import AbstractState, SessionOwnership
from meetings.models import (
    DeadlineExtension,
    DecisionNotification,
    InvitedSession,
    Review,
)
from meetings.models import SpeakerNomination as MeetingNomination
from newsletters.models import IssueAnnouncement
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.crrg import (
    InterestGroupFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)
from tests.factories.elections import (
    CandidacyFactory,
    ElectionFactory,
    OfficeFactory,
    TermFactory,
)
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, make_abstract
from tests.factories.newsletters import ArticleFactory, IssueFactory, SubscriberFactory
from tests.factories.webinars import (
    FUTURE,
    FeedbackFactory,
    HostVolunteerFactory,
    SpeakerNominationFactory,
    TopicFactory,
    TopicSuggestionFactory,
    WebinarFactory,
)
from webinars.enums import RegistrationStatus
from webinars.models import Participant, Registration, SpeakerInvitation

# Column order of the table: persona attribute (None: anonymous) and header.
ROLES: list[tuple[str | None, str]] = [
    (None, "anon"),
    ("member", "member"),
    ("newsletter_editor", "editor"),
    ("program_committee", "program"),
    ("webinar_committee", "webinar"),
    ("crrg_coordinator", "crrg"),
    ("executive", "exec"),
    ("staff", "super"),
]
PROBE = "regex"  # the lookup of the outbox oracle: `?body_text__regex=^…`
PROBE_VALUE = "."


AXES_FIELDS = {
    "user_agent": "Mozilla",
    "ip_address": "192.0.2.1",
    "username": "member@example.org",
    "http_accept": "*/*",
    "path_info": "/accounts/login/",
}


def _meeting_nomination(p):
    return MeetingNomination.objects.create(
        meeting=MeetingFactory(year=2037),
        nominator=p.member,
        nominee_name="Nadia Nominee",
        nominee_affiliation="Université Exemple",
        nominee_email="nadia@example.org",
        talk_title="Learning symmetries",
        rationale="Her work on symmetries.",
        nominee_is_woman=True,
    )


def _review(p):
    reviewer = UserFactory(email="reviewer@example.org", roles=[Role.PROGRAM_COMMITTEE])
    abstract = make_abstract(
        submitter=p.member, category=SortingCategoryFactory(meeting__year=2033)
    )
    return Review.objects.create(abstract=abstract, reviewer=reviewer, score=3, comment="Sound.")


def _deadline_extension(p):
    meeting = MeetingFactory(year=2034)
    return DeadlineExtension.objects.create(
        meeting=meeting, member=p.member, closes_at=meeting.call_closes_at, reason="Illness"
    )


def _outbound_email(p):
    return OutboundEmail.objects.create(
        from_email="portal@example.org",
        to=[p.member.email],
        subject="Reset your password",
        body_text="https://testserver/accounts/password/reset/key/1-secret/",
        sensitive=True,
    )


def _role_grant(p):
    term = TermFactory(person=PersonFactory(user=p.other_member))
    return RoleGrant.objects.create(
        term=term, user=p.other_member, role=Role.EXECUTIVE_COMMITTEE, granted_on=term.starts_on
    )


# One object per registered model, made on demand (an app's test seeds only its own
# admins' objects). Each gets what it refers to from the factories.
SEEDS: dict[str, Callable] = {
    "gds_portal.SiteConfiguration": lambda p: SiteConfiguration.get_solo(),
    "gds_portal.OutboundEmail": _outbound_email,
    "auth.Group": lambda p: Group.objects.get(name=Role.NEWSLETTER_EDITORS),
    "accounts.User": lambda p: p.member,
    "community.Person": lambda p: PersonFactory(user=p.member),
    "community.Unit": lambda p: Unit.objects.order_by("pk").first(),
    "newsletters.Issue": lambda p: IssueFactory(),
    "newsletters.Article": lambda p: ArticleFactory(),
    "newsletters.Subscriber": lambda p: SubscriberFactory(),
    "newsletters.IssueAnnouncement": lambda p: IssueAnnouncement.objects.create(
        issue=IssueFactory(), subscriber=SubscriberFactory()
    ),
    "meetings.Meeting": lambda p: MeetingFactory(year=2031),
    "meetings.SortingCategory": lambda p: SortingCategoryFactory(meeting__year=2032),
    "meetings.DeadlineExtension": _deadline_extension,
    "meetings.Abstract": lambda p: make_abstract(
        submitter=p.member, category=SortingCategoryFactory(meeting__year=2035)
    ),
    "meetings.Review": _review,
    "meetings.DecisionNotification": lambda p: DecisionNotification.objects.create(
        abstract=make_abstract(
            submitter=p.other_member, category=SortingCategoryFactory(meeting__year=2036)
        ),
        state=AbstractState.REJECTED,
    ),
    "meetings.SpeakerNomination": _meeting_nomination,
    "meetings.InvitedSession": lambda p: InvitedSession.objects.create(
        meeting=MeetingFactory(year=2038),
        title="Invited session",
        ownership=SessionOwnership.WHOLLY_OWNED,
    ),
    "webinars.Topic": lambda p: TopicFactory(),
    "webinars.Webinar": lambda p: WebinarFactory(),
    "webinars.TopicSuggestion": lambda p: TopicSuggestionFactory(nominator=p.member),
    "webinars.HostVolunteer": lambda p: HostVolunteerFactory(nominator=p.member),
    "webinars.SpeakerNomination": lambda p: SpeakerNominationFactory(nominator=p.member),
    "webinars.Registration": lambda p: Registration.objects.create(
        webinar=WebinarFactory(start_at=FUTURE),
        name="Boundary Registrant",
        email="registrant@example.org",
        email_key="registrant@example.org",
        status=RegistrationStatus.CONFIRMED,
    ),
    "webinars.Feedback": lambda p: FeedbackFactory(
        registration__webinar=WebinarFactory(), comment="Boundary comment"
    ),
    "webinars.Participant": lambda p: Participant.objects.create(
        webinar=WebinarFactory(), email_key="attendee@example.org", name="Boundary Attendee"
    ),
    "webinars.SpeakerInvitation": lambda p: SpeakerInvitation.objects.create(
        webinar=WebinarFactory(is_published=False),
        person=PersonFactory(),
        email="speaker@example.org",
        email_key="speaker@example.org",
    ),
    "crrg.CrrgPage": lambda p: CrrgPage.get_solo(),
    "crrg.InterestGroup": lambda p: InterestGroupFactory(),
    "crrg.InterestGroupMembership": lambda p: InterestGroupMembership.objects.create(
        group=InterestGroupFactory(), user=p.member, source=MembershipSource.COORDINATOR
    ),
    "crrg.Questionnaire": lambda p: QuestionnaireFactory(),
    "crrg.Question": lambda p: QuestionFactory(),
    "crrg.Response": lambda p: ResponseFactory(user=p.member),
    "crrg.GroupMessage": lambda p: GroupMessage.objects.create(
        group=InterestGroupFactory(), subject="Meeting", body="Leave: https://testserver/leave/x/"
    ),
    "elections.Office": lambda p: OfficeFactory(),
    "elections.Term": lambda p: TermFactory(person=PersonFactory()),
    "elections.Election": lambda p: ElectionFactory(),
    "elections.Candidacy": lambda p: CandidacyFactory(user=p.member),
    "elections.RoleGrant": _role_grant,
    "sites.Site": lambda p: Site.objects.get_current(),
    "flatpages.FlatPage": lambda p: FlatPage.objects.create(
        url="/boundary/", title="B", content="C"
    ),
    "account.EmailAddress": lambda p: EmailAddress.objects.get(user=p.member),
    "axes.AccessAttempt": lambda p: AccessAttempt.objects.create(
        **AXES_FIELDS, get_data="", post_data="password=hunter2", failures_since_start=1
    ),
    "axes.AccessLog": lambda p: AccessLog.objects.create(**AXES_FIELDS, session_hash="0" * 64),
    "axes.AccessFailureLog": lambda p: AccessFailureLog.objects.create(**AXES_FIELDS),
}


@dataclass
class Target:
    label: str  # app_label.model_name, as in the admin's URLs
    model_admin: admin.ModelAdmin
    obj: object | None
    before: tuple = ()  # state(obj) as seeded

    def url(self, view: str, *args) -> str | None:
        opts = self.model_admin.model._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
        except NoReverseMatch:
            return None


def admin_apps() -> list[str]:
    """The app labels with a registered admin: one test (and one world) each."""
    return sorted({model._meta.app_label for model in admin.site._registry})


def targets(app_label: str, personas) -> list[Target]:
    found = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != app_label:
            continue
        make = SEEDS.get(model._meta.label)
        obj = make(personas) if make else model._base_manager.order_by("pk").first()
        found.append(Target(model._meta.label_lower, model_admin, obj))
    for target in found:  # once all are seeded: seeding one may queue mail
        target.before = state(target.obj) if target.obj is not None else ()
    return sorted(found, key=lambda t: t.label)


def past_version_url(target: Target) -> str | None:
    """A SimpleHistoryAdmin's page of the object's first version (None for other admins)."""
    if not isinstance(target.model_admin, SimpleHistoryAdmin):
        return None
    version = target.obj.history.order_by("history_id").first()
    return target.url("simple_history", target.obj.pk, version.history_id) if version else None


def outcome(response) -> str:
    code = response.status_code
    if code == 200:
        return "ok"
    if code in {301, 302, 303}:
        location = response["Location"]
        return "login" if "/login/" in location else "302"
    return str(code)


def state(obj) -> tuple:
    """What a refused POST must leave as it was: the row, its m2m links, the outbox."""
    model = type(obj)
    row = model._base_manager.filter(pk=obj.pk).values().first()
    if row is not None:
        row.pop("last_login", None)  # each role's force_login sets it on a User
    links = {}
    if row is not None:
        for field in model._meta.many_to_many:
            links[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return row, links, OutboundEmail.objects.count()


def post_and_roll_back(client: Client, url: str, data: dict, obj, before: tuple) -> str:
    """POST, note whether the object changed from `before`, and undo whatever the POST
    did, so the next role finds the same world."""
    with transaction.atomic():
        response = client.post(url, data)
        changed = state(obj) != before
        transaction.set_rollback(True)
    return outcome(response) + ("!" if changed else "")


def action_names(model_admin) -> list[str]:
    return sorted(name for _func, name, _desc in model_admin._get_base_actions())


def field_paths(model) -> list[str]:
    """Every field of the model (reverse relations too), and every concrete field of
    each model one relation away, as query paths."""
    paths = []
    for field in model._meta.get_fields(include_hidden=False):
        if field.is_relation and field.related_model is None:
            continue  # a GenericForeignKey: not a lookup
        paths.append(field.name)  # a reverse relation's name is its query name
        if field.is_relation:
            paths += [
                f"{field.name}__{far.name}" for far in field.related_model._meta.concrete_fields
            ]
    return sorted(set(paths))


def lookup_outcome(model_admin, user, params: dict) -> str:
    """Run the changelist's own filtering (what the view does after its permission
    check) and say whether the lookup passed the allowlist."""
    request = RequestFactory().get("/", params)
    request.user = user
    try:
        model_admin.get_changelist_instance(request)
    except DisallowedModelAdminLookup:
        return "400"
    except FieldDoesNotExist:
        return "ok"  # got past the allowlist; the admin then refuses with ?e=1
    except Exception as error:  # an IncorrectLookupParameters is still "allowed"
        if type(error).__name__ == "IncorrectLookupParameters":
            return "ok"
        raise
    return "ok"


def filter_value(param: str) -> str:
    if re.search(r"__(gte|lt)$", param):
        return "2020-01-01 00:00:00+00:00"
    return "1"


class Table:
    def __init__(self):
        self.rows: dict[tuple[str, str], dict[str, str]] = {}
        # POSTs that changed something the role holds no permission for, whatever the
        # reviewed table says (see may_run).
        self.unpermitted: list[str] = []

    def put(self, label: str, check: str, role: str, cell: str):
        self.rows.setdefault((label, check), {})[role] = cell

    def lines(self) -> list[str]:
        headers = [header for _persona, header in ROLES]
        lines = []
        for (label, check), cells in sorted(self.rows.items()):
            row = " ".join(f"{cells.get(h, '-'):<7}" for h in headers).rstrip()
            lines.append(f"{label + '  ' + check:<{NAME_WIDTH}} {row}")
        return lines


NAME_WIDTH = 66


def header_line() -> str:
    headers = " ".join(f"{header:<7}" for _persona, header in ROLES).rstrip()
    return f"{'# admin  check':<{NAME_WIDTH}} {headers}"


def may_run(model_admin, user, action: str | None) -> bool:
    """Whether the role's own permissions allow a POST to change data: the delete
    confirmation needs delete permission; an action needs each of its declared
    permissions, and one that declares none needs change permission (a view-only
    role never changes data)."""
    if user is None or not user.is_staff:
        return False
    request = RequestFactory().post("/")
    request.user = user
    if action is None:
        return model_admin.has_delete_permission(request)
    func = model_admin._get_base_actions()
    func = next(f for f, name, _desc in func if name == action)
    needed = getattr(func, "allowed_permissions", None) or ("change",)
    return all(getattr(model_admin, f"has_{perm}_permission")(request) for perm in needed)


def note_post(table: Table, target: Target, header: str, check: str, cell: str, allowed):
    table.put(target.label, check, header, cell)
    if cell.endswith("!") and not allowed():
        table.unpermitted.append(f"{target.label} {check}: {header} changed it ({cell})")


def probe_views(table: Table, target: Target, header: str, client: Client, user) -> bool:
    """The five views (six with a past version's page) and each action; returns whether
    the role can open the list."""
    get = {"list": target.url("changelist"), "add": target.url("add")}
    obj = target.obj
    if obj is not None:
        get |= {
            "change": target.url("change", obj.pk),
            "history": target.url("history", obj.pk),
            "delete": target.url("delete", obj.pk),
        }
        version_url = past_version_url(target)
        if version_url:
            get["history version"] = version_url
    for check, url in get.items():
        table.put(target.label, check, header, outcome(client.get(url)) if url else "no-url")
    if obj is None:
        table.put(target.label, "(no object to change)", header, "-")
        return table.rows[(target.label, "list")][header] == "ok"
    before = target.before
    delete_url = get["delete"]
    if delete_url:
        cell = post_and_roll_back(client, delete_url, {"post": "yes"}, obj, before)
        allowed = lambda: may_run(target.model_admin, user, None)  # noqa: E731
        note_post(table, target, header, "delete POST", cell, allowed)
    if "history version" in get:
        # A past version is for reading by everyone: no role may write it back.
        cell = post_and_roll_back(client, get["history version"], {}, obj, before)
        note_post(table, target, header, "history version POST", cell, lambda: False)
    for name in action_names(target.model_admin):
        data = {"action": name, "_selected_action": [obj.pk], "index": 0, "post": "yes"}
        cell = post_and_roll_back(client, get["list"], data, obj, before)
        allowed = lambda name=name: may_run(target.model_admin, user, name)  # noqa: E731
        note_post(table, target, header, f"action {name}", cell, allowed)
    return table.rows[(target.label, "list")][header] == "ok"


def probe_lookups(table: Table, target: Target, header: str, user, client: Client):
    """Each filter parameter the admin declares, and PROBE on every field path.

    The per-path verdicts are computed in-process (the changelist's own lookup
    check, no HTTP round trip: thousands of paths); one HTTP request per admin and
    role then sends every refused probe at once and must be a 400."""
    model_admin = target.model_admin
    request = RequestFactory().get("/")
    request.user = user
    for param in sorted(allowed_url_lookups(model_admin, request)):
        cell = lookup_outcome(model_admin, user, {param: filter_value(param)})
        table.put(target.label, f"filter {param}", header, cell)
    refused, accepted = [], []
    for path in field_paths(model_admin.model):
        key = f"{path}__{PROBE}"
        verdict = lookup_outcome(model_admin, user, {key: PROBE_VALUE})
        (refused if verdict == "400" else accepted).append(key)
    for key in accepted:
        table.put(target.label, f"lookup {key}", header, "ok")
    total = len(refused) + len(accepted)
    table.put(target.label, f"lookups refused ({PROBE}, {total} paths)", header, str(len(refused)))
    if refused:
        response = client.get(target.url("changelist"), dict.fromkeys(refused, PROBE_VALUE))
        cell = outcome(response)
        if cell == "ok" and "cl" not in (response.context or {}):
            cell = "nolist"  # a singleton's "list" is its change form: nothing is filtered
        table.put(target.label, "lookups refused over http", header, cell)


def build_table(app_label: str, personas) -> Table:
    table = Table()
    app_targets = targets(app_label, personas)
    for persona, header in ROLES:
        user = getattr(personas, persona) if persona else None
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for target in app_targets:
            if probe_views(table, target, header, client, user):
                probe_lookups(table, target, header, user, client)
    return table
