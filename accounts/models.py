import unicodedata
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from accounts.enums import CareerStage
from accounts.identity import canonical_email, lookalike_key
from gds_portal.validators import validate_orcid


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # The spelling stored for delivery: allauth looks addresses up in lower case.
        # Identity is decided by `User.email_canonical`, not by this.
        return unicodedata.normalize("NFC", (email or "").strip().lower())

    def get_by_natural_key(self, email):
        # Email is the login; one account per canonical form (accounts/identity.py).
        # Never `email__iexact`: PostgreSQL's UPPER folds the dotless i to `I`, so `iris@`
        # and its spelling with a dotless i both matched and login was a 500.
        return self.get(email_canonical=canonical_email(email))

    def with_email(self, email: str) -> "models.QuerySet[User]":
        """The accounts (none or one) registered under `email` in any spelling of it."""
        return self.filter(email_canonical=canonical_email(email))

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    # What a member keeps in their profile (the profile form, the admin's Profile part).
    PROFILE_FIELDS = (
        "full_name",
        "affiliation",
        "country",
        "career_stage",
        "orcid",
        "aps_member_number",
    )

    email = models.EmailField("email address", max_length=254)
    # Derived from `email` on every save (see `save`), never edited by hand: the form
    # that identifies the account (unique), and the key of the addresses that read
    # the same. Text, not varchar: folding can lengthen an address (ß → ss).
    email_canonical = models.TextField(null=True, editable=False)  # noqa: DJ001 -- NULL: see Meta
    email_lookalike_key = models.CharField(max_length=64, editable=False, db_index=True)
    full_name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    career_stage = models.CharField(max_length=20, choices=CareerStage.choices, blank=True)
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="Optional, e.g. 0000-0002-1825-0097.",
    )
    aps_member_number = models.CharField(
        "APS member number", max_length=20, blank=True, help_text="Optional."
    )
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the admin (committee members)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            # NULL only for the look-alike duplicates that migration 0004 found and
            # deactivated (docs/security.md, "Identity"): PostgreSQL never counts
            # NULLs as equal, so they keep their rows without a claim on the address.
            models.UniqueConstraint(
                fields=["email_canonical"],
                name="accounts_user_email_canonical_unique",
                violation_error_message="An account with this email address already exists.",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived columns, not a side effect: computed here so that every way an
        # address is written (allauth, the admin, factories, demo loaders) keeps them.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "email" in update_fields:
            self.email_canonical = canonical_email(self.email)
            self.email_lookalike_key = lookalike_key(self.email)
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_canonical", "email_lookalike_key"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:my_gds")

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def signature(self) -> str:
        """The name to sign with, never blank: the full name, else the address (a name
        is optional; mail and pages that say who wrote something must still say it)."""
        return self.full_name or self.email
