"""Signed-in readers' shared pages: a public page rendered once for every signed-in member.

The anonymous page cache (gds_portal/pagecache.py) serves readers who have no session.
A signed-in member used to get every page rendered afresh, at 17 to 35 times the cost of a
cached one (issue 20). Yet on most public pages nothing depends on who the member is
except the navigation's account links, the messages, and the CSRF token in every form.
So a view marked `@shared_with_members` is rendered once per content generation for
all signed-in members, with those parts left as holes, and each request fills its own:

- **Holes.** base.html puts the account links and the messages in through
  `{% visitor_part "account" %}` / `{% visitor_part "messages" %}`
  (gds_portal/templatetags/visitor.py). In a shared render they print a marker; when
  a member's request is answered, each marker is replaced by that part rendered for the
  member (`render_part`, the same template a normal render includes). Every
  `{% csrf_token %}` of a shared render prints a marker too (the `visitor` context
  processor sets `csrf_token`), replaced by the member's own masked token. Markers carry
  a secret derived from SECRET_KEY, so text someone wrote can never contain one.
- **Nobody in the render.** The shared render runs with `request.user` replaced by a
  stand-in that is signed in and nothing else: reading any other attribute of it (a
  name, an address, a group, a permission, its `pk` in a query) raises `NotShareable`,
  and so does any use of the session. The page is then not shared — for this content
  generation it is rendered per member, as before — so a view that shows a member their
  own draft, or a committee member more than others see, can never put that into a
  shared page, whether or not whoever marked it thought of that.
- **What is stored.** Only a plain 200 HTML response that set no cookie and is not
  marked no-store (the anonymous cache's rule). Keys carry the content generation, so a
  committed write to a public table retires them (pagecache.invalidate), and they last
  PAGE_CACHE_SECONDS at most for pages that change with the clock.

A view may be marked only if everything it shows depends on the URL, the public content
and "signed in" alone; every table a marked page reads must be a registered public model
(tests/gds_portal/test_shared_pages.py checks both for every marked view).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, loader
from django.utils.crypto import salted_hmac

from gds_portal.access import is_marked
from gds_portal.pagecache import _cache, generation, shareable_response

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VisitorPart:
    """A part of a page that belongs to the visitor: its template, and (for an app's
    part) a function giving the values it needs for this request's member, from the
    arguments the page passed (`{% visitor_part "name" arg… %}`: ids and slugs), called
    as `context(request, *args, page=…)` (`page`: see render_part)."""

    template: str
    context: Callable[..., dict] | None = None


class VisitorParts:
    """The registry: the ground floor's parts below, each app's in its AppConfig.ready()."""

    def __init__(self):
        self._parts: dict[str, VisitorPart] = {}

    def register(self, name: str, part: VisitorPart) -> None:
        if not _NAME.fullmatch(name):
            raise ValueError(f"A visitor part's name is letters, digits, . and _: {name!r}")
        self._parts[name] = part

    def get(self, name: str) -> VisitorPart:
        return self._parts[name]

    def __contains__(self, name: str) -> bool:
        return name in self._parts


_NAME = re.compile(r"[\w.]+")
_ARG = re.compile(r"[\w-]+")  # ids and slugs: what a marker may carry
visitor_parts = VisitorParts()
visitor_parts.register("account", VisitorPart("gds_portal/parts/account.html"))
visitor_parts.register("messages", VisitorPart("gds_portal/parts/messages.html"))
NOT_SHAREABLE = "not-shareable"  # stored in place of a page whose render read the visitor


def _secret() -> str:
    # Derived from SECRET_KEY so every process (and every machine sharing a Redis cache)
    # agrees on it, and nobody without the key can write a marker into their text.
    return _secret_for(settings.SECRET_KEY)


@functools.cache
def _secret_for(key: str) -> str:
    # Remembered per key: several markers per request, each an HMAC otherwise.
    return salted_hmac("gds_portal.sharedpages", "markers", secret=key).hexdigest()[:32]


def csrf_marker() -> str:
    # Letters and digits only: `{% csrf_token %}` escapes its value, which must survive.
    return f"gdsvisitorcsrf{_secret()}"


def part_marker(name: str, args: tuple = ()) -> str:
    text = [str(arg) for arg in args]
    if not all(_ARG.fullmatch(arg) for arg in text):
        raise ValueError(f"A visitor part's arguments are ids or slugs, not {text!r}")
    return f"<!--gds-visitor-part:{_secret()}:{':'.join([name, *text])}-->"


def _markers() -> re.Pattern:
    return re.compile(rf"<!--gds-visitor-part:{_secret()}:([\w.:-]+)-->".encode())


def shared_with_members(view):
    """Mark a view whose page every signed-in member may share (see the module's rules)."""
    view.shared_with_members = True
    return view


def is_shared(view) -> bool:
    return is_marked(view, "shared_with_members")


class NotShareable(Exception):
    """A shared render read something of the visitor; the page is rendered per member.

    Deliberately not an AttributeError: templates, `getattr(x, "a", None)` and
    `hasattr` swallow those, and the render would go on as if the member had nothing.
    """


class _SignedInReader:
    """`request.user` during a shared render: signed in, and nothing else to read."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __getattr__(self, name):
        raise NotShareable(f"the shared render read user.{name}")

    def __eq__(self, other):
        raise NotShareable("the shared render compared the user")

    def __hash__(self):
        raise NotShareable("the shared render hashed the user")

    def __str__(self):
        raise NotShareable("the shared render printed the user")


class _NoSession:
    """`request.session` during a shared render: any use of it ends the sharing."""

    def __getattr__(self, name):
        raise NotShareable(f"the shared render used session.{name}")

    def __getitem__(self, key):
        raise NotShareable("the shared render read the session")

    def __contains__(self, key):
        raise NotShareable("the shared render read the session")


def is_shared_render(request: HttpRequest) -> bool:
    return getattr(request, "_gds_shared_render", False)


def render_part(name: str, args: tuple, request: HttpRequest, context: Context) -> str:
    """One visitor part for `request`'s visitor, rendered with `context` (a normal page's,
    or the member's own when a shared page is filled in): one implementation for both."""
    part = visitor_parts.get(name)
    # The template file (never a string): the backend's wrapper holds Django's Template,
    # which renders with the Context given, as `{% include %}` does.
    template = loader.get_template(part.template).template
    # `page`: the page's own context in a normal render, so a part can reuse an object
    # the page already read; None when a shared page is filled in for a member.
    page = None if context.get("gds_filling") else context
    values = part.context(request, *args, page=page) if part.context else {}
    with context.push(values):
        return template.render(context)


def _member_context(request: HttpRequest, token: str) -> Context:
    # No context processors: the parts need only these, and a hit must stay cheap.
    return Context(
        {
            "request": request,
            "user": request.user,
            "csrf_token": token,
            "messages": get_messages(request),
            "gds_filling": True,
        },
        autoescape=True,
    )


def _filled(request: HttpRequest, stored: dict, state: str) -> HttpResponse:
    body: bytes = stored["body"]
    token = get_token(request)  # the member's own, masked afresh; sets the cookie if needed
    context = _member_context(request, token)
    body = body.replace(csrf_marker().encode(), token.encode())

    def fill(match: re.Match) -> bytes:
        name, *args = match.group(1).decode().split(":")
        return render_part(name, tuple(args), request, context).encode()

    body = _markers().sub(fill, body)
    response = HttpResponse(body, headers=stored["headers"])
    response["X-Page-Cache"] = state
    return response


def _key(request: HttpRequest) -> str:
    return f"memberpage:{generation()}:{request.get_host()}:{request.get_full_path()}"


def _render_shared(request: HttpRequest, view_func, args, kwargs) -> dict | str:
    """The page as every member sees it, with markers for the visitor's parts; or
    NOT_SHAREABLE when the view or its templates read the visitor."""
    user, session = request.user, getattr(request, "session", None)
    request.user, request.session = _SignedInReader(), _NoSession()
    request._gds_shared_render = True
    try:
        response = view_func(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response = response.render()
    except NotShareable as reason:
        log.debug("Not shared: %s (%s)", request.path, reason)
        return NOT_SHAREABLE
    finally:
        request.user, request.session = user, session
        request._gds_shared_render = False
    # The anonymous cache's rule for what the view answered, without its check of the
    # request's CSRF cookie: a shared render prints no token (markers only), and one
    # member's stale or forged cookie must not stop every member sharing the page for the
    # rest of the generation (outside probe of issue 20).
    if not shareable_response(response):
        return NOT_SHAREABLE
    headers = {k: v for k, v in response.items() if k.lower() not in {"content-length"}}
    return {"body": response.content, "headers": headers}


class MemberPageCacheMiddleware:
    """Answer a signed-in member's GET of a shared page from the shared render.

    Last in MIDDLEWARE: its `process_view` runs after every other middleware has seen
    the request (sessions, authentication, CSRF, messages, the lockout check), and the
    response goes back out through all of them (PrivateCacheMiddleware marks it private).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (
            settings.PAGE_CACHE_SECONDS
            and request.method == "GET"
            and is_shared(view_func)
            and request.user.is_authenticated
        ):
            return None
        key = _key(request)
        stored = _cache().get(key)
        state = "member-hit"
        if stored is None:
            stored = _render_shared(request, view_func, view_args, view_kwargs)
            _cache().set(key, stored, settings.PAGE_CACHE_SECONDS)
            state = "member-miss"
        if stored == NOT_SHAREABLE:
            return None  # the view renders the page for this member, as for any page
        return _filled(request, stored, state)
