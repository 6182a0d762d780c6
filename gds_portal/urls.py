from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.urls import include, path

from gds_portal import views

admin.site.site_header = "GDS Portal administration"
admin.site.site_title = "GDS Portal admin"
admin.site.index_title = "Committee workspace"

handler500 = "gds_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("about/", flatpage_views.flatpage, {"url": "/about/"}, name="about"),
    path(
        "about/diversity/", flatpage_views.flatpage, {"url": "/about/diversity/"}, name="diversity"
    ),
    path("accounts/", include("allauth.urls")),
    path("my/", include("accounts.urls")),
    path("people/", include("community.urls")),
    path("admin/", admin.site.urls),
]
