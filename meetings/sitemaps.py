"""Sitemap sections for meetings: every meeting's page and its call for abstracts.

Meetings have no draft state: the meeting and call pages of every meeting are public
(meetings/views/public.py). Abstracts, the member's area and the committee's pages never are.
"""

from django.contrib.sitemaps import Sitemap

from meetings.models import Meeting


class MeetingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Meeting.objects.order_by("-starts_on", "pk")


class CallSitemap(MeetingSitemap):
    priority = 0.7

    def location(self, item) -> str:
        return item.get_call_url()
