"""The sections of /sitemap.xml: only what anonymous readers can see; each app has its own."""

from crrg.sitemaps import CrrgSitemap
from meetings.sitemaps import CallSitemap, MeetingSitemap
from newsletters.sitemaps import ArticleSitemap, IssueSitemap
from webinars.sitemaps import TopicSitemap, WebinarSitemap

SITEMAPS = {
    "newsletter-issues": IssueSitemap,
    "newsletter-articles": ArticleSitemap,
    "meetings": MeetingSitemap,
    "meeting-calls": CallSitemap,
    "webinars": WebinarSitemap,
    "webinar-topics": TopicSitemap,
    "crrg": CrrgSitemap,
}
