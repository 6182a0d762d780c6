from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Members and roles"

    def ready(self):
        from allauth.account.models import EmailAddress

        from accounts.roles import sync_roles_after_migrate
        from gds_portal.demos import demo_loaders
        from gds_portal.pagecache import public_models

        demo_loaders.register("accounts.demo.load")
        # A verified address decides what a member may do and whom public pages name (a
        # presenter's person page), and each member's verified addresses are kept per
        # content generation (accounts.identity.verified_addresses): so any committed
        # write to allauth's addresses retires them, and the pages that show them.
        public_models.register(EmailAddress)
        # The committee roles' permissions come from one table (accounts/roles.py),
        # applied after every migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
