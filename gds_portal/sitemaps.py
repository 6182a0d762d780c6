"""The sections of /sitemap.xml: only what anonymous readers can see.

Each app registers its own sections in its AppConfig.ready():

    sitemaps.register("meetings", MeetingSitemap)

Sections are listed in the order they were registered (INSTALLED_APPS order).
"""

from django.contrib.sitemaps import Sitemap


class SitemapRegistry:
    def __init__(self):
        self._sections: dict[str, type[Sitemap]] = {}

    def register(self, name: str, sitemap: type[Sitemap]) -> None:
        self._sections[name] = sitemap

    def sections(self) -> dict[str, type[Sitemap]]:
        return dict(self._sections)


sitemaps = SitemapRegistry()
