from django.urls import NoReverseMatch, reverse

from gds_portal.models import SiteConfiguration
from gds_portal.navigation import navigation


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
