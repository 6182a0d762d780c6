"""Sitemap section for the CRRG: its public page only (joining and coordinating need a login)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CrrgSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["crrg:home"]

    def location(self, item) -> str:
        return reverse(item)
