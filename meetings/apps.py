from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.search import registry
        from gds_portal.sections import Section, my_gds
        from meetings.committee_views import my_gds_nominations
        from meetings.search import MeetingSearch, SortingCategorySearch
        from meetings.views import my_gds_section

        # Abstract receipts and decisions: the program committee's mail. A draft's
        # reminder names the draft, and drafts are the author's alone: no committee
        # reads it.
        mail_domains.register(
            MailDomain("meetings", ("abstract-", "meetings"), "meetings.view_abstract")
        )
        mail_domains.register(MailDomain("meetings-drafts", ("abstract-reminder",), None))
        registry.register(MeetingSearch())
        registry.register(SortingCategorySearch())
        my_gds.register(Section("My abstracts", "meetings/_my_gds.html", my_gds_section, order=20))
        my_gds.register(
            Section(
                "My speaker nominations",
                "meetings/_my_gds_nominations.html",
                my_gds_nominations,
                order=21,
            )
        )
