import re
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.enums import Role
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory
from tests.factories.webinars import SpeakerNominationFactory, TopicFactory, WebinarFactory
from webinars.enums import NominationStatus
from webinars.models import SpeakerNomination, TopicSuggestion, Webinar

PLAYER = "<!doctype html><title>player</title><p id='player'>Stand-in video player</p>"


def test_reader_filters_by_topic_watches_a_replay_and_adds_to_calendar(page):
    dl = TopicFactory(name="Deep learning", slug="deep-learning")
    ae = TopicFactory(name="Autonomous experimentation", slug="autonomous-experimentation")
    speaker = PersonFactory(name="Ada Tutor", slug="ada-tutor")
    WebinarFactory(
        title="Neural networks, hands on",
        topics=[dl],
        speakers=[speaker],
        replay_url="https://www.youtube.com/watch?v=abcDEF12345",
        kind="tutorial",
    )
    WebinarFactory(title="Robots in the lab", topics=[ae])
    WebinarFactory(
        title="Coming up: transformers",
        topics=[dl],
        start_at=timezone.now() + timedelta(days=10),
    )
    # The sandbox has no internet: answer for the video host. CSP still applies,
    # since the browser checks frame-src before the request is made.
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=PLAYER),
    )

    page.goto(page.live_url + "/webinars/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Webinars")
    assert_accessible(page)
    page.get_by_label("Topic").select_option(label="Deep learning")
    page.get_by_role("button", name="Filter").click()
    archive = page.get_by_role("region", name="Archive")
    expect(archive.get_by_role("link", name="Neural networks, hands on")).to_be_visible()
    expect(archive.get_by_role("link", name="Robots in the lab")).to_have_count(0)
    expect(page.get_by_role("link", name="Coming up: transformers")).to_be_visible()
    assert_accessible(page)

    archive.get_by_role("link", name="Neural networks, hands on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neural networks, hands on")
    player = page.frame_locator("iframe[title^='Replay of']")
    expect(player.locator("#player")).to_have_text("Stand-in video player")
    assert page.locator("iframe").get_attribute("src") == (
        "https://www.youtube-nocookie.com/embed/abcDEF12345"
    )
    expect(page.get_by_role("link", name="Ada Tutor")).to_have_attribute(
        "href", "/people/ada-tutor/"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Ada Tutor").click()
    expect(page.get_by_test_id("person-webinars")).to_contain_text("Neural networks, hands on")
    assert_accessible(page)
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as ics:
        events = Calendar.from_ical(ics.read()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Neural networks, hands on"]

    page.get_by_role("link", name="Deep learning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deep learning")
    expect(page.get_by_role("link", name="Coming up: transformers")).to_be_visible()
    assert_accessible(page)


def test_nomination_from_member_to_committee_to_accepted(page):
    topic = TopicFactory(name="Data science education")
    UserFactory(email="nina@example.org", full_name="Nina Nominator")
    UserFactory(
        email="wendy@example.org", full_name="Wendy Webinar", roles=[Role.WEBINAR_COMMITTEE]
    )

    # A member nominates a speaker ...
    login(page, "nina@example.org", PASSWORD)
    page.goto(page.live_url + "/webinars/nominate/")
    assert_accessible(page)
    page.get_by_role("link", name="Nominate a speaker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nominate a speaker")
    field(page, "Nominee's name").fill("Carla Classroom")
    field(page, "Nominee's email").fill("carla@example.org")
    field(page, "Proposed talk title").fill("Notebooks in the physics lab course")
    page.get_by_label("Data science education").check()
    field(page, "Why this speaker?").fill("She has taught hundreds of students with them.")
    page.get_by_role("button", name="Send nomination").click()
    # ... forgets both website and ORCID iD, is told so, and loses nothing typed.
    expect(
        page.locator(".invalid-feedback").get_by_text(
            "Give the nominee's website or their ORCID iD."
        )
    ).to_be_visible()
    expect(field(page, "Nominee's name")).to_have_value("Carla Classroom")
    expect(field(page, "Why this speaker?")).to_have_value(
        "She has taught hundreds of students with them."
    )
    assert_accessible(page)
    field(page, "Nominee's website").fill("https://example.org/carla")
    page.get_by_label("The nominee is a woman").check()
    page.get_by_role("button", name="Send nomination").click()
    expect(page.get_by_test_id("nomination-status")).to_have_text("Received")
    assert_accessible(page)

    # ... and suggests a topic.
    page.goto(page.live_url + "/webinars/nominate/topic/")
    field(page, "Topic").fill("Uncertainty quantification")
    field(page, "Description").fill("Error bars for machine-learned models.")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.get_by_test_id("nomination-status")).to_have_text("Received")
    assert TopicSuggestion.objects.get().title == "Uncertainty quantification"

    # ... and offers to host.
    page.goto(page.live_url + "/webinars/nominate/host/")
    assert_accessible(page)
    page.get_by_label("Data science education").check()
    field(page, "Availability").fill("Thursday afternoons, UTC")
    page.get_by_role("button", name="Volunteer to host").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offer to host")
    expect(page.get_by_test_id("nomination-status")).to_have_text("Received")
    page.get_by_role("button", name="Log out").click()

    # The committee accepts the nomination in the admin and creates the webinar.
    nomination = SpeakerNomination.objects.get()
    assert nomination.nominee_is_woman is True
    assert list(nomination.topics.all()) == [topic]
    login(page, "wendy@example.org", PASSWORD)
    page.goto(page.live_url + "/admin/webinars/speakernomination/")
    assert_accessible(page)
    page.get_by_role("link", name="Carla Classroom").click()
    # By id: "Note in the status mail" has "status" in its label too.
    page.locator("#id_status").select_option(label="Accepted")
    page.get_by_label("Internal notes").fill("Invite for the spring series.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    page.locator("select[name=action]").select_option(value="create_webinar")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Created 1 draft webinar")
    webinar = Webinar.objects.get()
    assert (webinar.title, webinar.is_published) == ("Notebooks in the physics lab course", False)
    assert [p.email for p in webinar.speakers.all()] == ["carla@example.org"]
    nomination.refresh_from_db()
    assert (nomination.status, nomination.webinar) == (NominationStatus.ACCEPTED, webinar)
    page.get_by_role("button", name="Log out").click()

    # The nominator sees "Accepted" and nothing of the committee's notes.
    login(page, "nina@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My GDS")
    row = page.get_by_role("row", name=re.compile("Carla Classroom"))
    expect(row.get_by_test_id("nomination-status")).to_have_text("Accepted")
    expect(page.get_by_text("Invite for the spring series.")).to_have_count(0)
    assert_accessible(page)


def test_committee_reads_the_participation_counts(page):
    UserFactory(email="wendy@example.org", roles=[Role.WEBINAR_COMMITTEE])
    for i in range(6):
        SpeakerNominationFactory(country="BR", nominee_is_woman=i < 5, nominee_is_urm=i < 1)
    login(page, "wendy@example.org", PASSWORD)
    page.goto(page.live_url + "/webinars/committee/participation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Broadening participation")
    year = str(timezone.now().year)
    table = page.get_by_test_id(f"participation-{year}")
    expect(table.get_by_role("row", name=re.compile("^Women"))).to_contain_text("5")
    expect(table.get_by_role("row", name=re.compile("^Under-represented"))).to_contain_text("<5")
    expect(
        page.get_by_role("img", name=re.compile(f"Bar chart of the table for {year}"))
    ).to_be_visible()
    assert_accessible(page)


def test_committee_reads_a_nominations_status_history_in_the_admin(page):
    """The timeline on the change page and the history pages, read from the versions;
    the `page` fixture fails on any CSP violation or script error on the way."""
    UserFactory(email="wendy@example.org", roles=[Role.WEBINAR_COMMITTEE])
    nomination = SpeakerNominationFactory(nominee_name="Carla Classroom")
    login(page, "wendy@example.org", PASSWORD)
    change = f"{page.live_url}/admin/webinars/speakernomination/{nomination.pk}/change/"
    page.goto(change)
    page.get_by_label("Status:").select_option(label="Under review")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto(change)
    timeline = page.get_by_role("table", name="Status changes, newest first")
    latest = timeline.get_by_role("row").nth(1).get_by_role("cell")
    expect(latest.nth(1)).to_have_text("New")
    expect(latest.nth(2)).to_have_text("Under review")
    expect(latest.nth(3)).to_contain_text("wendy@example.org")
    page.get_by_role("link", name="History").click()
    versions = page.get_by_role("table", name="Recorded versions, newest first")
    expect(versions).to_contain_text("Status: new → under_review")
    versions.get_by_role("link").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("View")
    expect(page.get_by_role("button", name="Revert")).to_have_count(0)
    assert SpeakerNomination.objects.get().status == NominationStatus.UNDER_REVIEW


def test_committee_admin_change_pages_are_accessible(browser, live_server):
    """axe on the nomination and webinar change forms.

    A context of its own: axe-core, while it checks Django's change forms, sets
    inline styles that the CSP refuses and that the `page` fixture would count
    against the page. The journey above checks the same pages for real errors.
    """
    UserFactory(email="wendy@example.org", roles=[Role.WEBINAR_COMMITTEE])
    nomination = SpeakerNominationFactory()
    nomination.topics.set([TopicFactory()])
    webinar = WebinarFactory(speakers=[PersonFactory()], host=PersonFactory(), is_published=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.live_url = live_server.url
    login(page, "wendy@example.org", PASSWORD)
    version = nomination.history.earliest().history_id
    for url in (
        f"/admin/webinars/speakernomination/{nomination.pk}/change/",
        f"/admin/webinars/speakernomination/{nomination.pk}/history/",
        f"/admin/webinars/speakernomination/{nomination.pk}/history/{version}/",
        f"/admin/webinars/webinar/{webinar.pk}/change/",
        "/admin/webinars/webinar/add/",
        "/admin/webinars/hostvolunteer/",
        "/admin/webinars/topicsuggestion/",
    ):
        page.goto(live_server.url + url)
        expect(page.locator("#content h1, #content h2").first).to_be_visible()
        assert_accessible(page)
    context.close()
