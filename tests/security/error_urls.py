"""The site's URLs plus one that fails on purpose (tests of the error pages only)."""

from django.urls import path

from gds_portal.urls import handler429, handler500
from gds_portal.urls import urlpatterns as site_urlpatterns

SECRET_MARK = "settings-secret-in-exception"


def explode(request):
    raise RuntimeError(f"boom with {SECRET_MARK}")


urlpatterns = [path("test-only/explode/", explode), *site_urlpatterns]
__all__ = ["handler429", "handler500", "urlpatterns"]
