from django.apps import AppConfig


class OmbudsmanConfig(AppConfig):
    name = "ombudsman"
    verbose_name = "Ombudsman"

    def ready(self) -> None:
        from accounts.protection import Protection, protected_accounts
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.offices import offices
        from gds_portal.sections import Section, flatpage_sections, my_gds
        from ombudsman import rules  # noqa: F401  (registers the permissions)
        from ombudsman.sections import about_pointer, flatpage_pointer, my_concerns
        from ombudsman.selectors import OFFICE, is_appointed, is_current_holder
        from ombudsman.services import office_changed

        # Private: that someone was mailed by the ombudsman's office says who contacted it,
        # so no one (superusers included) lists this mail in the outbox admin, and a sent
        # row keeps no recipient or subject (gds_portal.mail.MailDomain.private).
        mail_domains.register(MailDomain("ombudsman", ("ombudsman/",), None, private=True))
        # Whoever could set the office-holder's password or address in the admin could
        # read every concern as them: the user admin refuses it (accounts/protection.py).
        # Appointees too: taking over an appointee's account before their term starts
        # hands the concerns over on its first day.
        protected_accounts.register(Protection("the current ombudsman", is_current_holder))
        protected_accounts.register(
            Protection("the ombudsman appointed for a coming term", is_appointed)
        )
        _connect_account_notices()
        # The office's terms (kept by the elections app) say who reads concerns: the
        # keeper keeps them as an access record (a saved term's person is fixed, no
        # term is deleted). Terms are public content there, so a new term refreshes
        # the cached public ombudsman page that names the holder.
        # Every change of them is told at once (office_changed: a log row, a mail).
        offices.guard(
            OFFICE,
            "its holder reads the ombudsman's confidential concerns",
            on_change=office_changed,
        )
        demo_loaders.register("ombudsman.demo.load")
        my_gds.register(Section("Ombudsman", "ombudsman/_my_gds.html", my_concerns, order=60))
        flatpage_sections.register(
            Section("Raise a concern", "ombudsman/_flatpage.html", flatpage_pointer, order=20)
        )
        flatpage_sections.register(
            Section(
                "Diversity, conduct and concerns", "ombudsman/_about.html", about_pointer, order=30
            )
        )


def _connect_account_notices() -> None:
    """The office-holder is mailed when their password or address changes on the site:
    a takeover that went through a password reset does not go unnoticed."""
    from allauth.account import signals

    from ombudsman.services import holder_account_changed

    for signal in (signals.password_changed, signals.password_set, signals.password_reset):
        signal.connect(holder_account_changed, dispatch_uid=f"ombudsman-{id(signal)}")
    signals.email_changed.connect(holder_account_changed, dispatch_uid="ombudsman-email")
