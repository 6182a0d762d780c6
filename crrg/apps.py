from django.apps import AppConfig


class CrrgConfig(AppConfig):
    name = "crrg"
    verbose_name = "CRRG"

    def ready(self) -> None:
        from crrg import rules  # noqa: F401  (registers the permissions)
        from crrg.sections import my_crrg
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.sections import Section, my_gds

        # Group messages go to consenting members: their coordinators' mail alone.
        mail_domains.register(MailDomain("crrg", ("crrg",), "crrg.view_groupmessage"))
        my_gds.register(
            Section("COVID Research and Resources Group", "crrg/_my_gds.html", my_crrg, order=40)
        )
