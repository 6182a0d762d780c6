from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Members and roles"

    def ready(self):
        from gds_portal.demos import demo_loaders

        demo_loaders.register("accounts.demo.load")
