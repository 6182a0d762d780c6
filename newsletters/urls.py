from django.urls import path, register_converter

from newsletters import feeds, views
from newsletters.enums import Season


class SeasonConverter:
    regex = "|".join(Season.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SeasonConverter, "season")

app_name = "newsletters"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("feed/", feeds.issue_feed, name="feed"),
    path("feed/rss/", feeds.issue_rss_feed, name="feed_rss"),
    path("feed/articles/", feeds.article_feed, name="article_feed"),
    path("feed/articles/rss/", feeds.article_rss_feed, name="article_feed_rss"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscription/<str:token>/", views.manage, name="manage"),
    path("preview/<int:pk>/", views.preview_issue, name="preview_issue"),
    path("preview/<int:pk>/<slug:slug>/", views.preview_article, name="preview_article"),
    path("<int:year>/<season:season>/", views.issue, name="issue"),
    path("<int:year>/<season:season>/<slug:slug>/", views.article, name="article"),
    path(
        "<int:year>/<season:season>/<slug:slug>/references/<int:number>.bib",
        views.cite_bibtex,
        name="cite_bibtex",
    ),
    path(
        "<int:year>/<season:season>/<slug:slug>/references/<int:number>.ris",
        views.cite_ris,
        name="cite_ris",
    ),
]
