"""One identity per address: the canonical form of an email address and its look-alikes.

Two questions are kept apart on purpose:

* **Is it the same address?** `canonical_email`: Unicode NFKC, then full case folding,
  then NFKC again (the "NFKC_Casefold" of UTS #31 / the caseless identifier matching of
  Unicode chapter 3.13). Case folding is the one mapping Unicode defines for ignoring
  case (Python's `lower()` is not: the long s U+017F, sharp s U+00DF survive it), and
  NFKC merges the compatibility forms (full-width letters, the Kelvin sign U+212A,
  ligatures) with the letters they stand for. It is computed in Python, not by the
  database: PostgreSQL's `UPPER`/`LOWER` depend on the database collation (its UPPER
  of the dotless i U+0131 is `I`, which caused issue 15's 500s), and a citext column
  or an ICU nondeterministic collation would
  still not fold the compatibility forms, nor let Django's unique constraint and our
  lookups share one definition that tests can call. The form is stored in
  `User.email_canonical` under a unique constraint, and every lookup of a user by
  address goes through it.

* **Would a person read it as another address?** `lookalike_key`: the UTS #39
  confusable *skeleton* of the canonical form (`iris` spelled with a dotless i, with a
  digit one for the first i, or `alice` with a Cyrillic a, all have the skeleton of the
  ASCII spelling). The skeleton
  comes from ICU's SpoofChecker, the reference implementation of UTS #39, rather than a
  hand table that would age. Skeletons are never used to *find* an account (two
  addresses with one skeleton are still two mailboxes); they decide what may be
  registered (`address_problem`, `lookalike_owner`) and which lockout a failed login
  counts against (`throttle_key`). The key is stored hashed: a skeleton can be several
  times longer than the address, and only equality is ever asked of it.
"""

from __future__ import annotations

import hashlib
import unicodedata

import icu
from django.core.exceptions import ValidationError

_SPOOF = icu.SpoofChecker()

# Letters that are really compatibility forms or fold to other letters: stored as
# typed they would be matched as the plain spelling, so one account could be claimed
# under a second spelling. Refused at entry rather than silently rewritten, because
# the mailbox the member named may genuinely differ (a mail server may treat `ß` and
# `ss` apart).
UNUSUAL_FORMS = (
    "This address uses special forms of letters (such as \u017f, the Kelvin sign, \u00df, "
    "ligatures or full-width letters). Please type it with ordinary letters."
)
INVISIBLE = (
    "This address contains spaces, invisible or control characters, or accents placed on "
    "a plain letter. Please type it again."
)
LOOKALIKE_LETTERS = (
    "This address contains letters from another alphabet that look like ordinary letters "
    "(for example a dotless \u0131 or a Cyrillic \u0430). Please type it with ordinary "
    "letters."
)
# `"alice"@example.org` and `alice@example.org` name the same mailbox (RFC 5321 quoting),
# so a quoted local part would be a second account for one inbox. Members never need
# one: refused rather than unquoted, like the special letter forms above.
QUOTED = (
    "Please type the address without quotation marks or backslashes before the @ "
    "(for example alice@example.org)."
)
# `alice@[192.0.2.1]` would have our mail server deliver to any address a visitor names.
DOMAIN_LITERAL = "Please use an address at a domain name, not at an IP address."
TAKEN = "An account with this email address already exists."
LOOKS_TAKEN = (
    "This address looks the same as the address of an existing account. If that account "
    "is yours, sign in or reset your password; otherwise please use a different address, "
    "or write to the committee if this one really is yours."
)


# IDNA (UTS #46) reads these as the dot between domain labels: `example\u3002org` is
# example.org, and mail to it arrives there. NFKC already turns U+FF0E into "." and
# U+FF61 into U+3002; U+3002 itself it leaves alone.
IDEOGRAPHIC_FULL_STOP = "\u3002"


def typed_address(address: str) -> str:
    """An address as typed, in NFKC: full-width letters, at signs and dots (U+FF41…, U+FF20,
    U+FF0E) become the ASCII ones before a syntax check, as `canonical_email` reads them too.
    Case is kept: this is the spelling mail is sent to."""
    return unicodedata.normalize("NFKC", str(address).strip())


def canonical_email(address: str) -> str:
    """The one form under which an address is stored unique and looked up."""
    folded = typed_address(address).casefold()
    local, at, domain = unicodedata.normalize("NFKC", folded).rpartition("@")
    return local + at + domain.replace(IDEOGRAPHIC_FULL_STOP, ".")


def skeleton(text: str) -> str:
    """The UTS #39 confusable skeleton of `text` (ICU)."""
    return _SPOOF.getSkeleton(0, text)


def lookalike_key(address: str) -> str:
    """Equal for two addresses that a person would read as the same (hashed skeleton)."""
    return hashlib.sha256(skeleton(canonical_email(address)).encode()).hexdigest()


def address_problem(address: str) -> str | None:
    """Why `address` may not be registered as it is typed, or None if it may.

    Checked at sign-up, email change and in the admin, before any collision check:
    it refuses every spelling that could later be read as somebody else's address,
    whichever of the two was registered first.
    """
    typed = unicodedata.normalize("NFC", str(address).strip().lower())
    canonical = canonical_email(address)
    if canonical != typed:
        return UNUSUAL_FORMS
    local_part, _, domain = canonical.rpartition("@")
    if '"' in local_part or "\\" in local_part:
        return QUOTED
    if domain.startswith("["):
        return DOMAIN_LITERAL
    previous = ""
    for char in canonical:
        category = unicodedata.category(char)
        if category[0] in "CZ" or (category in {"Mn", "Me"} and previous.isascii()):
            return INVISIBLE
        previous = char
    if any(_mixes_in_lookalikes(label) for label in _labels(canonical)):
        return LOOKALIKE_LETTERS
    return None


def _labels(address: str) -> list[str]:
    return address.replace("@", ".").split(".")


def _mixes_in_lookalikes(label: str) -> bool:
    """A non-ASCII letter that reads as ASCII, among ASCII letters or all of them such.

    `iris` with a dotless i and `alice` with a Cyrillic a are refused; an all-Greek or
    all-Cyrillic label is not, unless every letter of it reads as Latin (`coco` in
    Cyrillic), because its skeleton is only partly Latin and collisions between such
    labels are left to `lookalike_owner`.
    """
    sneaky = [c for c in label if not c.isascii() and skeleton(c).isascii()]
    if not sneaky:
        return False
    return any(c.isascii() and c.isalnum() for c in label) or skeleton(label).isascii()


def lookalike_owner(address: str, *, exclude_pk=None):
    """The other account whose address is `address`, or reads the same; else None."""
    from accounts.models import User

    users = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    canonical = canonical_email(address)
    same = users.filter(email_canonical=canonical).first()
    if same is not None:
        return same
    return users.filter(email_lookalike_key=lookalike_key(address)).order_by("pk").first()


def refuse_unusual(address: str) -> None:
    """Raise a friendly ValidationError if `address` may not be registered as typed."""
    problem = address_problem(address)
    if problem:
        raise ValidationError(problem, code="unusual_address")


def refuse_lookalike(address: str, *, exclude_pk=None) -> None:
    """Raise a friendly ValidationError if another account has, or seems to have, `address`.

    `exclude_pk`: the account the address is for (an email change, an admin edit).
    """
    owner = lookalike_owner(address, exclude_pk=exclude_pk)
    if owner is None:
        return
    if owner.email_canonical == canonical_email(address):
        raise ValidationError(TAKEN, code="email_taken")
    raise ValidationError(LOOKS_TAKEN, code="email_lookalike")


def validate_new_address(address: str, *, exclude_pk=None) -> None:
    """Both checks, for entry points that have no other (the admin's user forms)."""
    refuse_unusual(address)
    refuse_lookalike(address, exclude_pk=exclude_pk)


def throttle_key(name: str) -> str:
    """The key failed logins for `name` count against: one per group of look-alikes.

    The canonical address of the oldest account that reads the same as `name`, so
    `ALICE@`, and `alice@` with a dotless i or a Cyrillic a, all count against alice's
    lockout; the canonical
    form of `name` when no account looks like it. Values that cannot be an address
    (NUL bytes, overlong) are not looked up: they can name no account.
    """
    canonical = canonical_email(name)
    if "\x00" in canonical or "@" not in canonical or len(canonical) > 254:
        return canonical
    from accounts.models import User

    owner = (
        User.objects.filter(email_lookalike_key=lookalike_key(canonical))
        .order_by("pk")
        .values_list("email_canonical", flat=True)
        .first()
    )
    return owner or canonical


def verified_addresses(user) -> frozenset[str]:
    """The canonical forms of every address `user` has verified: the one answer to
    "is this a verified address of theirs?" (has_verified_address, the rules'
    `has_verified_email`, the meetings' author matching).

    One query, remembered on the user object for as long as its address stays the
    same: one page asks many times (each rule that needs a verified address, each
    author of an abstract). Only the member's own rows are read, then put in
    canonical form in Python: the database has no canonical column for allauth's
    EmailAddress, and `iexact` would compare by PostgreSQL's UPPER, which is not
    our identity.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    remembered = getattr(user, "_verified_addresses", None)
    if remembered is not None and remembered[0] == user.email:
        return remembered[1]
    from allauth.account.models import EmailAddress

    from gds_portal.pagecache import cached_fragment

    def read() -> frozenset[str]:
        rows = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        return frozenset(canonical_email(email) for email in rows)

    # Kept per content generation too, so a signed-in page does not ask the database on
    # every request (issue 20): any committed write to allauth's addresses (a
    # verification, a removal) starts a new generation (accounts/apps.py), so what is
    # kept is never older than the last committed change.
    verified = cached_fragment(f"accounts:verified:{address_key(user)}", read)
    user._verified_addresses = (user.email, verified)
    return verified


def address_key(user) -> str:
    """A cache key part for `user` as they are now: their id and their address, hashed
    (an address may hold characters a cache key may not), so a changed address is a new
    key."""
    return f"{user.pk}:{hashlib.sha256(user.email.encode()).hexdigest()[:16]}"


def has_verified_address(user, address: str) -> bool:
    """Whether `user` has verified `address` (in any spelling of it)."""
    return bool(address) and canonical_email(address) in verified_addresses(user)


def same_address(first: str, second: str) -> bool:
    """Whether two stored or typed addresses are one address (by canonical form).

    For models without a canonical column (Person, Subscriber): pre-filter in SQL with
    `iexact`, then keep only the rows for which this holds. `iexact` alone compares by
    PostgreSQL's UPPER, under which `iris@` with a dotless i is `iris@`.
    """
    return bool(first) and canonical_email(first) == canonical_email(second)
