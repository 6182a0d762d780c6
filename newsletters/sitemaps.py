"""Sitemap sections for the newsletter: only what readers can see.

Ready for the project's sitemap once `django.contrib.sitemaps` is mounted:
    sitemaps = {"newsletter-issues": IssueSitemap, "newsletter-articles": ArticleSitemap}
"""

from django.contrib.sitemaps import Sitemap

from newsletters.models import Article, Issue


class IssueSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.6

    def items(self):
        return Issue.objects.visible().order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return (
            Article.objects.visible()
            .select_related("issue")
            .order_by("-issue__published_at", "order")
        )

    def lastmod(self, item):
        return item.updated_at
