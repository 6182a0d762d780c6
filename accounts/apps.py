from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Members and roles"

    def ready(self):
        from accounts.roles import sync_roles_after_migrate
        from gds_portal.demos import demo_loaders

        demo_loaders.register("accounts.demo.load")
        # The committee roles' permissions come from one table (accounts/roles.py),
        # applied after every migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
