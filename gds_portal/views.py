import re
import sys
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import SuspiciousFileOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from gds_portal.access import public
from gds_portal.search import registry
from gds_portal.sections import flatpage_sections, home_page
from gds_portal.sharedpages import shared_with_members
from gds_portal.sitemaps import sitemaps


@shared_with_members
@require_safe
@public
def home(request):
    return render(request, "gds_portal/home.html", {"sections": home_page.render(request)})


@public
@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not; says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)


@public
def server_error(request):
    """handler500: the 500 page, or the 503 page when the database went away.

    Django calls this for an exception raised anywhere in the request — a view,
    a middleware, the session store, the user lookup — so this is the one place
    that turns a lost database connection into "try again", wherever it struck.
    Both pages are rendered without the request: no context processor runs, so
    nothing touches the database, which may be the very thing that failed.
    """
    if _database_failed(sys.exc_info()[1]):
        return _database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


def _database_failed(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:  # the cause may sit a few wrappers down
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


# Fields never written back into a page: secrets the person can type again.
_NOT_KEPT = ("csrfmiddlewaretoken", "password")


def _database_unavailable(request) -> HttpResponse:
    """503 with every posted field kept, ready to be sent again to the same address.

    Nothing may be lost to a failover: the form comes back as hidden fields behind
    a "Send again" button, and the longer texts are shown so they can be copied.
    Forms that create something carry a one-time token (CONVENTIONS.md), so a
    request that did get through before the failure is not saved twice.
    """
    fields = _posted_fields(request)
    context = {
        "fields": fields,
        "texts": [(name, value) for name, value in fields if len(value) > 20 or "\n" in value],
        "action": request.get_full_path(),
        "csrf_token": _posted(request, "csrfmiddlewaretoken"),
        "files_lost": request.content_type == "multipart/form-data",
        "passwords_lost": any(_NOT_KEPT[1] in name for name in _posted_names(request)),
    }
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = "5"
    add_never_cache_headers(response)
    return response


def _posted_fields(request) -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name in _posted_names(request)
        if not any(secret in name for secret in _NOT_KEPT)
        for value in request.POST.getlist(name)
    ]


def _posted_names(request) -> list[str]:
    try:
        return list(request.POST) if request.method == "POST" else []
    except Exception:  # an unreadable body is simply not kept
        return []


def _posted(request, name: str) -> str:
    return request.POST.get(name, "") if _posted_names(request) else ""


@public
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /my/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@public
@require_safe
def sitemap(request):
    """Django's sitemap over our own sections; wrapped so that Django's view stays unmarked."""
    return sitemap_views.sitemap(request, sitemaps=sitemaps.sections())


@shared_with_members
@require_safe
@public
def search(request):
    # NUL cannot reach PostgreSQL (and no one searches for it); other characters can.
    query = request.GET.get("q", "").replace("\x00", "")[:200]
    found = registry.page(query, request.GET.get("page"))
    context = {
        "query": query,
        "page": found.page,
        "more": found.more,
        "suggestions": found.suggestions,
    }
    return render(request, "gds_portal/search.html", context)


@public
@require_safe
def flatpage(request, url: str):
    """About and the diversity statement: flat pages the executive committee edits.

    Django's own flatpage view marks the title and content safe (they were
    meant to be raw HTML); ours renders the content as Markdown through the
    sanitiser and escapes the title like any other text.
    """
    return find_flatpage(request, url)


def find_flatpage(request, url: str) -> HttpResponse:
    """The flat page at `url` (any method: the fallback middleware calls it on 404s)."""
    site_id = settings.SITE_ID
    page = FlatPage.objects.filter(url=url, sites=site_id).first()
    if page is None:
        if not url.endswith("/") and settings.APPEND_SLASH:
            get_object_or_404(FlatPage, url=url + "/", sites=site_id)
            return HttpResponsePermanentRedirect(f"{request.path}/")
        raise Http404("No such page.")
    return _render_flatpage(request, page)


FLATPAGE_TEMPLATE = re.compile(r"flatpages/[\w-]+\.html", re.ASCII)


@csrf_protect
def _render_flatpage(request, page: FlatPage) -> HttpResponse:
    if page.registration_required and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    # Only templates made for flat pages: the field is committee text, and a prefix
    # check alone let "flatpages/../any.html" pick any template of the site.
    names = [page.template_name] if FLATPAGE_TEMPLATE.fullmatch(page.template_name) else []
    template = loader.select_template([*names, "flatpages/default.html"])
    sections = flatpage_sections.render(request, page)
    return HttpResponse(template.render({"flatpage": page, "sections": sections}, request))


# What media may be served as: images and PDFs only, never HTML, SVG or script.
MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".pdf": "application/pdf",
}


@public
@require_safe
def media(request, path: str):
    """Uploaded files, when Django serves them (nginx does the same in production).

    Only allow-listed types are served, each with a fixed Content-Type, nosniff
    and a sandboxing CSP, so a file that got past validation still cannot run
    as a page of this site. See docs/security.md for the nginx rule.
    """
    content_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("No such file.")
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
        handle = open(full_path, "rb")  # noqa: SIM115 -- FileResponse closes it
    except (OSError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if content_type == "application/pdf":
        response["Content-Disposition"] = "attachment"
    return response
