"""The Webinar committee imports a platform's attendance report and reads the figures."""

import csv
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from accounts.identity import canonical_email
from tests.e2e.conftest import assert_accessible, login, watch
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.webinars import WebinarFactory
from webinars.enums import RegistrationStatus
from webinars.models import Participant, Registration

HEADER = [
    "Attended",
    "User Name (Original Name)",
    "Email",
    "Join Time",
    "Time in Session (minutes)",
]


def _report(path, rows) -> str:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Attendee Report"])
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def _upload(page, title: str, path: str) -> None:
    page.get_by_label("Webinar").select_option(label=title)
    page.get_by_label("Report (CSV)").set_input_files(path)
    page.get_by_role("button", name="Preview").click()


def test_committee_imports_attendance_fixes_a_line_and_sees_the_figures(page, tmp_path):
    title = "Tools for teaching data science to physics students"
    webinar = WebinarFactory(title=title, start_at=timezone.now() - timedelta(days=3))
    Registration.objects.create(
        webinar=webinar,
        name="Ada Registrant",
        email="ada@example.org",
        email_key=canonical_email("ada@example.org"),
        status=RegistrationStatus.CONFIRMED,
    )
    UserFactory(email="host@example.org", roles=[Role.WEBINAR_COMMITTEE])
    login(page, "host@example.org", PASSWORD)
    rows = [
        ["Yes", "Ada R.", "ADA@example.org", "01/15/2021 11:02 AM", "55"],
        ["Yes", "Bo Walk-in", "bo@example.org", "01/15/2021 11:05 AM", "40"],
        ["No", "Cy Absent", "cy@example.org", "", ""],
    ]

    page.goto(page.live_url + "/admin/webinars/registration/")
    page.get_by_role("link", name="Import attendance").click()
    assert_accessible(page)
    _upload(
        page, title, _report(tmp_path / "bad.csv", [*rows, ["Yes", "Dee", "dee-at-x", "", "3"]])
    )
    expect(page.get_by_test_id("import-errors")).to_contain_text(
        "Line 6: “dee-at-x” is not an email address."
    )
    expect(page.get_by_role("button", name="Import these")).to_have_count(0)
    assert_accessible(page)
    assert Participant.objects.count() == 0

    page.get_by_role("link", name="Upload another file").click()
    _upload(page, title, _report(tmp_path / "good.csv", rows))
    expect(page.get_by_test_id("import-summary")).to_contain_text("3 to add, 0 to update")
    expect(page.get_by_test_id("import-notes")).to_contain_text("bo@example.org")
    assert_accessible(page)
    page.get_by_role("button", name="Import these 3 rows").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("3 added, 0 updated, 0 unchanged")
    assert Participant.objects.filter(webinar=webinar).count() == 3
    assert Registration.objects.get(webinar=webinar).attended_at is not None

    page.get_by_role("link", name="See the series figures").click()
    expect(page.get_by_test_id("figures-registrants")).to_have_text("3")
    expect(page.get_by_test_id("figures-attendees")).to_have_text("2")
    expect(page.get_by_test_id("figures-webinars")).to_contain_text("33.3 %")
    assert_accessible(page)


def test_the_upload_shows_its_progress_and_works_without_script(browser, live_server, tmp_path):
    """The progress bar follows the real upload; with JavaScript off the form posts as is."""
    webinar = WebinarFactory(title="Progress webinar", start_at=timezone.now() - timedelta(days=1))
    UserFactory(email="host@example.org", roles=[Role.WEBINAR_COMMITTEE])
    path = _report(
        tmp_path / "big.csv",
        [["Yes", f"Person {n}", f"person{n}@example.org", "", "30"] for n in range(3000)],
    )
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        problems = watch(context)
        page = context.new_page()
        page.live_url = live_server.url
        login(page, "host@example.org", PASSWORD)
        page.goto(live_server.url + "/admin/webinars/registration/import/")
        if javascript:
            # Every value the bar held: before each change (oldValue) and after it.
            page.evaluate(
                "window.__seen = []; const bar = document.querySelector('progress');"
                "new MutationObserver((records) => records.forEach((r) => window.__seen.push("
                "r.oldValue, r.target.getAttribute('value'))))"
                ".observe(bar, {attributes: true, attributeOldValue: true});"
            )
        _upload(page, "Progress webinar", path)
        expect(page.get_by_test_id("import-summary")).to_contain_text("3000 to add")
        if javascript:
            seen = page.evaluate("window.__seen")
            assert "100" in seen, seen  # the bar reached the end of the upload
        context.close()
        assert problems == []
    assert Participant.objects.filter(webinar=webinar).count() == 0
