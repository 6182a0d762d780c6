from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletter"

    def ready(self):
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.search import registry
        from gds_portal.sections import Section, home_page, my_gds, person_page
        from newsletters import sections
        from newsletters.search import ArticleSearch

        mail_domains.register(
            MailDomain("newsletters", ("newsletters/",), "newsletters.view_subscriber")
        )
        registry.register(ArticleSearch())
        home_page.register(
            Section("Latest newsletter", "newsletters/_home_latest.html", sections.latest, order=10)
        )
        my_gds.register(
            Section("Newsletter", "newsletters/_my_gds.html", sections.my_subscription, order=50)
        )
        person_page.register(
            Section("Newsletter articles", "newsletters/_person_articles.html", sections.articles)
        )
