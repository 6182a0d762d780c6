from django.contrib import admin
from django.urls import include, path

from gds_portal import views

admin.site.site_header = "GDS Portal administration"
admin.site.site_title = "GDS Portal admin"
admin.site.index_title = "Committee workspace"

handler500 = "gds_portal.views.server_error"
# allauth answers its rate limits (sign-up, password reset) with this view.
handler429 = "gds_portal.throttle.rate_limited"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("about/", views.flatpage, {"url": "/about/"}, name="about"),
    path("about/diversity/", views.flatpage, {"url": "/about/diversity/"}, name="diversity"),
    path(
        "about/code-of-conduct/",
        views.flatpage,
        {"url": "/about/code-of-conduct/"},
        name="code_of_conduct",
    ),
    path("accounts/", include("allauth.urls")),
    path("my/", include("accounts.urls")),
    path("people/", include("community.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("meetings/", include("meetings.urls")),
    path("webinars/", include("webinars.urls")),
    path("crrg/", include("crrg.urls")),
    path("surveys/", include("crrg.survey_urls")),
    path("ombudsman/", include("ombudsman.urls")),
    path("elections/", include("elections.urls")),
    path("admin/", admin.site.urls),
    path("media/<path:path>", views.media, name="media"),
]
