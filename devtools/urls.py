"""ROOT_URLCONF under BENCH_MODE: the site's URLs plus the ceiling page.

The site's own URLconf knows nothing of the bench; this one wraps it, and takes
its error handlers along (Django reads them from the root URLconf).
"""

from django.urls import path

from devtools import views
from gds_portal.urls import handler429, handler500
from gds_portal.urls import urlpatterns as site_urlpatterns

__all__ = ["handler429", "handler500", "urlpatterns"]

urlpatterns = [
    path("bench/ceiling/", views.ceiling, name="bench_ceiling"),
    *site_urlpatterns,
]
