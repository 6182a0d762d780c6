"""Concern text and replies at rest: Fernet (AES-128-CBC with HMAC-SHA256), keys from
the environment (OMBUDSMAN_ENCRYPTION_KEYS, read in settings).

A MultiFernet over every configured key: the first encrypts, any decrypts, so keys
rotate without downtime (docs/ombudsman.md). Nothing here ever falls back to storing
plaintext: without a usable key, `encrypt` raises and the form that called it says
the line is closed.
"""

import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

DAY = 24 * 60 * 60


class EncryptionUnavailable(Exception):
    """No usable key: concerns can be neither stored nor read."""


# Shown on the concern form (and in the ombudsman's pages) when the key is missing.
UNAVAILABLE = (
    "The confidential line is closed at the moment: the portal has no encryption key "
    "for concerns, and it never stores a concern unencrypted. Please try again later."
)


def cipher() -> MultiFernet:
    keys = settings.OMBUDSMAN_ENCRYPTION_KEYS
    if not keys:
        raise EncryptionUnavailable("OMBUDSMAN_ENCRYPTION_KEYS is not set.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        # Never echo the key itself: it would end up in logs.
        raise EncryptionUnavailable(
            "OMBUDSMAN_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from None


def is_available() -> bool:
    try:
        cipher()
    except EncryptionUnavailable:
        return False
    return True


def encrypt(text: str) -> bytes:
    """`text` encrypted. A Fernet token carries its creation time in clear (seconds);
    ours carry the start of the UTC day instead, so the ciphertext of an anonymous
    concern tells no more than its stored day. Nothing here decrypts with a ttl, so
    the stamp is never checked against the clock (rotation keeps it as it is)."""
    day_start = int(time.time()) // DAY * DAY
    return cipher().encrypt_at_time(text.encode(), current_time=day_start)


def seal_for_link(purpose: str, text: str) -> str:
    """`text` encrypted for a link (url-safe text), stamped with the real time so that
    `open_link` can refuse it after its age. For what travels through mail, address
    bars and server logs (a visitor's address): signed alone, it would be readable by
    anyone who base64-decodes it. `purpose` is sealed in with it, so a token made for
    one use cannot be replayed as another."""
    return cipher().encrypt(f"{purpose}\n{text}".encode()).decode()


def open_link(purpose: str, token: str, *, max_age: int) -> str | None:
    """What `seal_for_link(purpose, …)` sealed, or None if the token is forged, made for
    another purpose, or older than `max_age` seconds. Raises EncryptionUnavailable
    without a key."""
    try:
        plain = cipher().decrypt(token.encode(), ttl=max_age).decode()
    except (InvalidToken, UnicodeError):
        return None
    sealed_for, _, text = plain.partition("\n")
    return text if sealed_for == purpose else None


def decrypt(token: bytes | memoryview) -> str:
    try:
        return cipher().decrypt(bytes(token)).decode()
    except InvalidToken:
        raise EncryptionUnavailable(
            "A stored concern could not be decrypted with the configured keys."
        ) from None


def rotate(token: bytes | memoryview) -> bytes:
    """`token` re-encrypted under the first key (MultiFernet.rotate)."""
    try:
        return cipher().rotate(bytes(token))
    except InvalidToken:
        raise EncryptionUnavailable(
            "A stored concern could not be decrypted with the configured keys."
        ) from None
