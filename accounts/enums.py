from django.db import models


class CareerStage(models.TextChoices):
    UNDERGRADUATE = "undergraduate", "Undergraduate student"
    GRADUATE = "graduate", "Graduate student"
    POSTDOC = "postdoc", "Postdoctoral researcher"
    EARLY = "early", "Early career (within 10 years of PhD)"
    MID = "mid", "Mid career"
    SENIOR = "senior", "Senior"
    INDUSTRY = "industry", "Industry or government"
    RETIRED = "retired", "Retired"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    """The committee roles; each is a Django group, with the permissions of accounts/roles.py."""

    NEWSLETTER_EDITORS = "Newsletter editors"
    PROGRAM_COMMITTEE = "Program committee"
    WEBINAR_COMMITTEE = "Webinar committee"
    CRRG_COORDINATORS = "CRRG coordinators"
    EXECUTIVE_COMMITTEE = "Executive committee"
