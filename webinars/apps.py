from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = "Webinars"

    def ready(self):
        from django.db.models.signals import post_save

        from community.models import Person
        from community.visibility import public_people
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.navigation import NavEntry, navigation
        from gds_portal.pagecache import public_models
        from gds_portal.search import registry
        from gds_portal.sections import Section, home_page, my_gds, person_page
        from gds_portal.sharedpages import VisitorPart, visitor_parts
        from gds_portal.sitemaps import sitemaps
        from webinars import sections, selectors, signals
        from webinars.models import Participant, Registration, Topic, Webinar, WebinarSpeaker
        from webinars.search import WebinarSearch
        from webinars.sitemaps import TopicSitemap, WebinarSitemap
        from webinars.views import visitor_part_context

        mail_domains.register(
            MailDomain("webinars", ("webinars/",), "webinars.view_speakernomination")
        )
        registry.register(WebinarSearch())
        # Registration and feedback differ per member: the visitor's part of the page.
        visitor_parts.register(
            "webinars.visitor", VisitorPart("webinars/parts/visitor.html", visitor_part_context)
        )
        navigation.register(NavEntry("Webinars", "webinars:list", order=30))
        sitemaps.register("webinars", WebinarSitemap)
        sitemaps.register("webinar-topics", TopicSitemap)
        # Registrations and imported attendance make the series' public figures.
        public_models.register(Webinar, WebinarSpeaker, Topic, Registration, Participant)
        demo_loaders.register("webinars.demo.load")
        public_people.register("webinars", selectors.names_people_publicly)
        my_gds.register(
            Section("My webinar nominations", "webinars/_my_gds.html", sections.my_nominations, 30)
        )
        my_gds.register(
            Section(
                "My webinar registrations",
                "webinars/_my_registrations.html",
                sections.my_registrations,
                29,
            )
        )
        my_gds.register(
            Section("Webinar feedback", "webinars/_my_feedback.html", sections.my_feedback, 31)
        )
        my_gds.register(
            Section(
                "Webinar announcements",
                "webinars/_my_announcements.html",
                sections.my_announcements,
                32,
            )
        )
        person_page.register(
            Section("Webinars", "webinars/_person_page.html", sections.person_webinars, 30)
        )
        home_page.register(
            Section("Upcoming webinars", "webinars/_home_page.html", sections.home_upcoming, 30)
        )
        post_save.connect(signals.person_saved, sender=Person, dispatch_uid="webinars.person")
        post_save.connect(signals.topic_saved, sender=Topic, dispatch_uid="webinars.topic")
