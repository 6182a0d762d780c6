"""Who holds an office: a registry that the app keeping terms fills, for apps that ask.

An office (the ombudsman's, a committee chair's) is kept by one app, the one that
records terms (elections: `Office` and `Term`, elected or appointed); another app
may hang access on it (the ombudsman's concerns are read by the current holder
alone). Domain apps never import each other (tests/test_import_boundaries.py), so
the keeper registers a provider in its AppConfig.ready():

    from gds_portal.offices import offices
    offices.register(TermOffices())

and the asking app reads through the registry, by the office's slug:

    offices.holders("ombudsman")               # user ids holding it today, latest first
    offices.history("ombudsman")               # every span, latest first

Answers are user ids (and the holder's public name) with date spans (both days
included; `ends_on` None: open), never another app's models. With no provider
registered, nobody holds any office and every history is empty: an office nobody
keeps grants no access.

`guard(slug, reason)`: an app that hangs access on an office says so, and the
keeper then treats its terms as an access record (docs/ombudsman.md): a saved
term's person, office and first day stay as they are, terms are never deleted, and
a profile whose account holds or held the office keeps that account
(`guarded_record_of`, asked by community's account linking).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils import timezone


@dataclass(frozen=True)
class Holding:
    """One person's span in an office, from `starts_on` to `ends_on`.

    `name` is the holder's public name; `user_id` their account, None when the person
    has no account linked: such a span holds the office for the record (it ends an
    earlier one's hold) but gives nobody access.
    """

    user_id: int | None
    name: str
    starts_on: date
    ends_on: date | None

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class OfficeProvider(Protocol):
    def holdings(self, office: str, on: date) -> list[Holding]:
        """The spans of `office` that include `on`, latest start first."""
        ...

    def history(self, office: str) -> list[Holding]:
        """Every span of `office`, latest start first."""
        ...


class OfficeRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, OfficeProvider] = {}
        self._guarded: dict[str, str] = {}

    def register(self, provider: OfficeProvider) -> None:
        # Keyed by class so a module imported twice does not register twice.
        self._providers[type(provider).__qualname__] = provider

    def unregister(self, provider: OfficeProvider) -> None:
        self._providers.pop(type(provider).__qualname__, None)

    def holdings(self, office: str, on: date | None = None) -> list[Holding]:
        """The spans of `office` that include `on` (today), latest start first."""
        on = on or timezone.localdate()
        found = [h for p in self._providers.values() for h in p.holdings(office, on)]
        return sorted(found, key=lambda h: h.starts_on, reverse=True)

    def holders(self, office: str, on: date | None = None) -> list[int]:
        """The accounts holding `office` on `on` (today), latest start first."""
        return [h.user_id for h in self.holdings(office, on) if h.user_id is not None]

    def history(self, office: str) -> list[Holding]:
        found = [h for p in self._providers.values() for h in p.history(office)]
        return sorted(found, key=lambda h: h.starts_on, reverse=True)

    def guard(self, office: str, reason: str) -> None:
        """`office` gives its holder access to something (`reason`, shown in the admin)."""
        self._guarded[office] = reason

    def guarded(self, office: str) -> str | None:
        """Why `office`'s terms are an access record, or None if they are not."""
        return self._guarded.get(office)

    def guarded_record_of(self, user_id: int | None) -> str | None:
        """Why `user_id`'s account is named in a guarded office's record (it holds or
        held the office through it), or None. Relinking such an account to another
        profile would rewrite who held the office, or hand it to someone else."""
        if user_id is None:
            return None
        for office, reason in self._guarded.items():
            if any(h.user_id == user_id for h in self.history(office)):
                return f"{office}: {reason}"
        return None


offices = OfficeRegistry()
