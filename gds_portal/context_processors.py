from django.urls import NoReverseMatch, reverse

from gds_portal.models import SiteConfiguration
from gds_portal.navigation import navigation
from gds_portal.sharedpages import csrf_marker, is_shared_render


def _resolve(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def site(request):
    path = request.path
    items = []
    # An entry whose URL name does not resolve (its URLs are not mounted) is left out.
    for entry in navigation.entries():
        url = _resolve(entry.url_name)
        if url:
            items.append({"label": entry.label, "url": url, "active": path.startswith(url)})
    return {
        "site_config": SiteConfiguration.get_solo(),
        "nav_items": items,
        "search_url": _resolve("search"),
    }


def visitor(request):
    """In a shared render (gds_portal/sharedpages.py): no messages, and a marker for every
    CSRF token, both filled in per member. After the built-in csrf and messages
    processors, whose `csrf_token` and `messages` these replace."""
    if not is_shared_render(request):
        return {}
    return {"gds_shared_render": True, "csrf_token": csrf_marker(), "messages": ()}
