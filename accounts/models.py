from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from accounts.enums import CareerStage
from gds_portal.validators import validate_orcid


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # One spelling per address: allauth looks addresses up in lower case.
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        # Email is the login and is unique regardless of case.
        return self.get(email__iexact=email)

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
    email = models.EmailField("email address", max_length=254)
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
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="An account with this email address already exists.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:my_gds")

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
