from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from gds_portal.search import EXACT, PROSE, trigram_index
from gds_portal.uploads import random_upload_name
from gds_portal.validators import validate_orcid

# Full-text search over people, name first (community/search.py ranks on it).
PERSON_SEARCH_VECTOR = (
    # A name is matched as written, accents forgiven; also as prose, so that a query
    # mixing a name and words of the bio ("hastings ecology") matches in one reading.
    SearchVector("name", weight="A", config=EXACT)
    + SearchVector("name", weight="A", config=PROSE)
    + SearchVector("affiliation", "position", weight="B", config=PROSE)
    + SearchVector("bio", weight="C", config=PROSE)
)


class Person(models.Model):
    """The public profile of an author, speaker or nominee.

    Separate from `User`: most people the newsletter or a webinar names never
    sign in, and a member may choose to link their account to their profile.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    affiliation = models.CharField(max_length=250, blank=True)
    position = models.CharField(
        max_length=200, blank=True, help_text="e.g. Postdoctoral Fellow, Professor of Physics"
    )
    bio = models.TextField(blank=True, help_text="Markdown; maths with $…$ allowed.")
    photo = models.ImageField(upload_to=random_upload_name("people"), blank=True)
    website = models.URLField(blank=True)
    orcid = models.CharField("ORCID iD", max_length=19, blank=True, validators=[validate_orcid])
    email = models.EmailField(
        blank=True, help_text="Never shown publicly; used to match nominations to people."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored so that ranking a search hit reads it instead of re-parsing the bio.
    search_vector = models.GeneratedField(
        expression=PERSON_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )
    # Who changed a profile and when; above all who linked it to which account
    # (community.services.person_link_account names the account in the reason).
    history = HistoricalRecords(excluded_fields=["search_vector", "updated_at", "photo"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["name"]),
            trigram_index("name", "person_name_trgm_idx"),  # "did you mean"
            GinIndex(fields=["search_vector"], name="person_search_idx"),
            # Words of the name, for matching what a reader types ("ada lov" finds
            # Ada Lovelace): see webinars.selectors.NAME_WORDS, which must match it.
            GinIndex(SearchVector("name", config="simple"), name="person_name_words_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:person", kwargs={"slug": self.slug})


class Unit(models.Model):
    """An APS unit (division, topical group or forum) that co-sponsors GDS work."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
