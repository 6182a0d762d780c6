"""The CRRG journey: a coordinator builds the questionnaire in the admin, a member joins
through it, and the coordinator reads the roster, the summary chart and the export."""

import csv
import io
import re

from playwright.sync_api import expect

from accounts.enums import Role
from crrg.models import InterestGroupMembership, Response
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.crrg import InterestGroupFactory


def _add_question(page, *, order, text, kind, required=False, choices=(), shown_if=None):
    page.goto(page.live_url + "/admin/crrg/question/add/")
    page.locator("#id_questionnaire").select_option(label="Join the CRRG 2021")
    page.locator("#id_order").fill(str(order))
    page.locator("#id_text").fill(text)
    page.locator("#id_kind").select_option(label=kind)
    if required:
        page.locator("#id_required").check()
    if shown_if:
        page.locator("#id_shown_if").select_option(label=shown_if)
    for i, (label, group) in enumerate(choices):
        page.locator(f"[name=choices-{i}-label]").fill(label)
        if group:
            page.locator(f"[name=choices-{i}-interest_group]").select_option(label=group)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def _coordinator_builds_the_questionnaire(page):
    page.goto(page.live_url + "/admin/crrg/questionnaire/add/")
    page.locator("#id_title").fill("Join the CRRG 2021")
    page.locator("#id_slug").fill("join-2021")
    page.locator("#id_introduction").fill("Tell us about your **COVID** work.")
    page.locator("#id_grants_membership").check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    _add_question(
        page,
        order=1,
        text="Do you work on COVID research?",
        kind="Single choice",
        required=True,
        choices=[("Yes", None), ("No", None)],
    )
    _add_question(
        page,
        order=2,
        text="Which interest groups?",
        kind="Multiple choice",
        choices=[
            ("Modeling", "Modeling"),
            ("Imaging", "Imaging"),
            ("Data analytics", "Data analytics"),
        ],
    )
    _add_question(
        page,
        order=3,
        text="Describe your COVID work",
        kind="Long text",
        required=True,
        shown_if="Join the CRRG 2021 — Do you work on COVID research? → Yes",
    )


def _member_joins(page, member):
    page.goto(page.live_url + "/crrg/")
    assert_accessible(page)
    page.get_by_role("link", name="Join the CRRG").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the CRRG 2021")
    details = field(page, "Describe your COVID work")
    expect(details).to_be_hidden()
    page.get_by_label("No", exact=True).check()
    expect(details).to_be_hidden()
    page.get_by_label("Yes", exact=True).check()
    expect(details).to_be_visible()
    assert_accessible(page)
    details.fill("Agent-based transmission models")
    page.get_by_label("Modeling").check()
    page.get_by_label("Imaging").check()
    page.get_by_label(re.compile("Coordinators may contact me")).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("my-answers")).to_contain_text("Agent-based transmission models")
    expect(page.get_by_test_id("my-answers")).to_contain_text("Modeling; Imaging")
    assert_accessible(page)

    # Change an answer while the questionnaire is open.
    field(page, "Describe your COVID work").fill("Agent-based models with mobility data")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_test_id("my-answers")).to_contain_text(
        "Agent-based models with mobility data"
    )
    assert Response.objects.filter(user=member).count() == 1

    # Two groups in My GDS; leave one.
    page.goto(page.live_url + "/my/")
    groups = page.get_by_test_id("my-interest-groups")
    expect(groups).to_contain_text("Modeling")
    expect(groups).to_contain_text("Imaging")
    assert_accessible(page)
    page.get_by_role("button", name="Leave Imaging").click()
    expect(page.get_by_text("You have left the Imaging interest group.")).to_be_visible()
    expect(page.get_by_test_id("my-interest-groups")).not_to_contain_text("Imaging")
    active = InterestGroupMembership.objects.filter(user=member, left_at__isnull=True)
    assert sorted(active.values_list("group__name", flat=True)) == ["Modeling"]


def _coordinator_reads_the_results(page, member):
    page.goto(page.live_url + "/crrg/coordinators/")
    assert_accessible(page)
    page.get_by_role("link", name="Join the CRRG 2021").click()
    expect(page.get_by_test_id("response-count")).to_contain_text("1 response")
    chart = page.locator("svg.gds-chart").nth(1)
    expect(chart).to_contain_text("Yes")
    expect(page.get_by_role("table", name="Answers to “Which interest groups?”")).to_contain_text(
        "Modeling"
    )
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as downloaded:
        text = downloaded.read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:3] == [member.full_name, member.affiliation, member.email]
    assert "Agent-based models with mobility data" in rows[1]

    page.goto(page.live_url + "/crrg/coordinators/")
    page.get_by_role("link", name="Modeling").click()
    expect(page.get_by_test_id("roster")).to_contain_text(member.full_name)
    expect(page.get_by_test_id("roster")).to_contain_text(member.email)
    assert_accessible(page)


def test_coordinator_builds_questionnaire_member_joins_coordinator_reads(page):
    for name in ("Modeling", "Imaging", "Data analytics"):
        InterestGroupFactory(name=name, slug=name.lower().replace(" ", "-"))
    coordinator = UserFactory(email="coord@example.org", roles=[Role.CRRG_COORDINATORS])
    member = UserFactory(email="ada@example.org", full_name="Ada Member", affiliation="Lab")

    login(page, coordinator.email, PASSWORD)
    _coordinator_builds_the_questionnaire(page)
    page.get_by_role("button", name="Log out").click()

    login(page, member.email, PASSWORD)
    _member_joins(page, member)
    page.get_by_role("button", name="Log out").click()

    login(page, coordinator.email, PASSWORD)
    _coordinator_reads_the_results(page, member)
