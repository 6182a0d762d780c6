"""Validators shared by every app (identifiers people type by hand)."""

import re
import unicodedata
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def orcid_checksum(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    value = value.strip().upper()
    for prefix in ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    return value


def validate_orcid(value: str) -> None:
    value = normalize_orcid(value)
    if not ORCID_RE.match(value):
        raise ValidationError(
            "Enter an ORCID iD in the form 0000-0002-1825-0097.", code="orcid_format"
        )
    digits = value.replace("-", "")
    if orcid_checksum(digits[:-1]) != digits[-1]:
        raise ValidationError(
            "This ORCID iD's check digit does not match; please copy it again from orcid.org.",
            code="orcid_checksum",
        )


def normalize_doi(value: str) -> str:
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value


def doi_url(doi: str) -> str:
    """The doi.org link of a DOI. A DOI may hold "#", "?", "<" and other characters that
    would end or break a URL path, so everything but the usual separators is
    percent-encoded (the resolver decodes it)."""
    return "https://doi.org/" + quote(doi, safe="/:;()")


def validate_doi(value: str) -> None:
    if not DOI_RE.match(normalize_doi(value)):
        raise ValidationError("Enter a DOI such as 10.1103/PhysRevLett.120.145301.", code="doi")


def orcid_form_field(**kwargs):
    """A form field for ORCID iDs that also accepts a pasted orcid.org link.

    Pair it with `normalize_orcid` in the form's clean_orcid; the model field's
    validator then checks the normalised value.
    """
    from django import forms

    return forms.CharField(
        label=kwargs.pop("label", "ORCID iD"),
        max_length=60,
        required=False,
        help_text=kwargs.pop(
            "help_text", "Optional, e.g. 0000-0002-1825-0097 or its orcid.org link."
        ),
        **kwargs,
    )


# The hosts of YouTube pages (webinars.video parses replays on the same hosts).
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
# A channel's address: /channel/<id>, /@handle, /c/<name> or /user/<name>.
YOUTUBE_CHANNEL_PATH = re.compile(
    r"^/(channel/UC[\w-]{22}|@[\w.-]{3,30}|c/[\w.-]+|user/[\w.-]+)/?$"
)


def validate_youtube_channel(url: str) -> None:
    """A YouTube channel's address on https (what the footer links to), nothing else."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or host not in YOUTUBE_HOSTS - {"youtu.be"}:
        raise ValidationError(
            "Enter the channel's address on YouTube, starting with https://www.youtube.com/.",
            code="youtube_host",
        )
    if parts.netloc.lower() != host:
        # `https://evil.org@www.youtube.com/…` reads as evil.org to a person; a port is
        # never part of a channel's address.
        raise ValidationError(
            "Enter the channel's address as YouTube shows it: no user name, password or "
            "port before the path.",
            code="youtube_netloc",
        )
    if not YOUTUBE_CHANNEL_PATH.match(parts.path):
        raise ValidationError(
            "This is not a channel's address: use youtube.com/channel/…, youtube.com/@name, "
            "youtube.com/c/… or youtube.com/user/….",
            code="youtube_channel",
        )


# Whitespace, controls and format characters (zero-width space, bidi marks) show nothing.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def validate_visible_text(value: str) -> None:
    """At least one character a reader can see: alt text of only spaces or zero-width
    characters would tell a screen-reader user nothing."""
    if not any(unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in value or ""):
        raise ValidationError("Write at least one visible character.", code="blank")
