"""Atom and RSS feeds of visible issues and articles, with absolute links on SITE_URL."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from gds_portal.access import public
from gds_portal.feeds import Atom1Feed, Rss201rev2Feed
from gds_portal.markdown import render_markdown
from newsletters import selectors


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class IssueFeed(Feed):
    feed_type = Atom1Feed
    title = "GDS Newsletter"
    subtitle = description = "New issues of the APS Topical Group on Data Science newsletter."
    url_name = "newsletters:feed"

    def link(self):
        return absolute(reverse("newsletters:archive"))

    def feed_url(self):
        return absolute(reverse(self.url_name))

    def items(self):
        return selectors.visible_issues().order_by("-published_at", "-id")[:20]

    def item_title(self, item):
        return f"GDS Newsletter, {item.title}"

    def item_description(self, item):
        return render_markdown(item.summary)

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)


class IssueRssFeed(IssueFeed):
    feed_type = Rss201rev2Feed
    url_name = "newsletters:feed_rss"


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = "GDS Newsletter articles"
    subtitle = description = "Articles from the APS Topical Group on Data Science newsletter."
    url_name = "newsletters:article_feed"

    def link(self):
        return absolute(reverse("newsletters:archive"))

    def feed_url(self):
        return absolute(reverse(self.url_name))

    def items(self):
        return selectors.recent_articles()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst or render_markdown(item.body[:600])

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.issue.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.issue.published_at)

    def item_author_name(self, item):
        return ", ".join(a.person.name for a in item.authorships.all()) or None

    def item_categories(self, item):
        return [item.get_kind_display(), item.issue.title]


class ArticleRssFeed(ArticleFeed):
    feed_type = Rss201rev2Feed
    url_name = "newsletters:article_feed_rss"


issue_feed = public(IssueFeed())
issue_rss_feed = public(IssueRssFeed())
article_feed = public(ArticleFeed())
article_rss_feed = public(ArticleRssFeed())
