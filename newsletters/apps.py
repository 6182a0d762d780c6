from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletter"

    def ready(self):
        from community.visibility import public_people
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.navigation import NavEntry, navigation
        from gds_portal.pagecache import public_models
        from gds_portal.search import registry
        from gds_portal.sections import Section, home_page, my_gds, person_page
        from gds_portal.sitemaps import sitemaps
        from newsletters import sections, selectors
        from newsletters.models import Article, Authorship, Figure, Issue, Reference
        from newsletters.search import ArticleSearch
        from newsletters.sitemaps import ArticleSitemap, IssueSitemap

        mail_domains.register(
            MailDomain("newsletters", ("newsletters/",), "newsletters.view_subscriber")
        )
        registry.register(ArticleSearch())
        navigation.register(NavEntry("Newsletters", "newsletters:archive", order=10))
        sitemaps.register("newsletter-issues", IssueSitemap)
        sitemaps.register("newsletter-articles", ArticleSitemap)
        # Figures are shown in their article (found by the shared pages' table guard).
        public_models.register(Issue, Article, Authorship, Reference, Figure)
        demo_loaders.register("newsletters.demo.load")
        public_people.register("newsletters", selectors.names_people_publicly)
        home_page.register(
            Section("Latest newsletter", "newsletters/_home_latest.html", sections.latest, order=10)
        )
        my_gds.register(
            Section("Newsletter", "newsletters/_my_gds.html", sections.my_subscription, order=50)
        )
        person_page.register(
            Section("Newsletter articles", "newsletters/_person_articles.html", sections.articles)
        )
