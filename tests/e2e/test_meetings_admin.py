"""The Program committee imports sorting categories from CSV in the admin."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from meetings.models import SortingCategory
from tests.e2e.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory


def test_program_committee_imports_categories_and_fixes_a_bad_line(page, tmp_path):
    meeting = MeetingFactory(name="APS March Meeting 2021")
    UserFactory(email="chair@example.org", roles=[Role.PROGRAM_COMMITTEE])
    login(page, "chair@example.org", PASSWORD)

    page.goto(page.live_url + "/admin/meetings/sortingcategory/")
    page.get_by_role("link", name="Import from CSV").click()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,title,kind,co-sponsors\n"
        "23.01.00,GDS FOCUS SESSIONS,heading,\n"
        '23.01.01,Big Data in Physics,focus sesion,"GDS, DCOMP, GSNP"\n'
    )
    page.get_by_label("Meeting").select_option(label="APS March Meeting 2021")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("Line 3: kind 'focus sesion'")
    assert SortingCategory.objects.count() == 0

    good = tmp_path / "good.csv"
    good.write_text(bad.read_text().replace("focus sesion", "focus session"))
    page.get_by_label("Meeting").select_option(label="APS March Meeting 2021")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("2 categories created"))
    focus = SortingCategory.objects.get(code="23.01.01")
    assert (focus.meeting, focus.parent.code, focus.cosponsor_codes) == (
        meeting,
        "23.01.00",
        ["GDS", "DCOMP", "GSNP"],
    )
