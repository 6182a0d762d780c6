from django.apps import AppConfig


class GdsPortalConfig(AppConfig):
    name = "gds_portal"
    verbose_name = "Site"
