from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from gds_portal.mail import SENSITIVE_HEADER
from gds_portal.throttle import client_ip


def on_site(url: str) -> str:
    """The same path on the configured SITE_URL, whatever Host the request named."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
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
