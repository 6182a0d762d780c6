"""Sitemap sections for webinars: published webinars and topics that have one."""

from django.contrib.sitemaps import Sitemap

from webinars.models import Topic, Webinar


class WebinarSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Webinar.objects.published().order_by("-start_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


class TopicSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Topic.objects.filter(webinars__is_published=True).distinct().order_by("name")
