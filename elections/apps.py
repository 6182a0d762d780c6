from django.apps import AppConfig


def refuse_deleting_office_holders(sender, instance, **kwargs) -> None:
    from django.db.models import ProtectedError

    from gds_portal.offices import offices

    if record := offices.guarded_record_of(instance.pk):
        raise ProtectedError(
            f"{instance.email} holds or held an office that gives access ({record}); "
            "its record and access log name this account, so it is never deleted.",
            {instance},
        )


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = "Elections and officers"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from accounts.models import User
        from community.visibility import public_people
        from elections import rules, sections, selectors  # noqa: F401  (rules registers perms)
        from elections.models import (
            Candidacy,
            Contest,
            ContestResult,
            Election,
            Office,
            Term,
        )
        from elections.offices import TermOffices
        from elections.sitemaps import ElectionSitemap, OfficersSitemap
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.navigation import NavEntry, navigation
        from gds_portal.offices import offices
        from gds_portal.pagecache import public_models
        from gds_portal.sections import Section, home_page, my_gds, person_page
        from gds_portal.sitemaps import sitemaps

        # Every election mail is its recipient's alone (no committee reads it in the
        # outbox): nominee links are keys, receipts may carry trackers, and reminders
        # say who has not voted yet.
        mail_domains.register(MailDomain("elections", ("elections/",), None))
        navigation.register(NavEntry("Officers", "elections:officers", order=60))
        sitemaps.register("officers", OfficersSitemap)
        sitemaps.register("elections", ElectionSitemap)
        # Ballots are shown only once results are published, which writes the election.
        public_models.register(Office, Term, Election, Contest, Candidacy, ContestResult)
        demo_loaders.register("elections.demo.load")
        # Who holds an office, for apps that hang access on one (the ombudsman's).
        offices.register(TermOffices())
        # The last lock under the user admin's refusal: no account named by a guarded
        # office's record is deleted, by the admin, a bulk action or a shell.
        pre_delete.connect(
            refuse_deleting_office_holders, sender=User, dispatch_uid="elections-holders"
        )
        public_people.register("elections", selectors.names_people_publicly)
        my_gds.register(
            Section("Elections", "elections/_my_gds.html", sections.my_elections, order=15)
        )
        person_page.register(
            Section("Offices held", "elections/_person_page.html", sections.person_terms, 15)
        )
        home_page.register(
            Section("Election", "elections/_home_page.html", sections.home_election, 5)
        )
