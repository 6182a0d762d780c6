from django.apps import AppConfig


class OmbudsmanConfig(AppConfig):
    name = "ombudsman"
    verbose_name = "Ombudsman"

    def ready(self) -> None:
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.pagecache import public_models
        from gds_portal.sections import Section, flatpage_sections, my_gds
        from ombudsman import rules  # noqa: F401  (registers the permissions)
        from ombudsman.models import OmbudsmanAssignment
        from ombudsman.sections import flatpage_pointer, my_concerns

        # No permission: no committee reads the ombudsman's mail in the outbox (it carries
        # no concern text anyway, only notices with links).
        mail_domains.register(MailDomain("ombudsman", ("ombudsman/",), None))
        # Who holds the office is shown on the public ombudsman page.
        public_models.register(OmbudsmanAssignment)
        demo_loaders.register("ombudsman.demo.load")
        my_gds.register(Section("Ombudsman", "ombudsman/_my_gds.html", my_concerns, order=60))
        flatpage_sections.register(
            Section("Raise a concern", "ombudsman/_flatpage.html", flatpage_pointer, order=20)
        )
