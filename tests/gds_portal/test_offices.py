"""The ground floor's office registry (gds_portal/offices.py): answers come from the
providers the apps register; with none, nobody holds any office."""

from datetime import date

import pytest

from gds_portal.offices import Holding, OfficeRegistry, offices

pytestmark = pytest.mark.django_db


class FixedTerms:
    """A provider with fixed spans of one office, "desk"."""

    def __init__(self, *spans: Holding):
        self.spans = spans

    def holdings(self, office: str, on: date) -> list[Holding]:
        return [s for s in self.spans if office == "desk" and s.covers(on)]

    def history(self, office: str) -> list[Holding]:
        return [s for s in self.spans if office == "desk"]


def test_without_a_provider_nobody_holds_any_office():
    registry = OfficeRegistry()
    assert registry.holdings("ombudsman") == []
    assert registry.holders("ombudsman", date(2026, 1, 1)) == []
    assert registry.history("ombudsman") == []
    assert registry.guarded_record_of(1) is None


def test_holders_are_the_accounts_of_the_spans_covering_the_day_latest_first():
    registry = OfficeRegistry()
    registry.register(
        FixedTerms(
            Holding(1, "Ann", date(2026, 1, 1), date(2026, 6, 30)),
            Holding(2, "Bo", date(2026, 6, 1), None),
            Holding(None, "No Account", date(2026, 9, 1), None),
        )
    )
    assert registry.holders("desk", date(2025, 12, 31)) == []
    assert registry.holders("desk", date(2026, 1, 1)) == [1]
    assert registry.holders("desk", date(2026, 6, 30)) == [2, 1]
    assert registry.holders("desk", date(2026, 7, 1)) == [2]
    # A span without an account is part of the record but names no account.
    assert [h.name for h in registry.holdings("desk", date(2026, 9, 1))] == ["No Account", "Bo"]
    assert registry.holders("desk", date(2026, 9, 1)) == [2]
    assert registry.holders("other", date(2026, 7, 1)) == []
    assert [h.name for h in registry.history("desk")] == ["No Account", "Bo", "Ann"]


def test_a_guarded_office_names_its_past_and_present_accounts():
    registry = OfficeRegistry()
    registry.register(FixedTerms(Holding(1, "Ann", date(2020, 1, 1), date(2020, 12, 31))))
    assert registry.guarded_record_of(1) is None  # not guarded: no record
    registry.guard("desk", "reads the desk's letters")
    assert registry.guarded("desk") == "reads the desk's letters"
    assert registry.guarded("other") is None
    assert registry.guarded_record_of(1) == "desk: reads the desk's letters"
    assert registry.guarded_record_of(2) is None


def test_the_site_registers_the_elections_terms_and_guards_the_ombudsman():
    assert [type(p).__name__ for p in offices._providers.values()] == ["TermOffices"]
    assert offices.guarded("ombudsman")


def test_a_guarded_office_hears_of_changes_once_committed(django_capture_on_commit_callbacks):
    from gds_portal.offices import OfficeChange

    registry = OfficeRegistry()
    registry.register(FixedTerms(Holding(1, "Ann", date(2020, 1, 1), None, person_id=7)))
    heard: list[OfficeChange] = []
    registry.guard("desk", "reads the desk's letters", on_change=heard.append)
    change = OfficeChange(office="desk", what="added", text="Term added: Ann.")
    with django_capture_on_commit_callbacks(execute=True):
        registry.changed(change)
        registry.changed(OfficeChange(office="other", what="added", text="unguarded"))
        assert heard == []  # not before the commit
    assert heard == [change]
    assert registry.guarded_offices_of(7) == ["desk"]
    assert registry.guarded_offices_of(8) == []
