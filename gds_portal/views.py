import re
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
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
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from gds_portal.access import public
from gds_portal.search import registry
from gds_portal.sections import home_page
from gds_portal.sitemaps import SITEMAPS


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
    # Rendered without the request: no context processor runs, so nothing
    # touches the database, which may be the very thing that failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


@public
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /my/",
             f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}"]  # fmt: skip
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@public
@require_safe
def sitemap(request):
    """Django's sitemap over our own sections; wrapped so that Django's view stays unmarked."""
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)


@require_safe
@public
def search(request):
    # NUL cannot reach PostgreSQL (and no one searches for it); other characters can.
    query = request.GET.get("q", "").replace("\x00", "")[:200]
    found = registry.page(query, request.GET.get("page"))
    context = {"query": query, "page": found.page, "more": found.more}
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
    return HttpResponse(template.render({"flatpage": page}, request))


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
