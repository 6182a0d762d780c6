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

`guard(slug, reason, on_change=listener)`: an app that hangs access on an office
says so, and the keeper then treats its terms as an access record (docs/ombudsman.md):
no term starts before the day it is saved, a term that has ended is frozen, a term
under way may only be ended from today on, only a term that has not started may be
corrected or deleted, and a profile named by any of the office's terms keeps its
account (`guarded_offices_of`, asked by community's account linking; `guarded_record_of`
by the user admin, which never deletes such an account). Every write of a guarded
office's terms (and a profile link) is announced with `changed(slug, change)`, which
calls the guarding app's listener once the transaction commits: the change is told
at once, not at the next scheduled run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.db import transaction
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
    person_id: int | None = None  # community.Person, the profile the term names

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


@dataclass(frozen=True)
class OfficeChange:
    """What the keeper changed in a guarded office's terms, told to the guarding app.

    `what`: "added", "changed", "deleted", "profile" (a holder's or appointee's
    profile edited) or "linked" (a holder's profile got an
    account); `text`: one plain sentence saying it (names and days, nothing else);
    `holders_before`: the accounts holding the office today before the change;
    `affected`: the accounts of the persons of the terms touched (old and new).
    """

    office: str
    what: str
    text: str
    by: int | None = None
    holders_before: tuple[int, ...] = ()
    affected: tuple[int, ...] = field(default=())


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
        self._listeners: dict[str, Callable[[OfficeChange], None]] = {}

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

    def appointed(self, office: str, on: date | None = None) -> list[int]:
        """The accounts named by a term of `office` under way on `on` (today) or not yet
        started: today's holder and every appointee. An appointee's account is as
        sensitive as the holder's: whoever takes it over before the term starts reads
        what the office reads once it does."""
        on = on or timezone.localdate()
        return [
            h.user_id
            for h in self.history(office)
            if h.user_id is not None and (h.ends_on is None or h.ends_on >= on)
        ]

    def guard(
        self,
        office: str,
        reason: str,
        on_change: Callable[[OfficeChange], None] | None = None,
    ) -> None:
        """`office` gives its holder access to something (`reason`, shown in the admin);
        `on_change` hears of every change to its terms (after the commit)."""
        self._guarded[office] = reason
        if on_change is not None:
            self._listeners[office] = on_change

    def changed(self, change: OfficeChange) -> None:
        """The keeper changed a guarded office's terms: tell its listener once the
        transaction commits (nothing is told of a change that was rolled back)."""
        listener = self._listeners.get(change.office)
        if listener is not None:
            transaction.on_commit(lambda: listener(change))

    def guarded_offices_of(self, person_id: int | None) -> list[str]:
        """The guarded offices whose record names the profile `person_id` (any term,
        past, present or future). Its account link is then fixed once set: changing
        it would hand the office to another account or rewrite who held it."""
        if person_id is None:
            return []
        return [
            office
            for office in self._guarded
            if any(h.person_id == person_id for h in self.history(office))
        ]

    def appointing_offices_of(self, person_id: int | None) -> list[str]:
        """The guarded offices with a term naming the profile `person_id` that is under
        way or not yet started: its holder or appointee. Such a profile is the office's
        public face (where reporters are sent), so only a superuser edits it, and every
        edit is told to the guarding app."""
        if person_id is None:
            return []
        today = timezone.localdate()
        return [
            office
            for office in self._guarded
            if any(
                h.person_id == person_id and (h.ends_on is None or h.ends_on >= today)
                for h in self.history(office)
            )
        ]

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
