"""The rules of an office whose terms are an access record (gds_portal.offices.guard:
the ombudsman's). One function says whether a term may be saved or deleted; the
model's `clean` (so the admin forms), and every service that writes terms
(elections.services.terms, results_publish) ask it. docs/ombudsman.md explains why.

With `today` the day the change is made:
- a new term starts on or after today, at most `AHEAD` later, and after every other
  term of the office started (so no two share a first day: the latest start holds
  the office, with nothing left to chance);
- a term that has ended (its last day before today) is frozen: nothing changes and
  it is never deleted;
- a term under way keeps its person and first day; its last day may be set to today
  or later, never to the past, and cleared or moved later only while no later term
  follows it; it is never deleted;
- a term that has not started granted no access yet: it may be corrected (person,
  first day, last day) or deleted, as long as no later term follows it.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from elections.models import Term
from gds_portal.offices import offices

AHEAD = timedelta(days=365)


def _day(day: date) -> str:
    return f"{day:%d %B %Y}"


def guarded(term: Term) -> bool:
    return bool(offices.guarded(term.office.slug))


def later_term(term: Term) -> Term | None:
    """A term of the same office that starts after `term` (the next holder)."""
    return (
        Term.objects.filter(office_id=term.office_id, starts_on__gt=term.starts_on)
        .exclude(pk=term.pk)
        .order_by("starts_on")
        .first()
    )


def _start_refused(term: Term, today: date) -> str | None:
    name = term.office.name
    if term.starts_on < today:
        return (
            f"A term of {name} cannot start before today ({_day(today)}): its terms are "
            "the record of who had access, and a backdated term would rewrite it."
        )
    if term.starts_on > today + AHEAD:
        return (
            f"A term of {name} can start at most a year ahead (by {_day(today + AHEAD)}); "
            f"{_day(term.starts_on)} looks like a typing error in the year."
        )
    latest = (
        Term.objects.filter(office_id=term.office_id)
        .exclude(pk=term.pk)
        .order_by("-starts_on")
        .first()
    )
    if latest is not None and term.starts_on <= latest.starts_on:
        return (
            f"The latest term of {name} starts on {_day(latest.starts_on)}; a new one must "
            "start after that (the term under way then ends the day before). Its terms "
            "are the record of who had access, so none is slipped in earlier."
        )
    return None


def term_refused(
    term: Term, *, deleting: bool = False, today: date | None = None
) -> ValidationError | None:
    """Why `term` (as it is about to be saved, or deleted) breaks the rules above, or
    None. Only for a guarded office (or a term moved out of or into one)."""
    today = today or timezone.localdate()
    stored = Term.objects.filter(pk=term.pk).select_related("office").first() if term.pk else None
    if stored is not None and stored.office_id != term.office_id:
        if guarded(stored) or guarded(term):
            way = f"out of {stored.office.name}" if guarded(stored) else f"into {term.office.name}"
            return ValidationError(
                f"A term cannot be moved {way}: its terms are the record of who had "
                "access. Add a new term instead."
            )
        return None
    if not guarded(term):
        return None
    name = term.office.name
    if stored is None:
        reason = _start_refused(term, today)
        return ValidationError({"starts_on": reason}) if reason else None
    same = (term.person_id, term.starts_on, term.ends_on, term.title) == (
        stored.person_id,
        stored.starts_on,
        stored.ends_on,
        stored.title,
    )
    if stored.ends_on is not None and stored.ends_on < today and (deleting or not same):
        return ValidationError(
            f"This term of {name} ended on {_day(stored.ends_on)}: it is the record of who "
            "had access then, so it can no longer be changed or deleted."
        )
    if stored.ends_on is not None and stored.ends_on < today:
        return None  # saved unchanged
    later = later_term(stored)
    if stored.starts_on <= today:
        if deleting:
            return ValidationError(
                f"This term of {name} started on {_day(stored.starts_on)}: it is the record "
                "of who had access, so it cannot be deleted. End it instead (last day: "
                "today or later)."
            )
        if term.person_id != stored.person_id or term.starts_on != stored.starts_on:
            return ValidationError(
                f"This term of {name} has started: its person and first day are the record "
                "of who had access and cannot be changed. Add a new term instead."
            )
        if term.ends_on == stored.ends_on:
            return None
        if term.ends_on is not None and term.ends_on < today:
            return ValidationError(
                {
                    "ends_on": f"The last day can be today ({_day(today)}) or later, never "
                    "in the past: ending a term after the fact would rewrite who had access."
                }
            )
        longer = term.ends_on is None or (
            stored.ends_on is not None and term.ends_on > stored.ends_on
        )
        if longer and later is not None:
            return ValidationError(
                {
                    "ends_on": f"A later term of {name} starts on {_day(later.starts_on)}, "
                    "so this one cannot be extended. Correct or delete the later term first "
                    "(possible until it starts)."
                }
            )
        return None
    # Not started yet: it granted no access, so it may be corrected or deleted.
    if later is not None:
        return ValidationError(
            f"A later term of {name} starts on {_day(later.starts_on)}; correct or delete "
            "that one first."
        )
    if deleting or term.starts_on == stored.starts_on:
        return None
    reason = _start_refused(term, today)
    return ValidationError({"starts_on": reason}) if reason else None
