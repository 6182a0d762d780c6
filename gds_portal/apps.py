from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import m2m_changed, post_delete, post_save


class GdsPortalConfig(AppConfig):
    name = "gds_portal"
    verbose_name = "Site"

    def ready(self):
        from gds_portal import adminsite  # noqa: F401  (registers its system check)
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.pagecache import invalidate_on_change

        # Notices about the site itself are the executive committee's mail.
        mail_domains.register(
            MailDomain("site", ("test-notice",), "gds_portal.change_siteconfiguration")
        )

        # Any save or delete of public content empties the anonymous page cache.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(invalidate_on_change, dispatch_uid=f"pagecache-{id(signal)}")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with PortalAdminSite as `admin.site`, so every ModelAdmin,
    ours or a third-party app's, accepts only allowlisted URL lookups."""

    default = False  # gds_portal's own config stays GdsPortalConfig
    default_site = "gds_portal.adminsite.PortalAdminSite"
