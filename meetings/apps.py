from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from community.visibility import public_people
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.navigation import NavEntry, navigation
        from gds_portal.pagecache import public_models
        from gds_portal.search import registry
        from gds_portal.sections import Section, my_gds, person_page
        from gds_portal.sharedpages import VisitorPart, visitor_parts
        from gds_portal.sitemaps import sitemaps
        from meetings.models import (
            Abstract,
            AbstractAuthor,
            Affiliation,
            CategoryCosponsor,
            ContributedSession,
            DeadlineExtension,
            DecisionNotification,
            InvitedSession,
            InvitedTalk,
            Meeting,
            SessionTalk,
            SortingCategory,
            SpeakerConfirmation,
            SpeakerNomination,
        )
        from meetings.search import AbstractSearch, MeetingSearch, SortingCategorySearch
        from meetings.selectors.meetings import names_people_publicly
        from meetings.selectors.sessions import person_section
        from meetings.sitemaps import CallSitemap, MeetingSitemap
        from meetings.views.member import my_gds_nominations, my_gds_section
        from meetings.views.public import call_status_part, committee_link_part

        # The meetings mail folder (abstract receipts, decisions) is the program
        # committee's. A draft's reminder names the draft, and drafts are the author's
        # alone: no committee reads it.
        mail_domains.register(MailDomain("meetings", ("meetings/",), "meetings.view_abstract"))
        mail_domains.register(MailDomain("meetings-drafts", ("meetings/abstract-reminder",), None))
        registry.register(MeetingSearch())
        # The call's state differs per member (a personal extension): the visitor's part
        # of the otherwise shared call page.
        visitor_parts.register(
            "meetings.call_status",
            VisitorPart("meetings/parts/call_status.html", call_status_part),
        )
        visitor_parts.register(
            "meetings.committee_link",
            VisitorPart("meetings/parts/committee_link.html", committee_link_part),
        )
        navigation.register(NavEntry("Meetings", "meetings:list", order=20))
        sitemaps.register("meetings", MeetingSitemap)
        sitemaps.register("meeting-calls", CallSitemap)
        public_models.register(
            Meeting, SortingCategory, CategoryCosponsor, ContributedSession, SessionTalk
        )
        # (A presenter's person page appears once their account has verified the address
        # on the abstract: accounts registers allauth's addresses as public.)
        # The meeting page counts the invited-speaker nominations (nomination_aggregates).
        # A personal extension changes what its member's call page shows; the call page
        # keeps the meeting's extensions per content generation (call_status_part).
        public_models.register(SpeakerNomination, DeadlineExtension)
        # What public meeting and person pages show of the contributed program: accepted
        # abstracts (a withdrawal drops one), their authors and affiliations, whether the
        # decision went out, and the invited program. SpeakerConfirmation too, since an
        # answer is shown on an abstract's page; answers are rare writes. Reviews, scores
        # and assignments are not registered (no public page shows them), so saving a
        # review never empties the cache (review_save only locks the abstract's row).
        public_models.register(
            Abstract,
            AbstractAuthor,
            Affiliation,
            DecisionNotification,
            SpeakerConfirmation,
            InvitedSession,
            InvitedTalk,
        )
        demo_loaders.register("meetings.demo.load")
        # A person's invited talks and contributed talks in published sessions.
        person_page.register(
            Section("Meeting talks", "meetings/_person_page.html", person_section, order=25)
        )
        # Meeting pages are public: their chair, session chairs and invited speakers too,
        # and the chairs and presenters of published contributed sessions.
        public_people.register("meetings", names_people_publicly)
        registry.register(SortingCategorySearch())
        registry.register(AbstractSearch())
        my_gds.register(Section("My abstracts", "meetings/_my_gds.html", my_gds_section, order=20))
        my_gds.register(
            Section(
                "My speaker nominations",
                "meetings/_my_gds_nominations.html",
                my_gds_nominations,
                order=21,
            )
        )
