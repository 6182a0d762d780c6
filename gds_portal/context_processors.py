from django.urls import NoReverseMatch, reverse

from gds_portal.models import SiteConfiguration

# The main navigation. An entry whose URL name does not resolve (its app is not
# installed yet) is simply left out, so apps plug in without editing base.html.
NAV = [
    ("Newsletters", "newsletters:archive"),
    ("Meetings", "meetings:list"),
    ("Webinars", "webinars:list"),
    ("CRRG", "crrg:home"),
    ("About", "about"),
]


def _resolve(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def site(request):
    path = request.path
    items = []
    for label, name in NAV:
        url = _resolve(name)
        if url:
            items.append({"label": label, "url": url, "active": path.startswith(url)})
    return {
        "site_config": SiteConfiguration.get_solo(),
        "nav_items": items,
        "search_url": _resolve("search"),
    }
