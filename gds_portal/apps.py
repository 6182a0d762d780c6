from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created


class GdsPortalConfig(AppConfig):
    name = "gds_portal"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.flatpages.models import FlatPage
        from django.contrib.sites.models import Site

        from gds_portal import adminsite  # noqa: F401  (registers its system check)
        from gds_portal.models import SiteConfiguration
        from gds_portal.navigation import NavEntry, navigation
        from gds_portal.pagecache import public_models, watch_connection
        from gds_portal.search import FlatPageSearch, registry

        navigation.register(NavEntry("About", "about", order=100))
        # The flat pages (About, the diversity statement, the Code of Conduct) are found
        # by the site search like every app's content.
        registry.register(FlatPageSearch())

        # Any committed write to public content empties the anonymous page cache;
        # each app registers its own public models, the ground floor the pages.
        # Every page shows the site settings (tagline, footer links, disclaimer): an edit
        # shows at once (outside probe of issue 20 found it waiting out the 60 s).
        public_models.register(FlatPage, Site, SiteConfiguration)
        connection_created.connect(watch_connection, dispatch_uid="pagecache-watch")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with PortalAdminSite as `admin.site`, so every ModelAdmin,
    ours or a third-party app's, accepts only allowlisted URL lookups."""

    default = False  # gds_portal's own config stays GdsPortalConfig
    default_site = "gds_portal.adminsite.PortalAdminSite"
