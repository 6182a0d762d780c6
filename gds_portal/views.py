from django.contrib.flatpages import views as flatpage_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gds_portal.access import public
from gds_portal.search import registry
from gds_portal.sections import home_page


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


def server_error(request):
    # Rendered without a RequestContext lookup of the database: the database
    # may be the very thing that failed.
    return render(request, "500.html", {"site_config": None}, status=500)


@public
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /my/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
@public
def search(request):
    query = request.GET.get("q", "")[:200]
    results = registry.search(query) if query.strip() else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "gds_portal/search.html", {"query": query, "page": page})


@public
@require_safe
def flatpage(request, url: str):
    """About and the diversity statement: flat pages the executive committee edits."""
    return flatpage_views.flatpage(request, url)
