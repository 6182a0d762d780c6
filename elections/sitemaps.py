"""Sitemap sections for elections: the Officers page and announced elections."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from elections.models import Election


class OfficersSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["elections:officers"]

    def location(self, item):
        return reverse(item)


class ElectionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Election.objects.announced().order_by("-voting_open_at", "pk")

    def lastmod(self, item):
        return item.updated_at
