import unicodedata
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages

from accounts.identity import canonical_email, refuse_lookalike, refuse_unusual
from gds_portal.mail import SENSITIVE_HEADER
from gds_portal.throttle import client_ip


def on_site(url: str) -> str:
    """The same path on the configured SITE_URL, whatever Host the request named."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        # Every address a member types to register (sign-up, email change) passes
        # here: spellings that could be read as another address are refused, whoever
        # holds that address now (accounts/identity.py). allauth also calls this
        # while saving a new account, so it must not look for collisions (the new
        # account would collide with itself): sign-up does that in
        # `validate_unique_email`, email change in `accounts.allauth_forms`.
        email = super().clean_email(email)
        refuse_unusual(email)
        return unicodedata.normalize("NFC", email)

    def validate_unique_email(self, email: str) -> str:
        # Sign-up only, after allauth's own check for the exact address.
        refuse_lookalike(email)
        return super().validate_unique_email(email)

    def confirm_email(self, request, email_address) -> bool:
        # Confirming an email change makes the address the account's own. Refused
        # (not a 500) if meanwhile another account took the address in any spelling.
        from accounts.models import User

        taken = (
            User.objects.filter(email_canonical=canonical_email(email_address.email))
            .exclude(pk=email_address.user_id)
            .exists()
        )
        if taken:
            messages.error(request, "Another account now uses this address; it was not added.")
            return False
        return super().confirm_email(request, email_address)

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers)
        # Verification and reset mails hold one-time secrets: the outbox files them
        # under the account domain, which only superusers see, and never shows a body.
        message.extra_headers[SENSITIVE_HEADER] = "1"
        return message

    def get_client_ip(self, request) -> str:
        # One rule for every per-address limit: X-Forwarded-For only from trusted proxies.
        return client_ip(request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))
