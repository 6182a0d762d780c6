from django.apps import AppConfig


class CrrgConfig(AppConfig):
    name = "crrg"
    verbose_name = "CRRG"

    def ready(self) -> None:
        from accounts.protection import private_on_deletion
        from community.visibility import public_people
        from crrg import rules  # noqa: F401  (registers the permissions)
        from crrg.models import (
            Answer,
            AnswerChoice,
            Choice,
            CrrgPage,
            InterestGroup,
            Participation,
            Question,
            Questionnaire,
            Response,
        )
        from crrg.search import CrrgPageSearch, InterestGroupSearch
        from crrg.sections import diversity_surveys, my_crrg, my_surveys
        from crrg.selectors.answering import names_people_publicly
        from crrg.sitemaps import CrrgSitemap
        from gds_portal.demos import demo_loaders
        from gds_portal.mail import MailDomain, mail_domains
        from gds_portal.navigation import NavEntry, navigation
        from gds_portal.pagecache import public_models
        from gds_portal.search import registry
        from gds_portal.sections import Section, flatpage_sections, my_gds
        from gds_portal.sitemaps import sitemaps

        # Group messages go to consenting members: their coordinators' mail alone.
        mail_domains.register(MailDomain("crrg", ("crrg/",), "crrg.view_groupmessage"))
        # Survey invitations and reminders belong to whichever committee runs the survey
        # (not the CRRG's), and a reminder tells a member a draft waits: their recipients'
        # alone, as the meetings' draft reminders are.
        mail_domains.register(
            MailDomain("surveys", ("crrg/survey-invitation", "crrg/survey-reminder"), None)
        )
        public_people.register("crrg", names_people_publicly)
        # A member's deletion page must not say that they took part in an anonymous
        # survey or that a draft of theirs waits (docs/surveys.md): their rows go with
        # the account unlisted.
        private_on_deletion.register(Response, Answer, AnswerChoice, Participation)
        navigation.register(NavEntry("CRRG", "crrg:home", order=40))
        sitemaps.register("crrg", CrrgSitemap)
        public_models.register(CrrgPage, InterestGroup, Questionnaire, Question, Choice)
        registry.register(CrrgPageSearch())
        registry.register(InterestGroupSearch())
        demo_loaders.register("crrg.demo.load")
        my_gds.register(
            Section("COVID Research and Resources Group", "crrg/_my_gds.html", my_crrg, order=40)
        )
        my_gds.register(Section("Surveys", "crrg/_my_surveys.html", my_surveys, order=45))
        flatpage_sections.register(
            Section("Member survey", "crrg/_flatpage_surveys.html", diversity_surveys, order=10)
        )
