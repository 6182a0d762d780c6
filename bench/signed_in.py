"""The path members take, for `make bench` (issue 20): every public page as a signed-in
member, the member pages and the committee pages, each with real sessions.

A signed-in request skips the anonymous page cache, so these are the pages members
actually wait for. Public and member pages run under wrk with one member per connection
(bench.server.wrk_as), in groups of GROUP pages: before each group the no-op ceiling is
measured at both scales, then each page at both scales back to back (the order
alternating), so a page's ratio to the ceiling and its scale-10/scale-1 ratio are both
taken within about a minute. Committee pages are requested one after another, as a
committee member browses, with one committee member's session.

The pages and the people are picked from the data in `signed_in_pages()` and
`personas()`, which bench/profile_pages.py uses too.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from bench.measures import SECONDS, ScaleResult, login_cookies, pages
from bench.server import (
    CONNECTIONS,
    at,
    cpu_per_request,
    cpu_snapshot,
    get,
    say,
    timed_gets,
    wrk_as,
)

GROUP = 3
CEILING = "/bench/ceiling/"
# Sequential requests per committee page and scale, after the untimed one that counts the
# queries (as measure_committee did).
COMMITTEE_RUNS = 15
COMMITTEE_TIMEOUT = 60
# The members whose sessions load the public and member pages are taken this far into
# the list, past the committees and the members the submission measurement signs in.
MEMBER_OFFSET = 100


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    kind: str  # "public", "member" or "committee"
    persona: str  # a key of personas()


@dataclass
class SignedRow:
    name: str
    path: str
    kind: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    requests: int = 0
    cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    queries: str = "?"
    statuses: dict[int, int] = field(default_factory=dict)
    ceiling_rps: float = 0.0
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.rps / self.ceiling_rps if self.ceiling_rps else 0.0


# --- who and what ---------------------------------------------------------------------


def personas(count: int) -> dict[str, list]:
    """Up to `count` users for each kind of visitor, chosen from whatever data the database
    holds (the bench's generated members, or a demo's):

    - "member": a plain member with a verified address, on no committee;
    - "new member": the same, who has not answered the CRRG questionnaire yet;
    - "program committee" / "webinar committee": staff members of that committee (the
      admin needs staff).
    """
    from allauth.account.models import EmailAddress
    from django.apps import apps

    from accounts.enums import Role
    from accounts.models import User

    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    plain = User.objects.filter(
        is_active=True, is_staff=False, is_superuser=False, groups=None, pk__in=verified
    ).order_by("pk")
    found = {"member": _some(plain, count, MEMBER_OFFSET)}
    response = apps.all_models.get("crrg", {}).get("response")
    if response is not None:
        # Not NOT IN over a column with NULLs (anonymous answers): that would match nothing.
        answered = response._base_manager.filter(user__isnull=False).values("user_id")
        found["new member"] = _some(plain.exclude(pk__in=answered), count, MEMBER_OFFSET)
    for persona, role in (
        ("program committee", Role.PROGRAM_COMMITTEE),
        ("webinar committee", Role.WEBINAR_COMMITTEE),
    ):
        staff = User.objects.filter(is_active=True, is_staff=True, groups__name=role)
        found[persona] = _some(staff.order_by("pk"), count, 0)
    return found


def _some(users, count: int, offset: int) -> list:
    return list(users[offset : offset + count]) or list(users[:count])


def signed_in_pages() -> list[Page]:
    """The public pages of the anonymous part, the member pages and the committee pages,
    as paths in the current database. A page the data cannot give is left out."""
    chosen = [
        Page(name, path, "public", "member")
        for name, path in pages()
        if not name.startswith("no-op ceiling")
    ]
    # What a session costs before any view: the no-op page, with a member's cookie.
    chosen.append(Page("no-op ceiling, signed in", CEILING, "public", "member"))
    chosen += _member_pages() + _committee_pages()
    return chosen


def _member_pages() -> list[Page]:
    from django.urls import reverse

    from meetings.models import Meeting

    chosen = [
        Page("My GDS", reverse("accounts:my_gds"), "member", "member"),
        Page("my abstracts", reverse("meetings:my_abstracts"), "member", "member"),
    ]
    meeting = Meeting.objects.open_for_submission().order_by("-starts_on").first()
    if meeting is not None:
        path = reverse("meetings:abstract_create", kwargs={"slug": meeting.slug})
        chosen.append(Page("abstract form (open call)", path, "member", "member"))
    questionnaire = _questionnaire()
    if questionnaire is not None:
        chosen.append(Page("questionnaire", questionnaire, "member", "new member"))
    return chosen


def _questionnaire() -> str | None:
    """The CRRG membership questionnaire if it is open (a member who has not answered it
    gets the empty form), else an open survey."""
    from django.urls import reverse

    try:
        from crrg.models import Questionnaire
        from crrg.selectors.answering import current_membership_questionnaire
    except ImportError:
        return None
    membership = current_membership_questionnaire()
    if membership is not None and membership.is_open():
        return reverse("crrg:join")
    survey = Questionnaire.objects.open().filter(grants_membership=False).order_by("pk").first()
    return reverse("surveys:answer", kwargs={"slug": survey.slug}) if survey else None


def _committee_pages() -> list[Page]:
    from django.urls import NoReverseMatch, reverse

    from meetings.enums import AbstractState
    from meetings.models import Abstract, Meeting

    meeting = Meeting.objects.order_by("-starts_on").first()
    numbered = Abstract.objects.filter(meeting=meeting, state=AbstractState.SUBMITTED)
    abstract = numbered.order_by("pk").first()
    slug = {"slug": meeting.slug}
    wanted = [
        ("meetings: committee dashboard", "meetings:dashboard", slug),
        # "My queue" is a section of the review list, not a page of its own.
        ("meetings: review list and my queue", "meetings:review_list", slug),
        ("meetings: decisions", "meetings:decisions", slug),
        ("meetings: nominations", "meetings:nominations", slug),
        ("admin: abstracts", "admin:meetings_abstract_changelist", {}),
    ]
    if abstract is not None:
        wanted += [
            ("meetings: review form", "meetings:review", {**slug, "pk": abstract.pk}),
            ("admin: an abstract", "admin:meetings_abstract_change", {"object_id": abstract.pk}),
        ]
    chosen = []
    for name, url_name, kwargs in wanted:
        try:
            path = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        chosen.append(Page(name, path, "committee", "program committee"))
    try:
        path = reverse("admin:webinars_speakernomination_changelist")
    except NoReverseMatch:
        return chosen
    name = "admin: webinar speaker nominations"
    return [*chosen, Page(name, path, "committee", "webinar committee")]


def persona_cookies(count: int) -> dict[str, list[str]]:
    """Signed-in `Cookie` headers for up to `count` people of each persona."""
    return {name: login_cookies(users) for name, users in personas(count).items()}


# --- measuring -------------------------------------------------------------------------


def measure_signed_page(page: Page, cookies: list[str]) -> SignedRow:
    row = SignedRow(page.name, page.path, page.kind)
    if not cookies:
        row.note = f"no {page.persona} in the data"
        return row
    # Warm each member's session and check it: every connection's first answer.
    for cookie in cookies:
        status, headers, _ = get(page.path, {"Cookie": cookie})
        row.statuses[status] = row.statuses.get(status, 0) + 1
    row.queries = headers.get("X-Bench-Queries", "?")
    if headers.get("X-Page-Cache") == "hit":
        row.note = "answered from the anonymous page cache: the session was not seen"
    elif headers.get("X-Page-Cache", "").startswith("member-"):
        row.note = "shared between members (their own parts filled in)"
    found = wrk_as(page.path, SECONDS, cookies)
    row.rps, row.p50_ms, row.p99_ms = found["rps"], found["p50_ms"], found["p99_ms"]
    row.errors, row.requests = found["errors"], found["requests"]
    row.cpu_ms, row.db_cpu_ms = found["cpu_ms"], found["db_cpu_ms"]
    get("/healthz")  # wait until the workers have drained wrk's last slow requests
    return row


def measure_ceiling() -> SignedRow:
    row = SignedRow("no-op ceiling", CEILING, "ceiling")
    found = wrk_as(CEILING, SECONDS, [""])
    row.rps, row.p50_ms, row.p99_ms = found["rps"], found["p50_ms"], found["p99_ms"]
    row.errors, row.requests = found["errors"], found["requests"]
    row.cpu_ms, row.db_cpu_ms = found["cpu_ms"], found["db_cpu_ms"]
    row.ceiling_rps = row.rps
    return row


def _line(scale: int, row: SignedRow) -> str:
    cpu = f"{row.cpu_ms:6.2f}" if row.cpu_ms is not None else "     ?"
    db = f"{row.db_cpu_ms:5.2f}" if row.db_cpu_ms is not None else "    ?"
    return (
        f"  scale {scale:>2} {row.name[:30]:30} {row.rps:7.0f} req/s  p50 {row.p50_ms:7.2f} ms  "
        f"cpu {cpu} + db {db} ms/req  queries {row.queries:>3}  ratio {row.ratio:.2f}"
        + (f"  statuses {row.statuses}" if set(row.statuses) - {200} else "")
        + (f"  ({row.note})" if row.note else "")
    )


def measure_signed_in(results: list[ScaleResult]) -> None:
    """The public and member pages signed in, in groups beside the ceiling; then, per scale,
    the committee pages."""
    chosen, cookies = {}, {}
    for result in results:
        with at(result):
            chosen[result.scale] = {p.name: p for p in signed_in_pages()}
            cookies[result.scale] = persona_cookies(CONNECTIONS)
    first = chosen[results[0].scale]
    names = [name for name, page in first.items() if page.kind != "committee"]
    say(
        f"\n== Signed in (wrk, {CONNECTIONS} connections, one member each, {SECONDS} s each), "
        f"the ceiling before every {GROUP} pages =="
    )
    for start in range(0, len(names), GROUP):
        ceilings = {}
        for result in _alternate(results, start // GROUP):
            with at(result):
                ceilings[result.scale] = measure_ceiling()
            result.signed_ceilings.append(ceilings[result.scale])
            say(_line(result.scale, ceilings[result.scale]))
        for offset, name in enumerate(names[start : start + GROUP]):
            for result in _alternate(results, start + offset):
                page = chosen[result.scale].get(name)
                if page is None:
                    continue
                with at(result):
                    row = measure_signed_page(page, cookies[result.scale].get(page.persona, []))
                row.ceiling_rps = ceilings[result.scale].rps
                result.signed.append(row)
                say(_line(result.scale, row))
    for result in results:
        with at(result):
            say(f"== Scale {result.scale}: committee pages (sequential, signed in) ==")
            committee = [p for p in chosen[result.scale].values() if p.kind == "committee"]
            result.committee = measure_committee_pages(committee, cookies[result.scale])


def _alternate(results: list, index: int) -> list:
    # Alternate which scale goes first, so neither always measures a warmer machine.
    return results if index % 2 == 0 else results[::-1]


def measure_committee_pages(committee: list[Page], cookies: dict[str, list[str]]) -> dict:
    """Each committee page, one request after another with one committee member's session:
    name -> (path, status, queries, p50 ms, worker CPU ms/request, backend CPU ms/request)."""
    found = {}
    for page in committee:
        session = cookies.get(page.persona, [])[:1]
        if not session:
            found[page.name] = (page.path, f"no {page.persona} member", "?", None, None, None)
            continue
        headers = {"Cookie": session[0]}
        try:
            status, answer, _ = get(page.path, headers, COMMITTEE_TIMEOUT)
        except TimeoutError:
            # A page that does not answer is a finding, not a reason to lose the run.
            failure = f"no answer within {COMMITTEE_TIMEOUT} s"
            found[page.name] = (page.path, failure, "?", None, None, None)
            say(f"  {page.name}: NO ANSWER within {COMMITTEE_TIMEOUT} s")
            continue
        before = cpu_snapshot()
        times, _, _ = timed_gets(page.path, headers, COMMITTEE_RUNS, COMMITTEE_TIMEOUT)
        cpu, db_cpu = cpu_per_request(before, cpu_snapshot(), COMMITTEE_RUNS)
        p50 = statistics.median(times)
        queries = answer.get("X-Bench-Queries", "?")
        found[page.name] = (page.path, status, queries, p50, cpu, db_cpu)
        cpu_text = f"{cpu:.1f}" if cpu is not None else "?"
        db_text = f"{db_cpu:.1f}" if db_cpu is not None else "?"
        say(
            f"  {page.name}: {status}, {queries} queries, p50 {p50:.1f} ms, "
            f"cpu {cpu_text} + db {db_text} ms/request"
        )
    return found
