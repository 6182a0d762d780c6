"""Replay views imported from the video host's statistics export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.webinars import WebinarFactory
from webinars.attendance import AttendanceFileError
from webinars.models import Webinar
from webinars.replay_views import plan_views, replay_views_import

pytestmark = pytest.mark.django_db

IMPORT = "/admin/webinars/registration/import-views/"
# YouTube Studio's "Table data.csv": a total row first, then a row per video.
EXPORT = (
    "Content,Video title,Video publish time,Views,Watch time (hours)\n"
    "Total,,,4321,100.5\n"
    'abcDEF12345,Deep learning tutorial,"Jul 9, 2020","1,450",60.1\n'
    "https://vimeo.com/100000001,Bayesian optimisation,,980,20\n"
    "zzzzzzzzzzz,Another upload of the channel,,7,0.1\n"
)


@pytest.fixture
def replays():
    return [
        WebinarFactory(replay_url="https://www.youtube.com/watch?v=abcDEF12345"),
        WebinarFactory(replay_url="https://vimeo.com/100000001", replay_views=3),
        WebinarFactory(replay_url="https://youtu.be/untouched11", replay_views=5),
    ]


def _views() -> list:
    return list(Webinar.objects.order_by("pk").values_list("replay_views", flat=True))


def test_export_sets_the_views_of_matched_replays_and_again_changes_nothing(replays):
    plan = replay_views_import(text=EXPORT)

    assert _views() == [1450, 980, 5]
    assert [m.text for m in plan.unmatched] == [
        "Line 2: “Total” is no replay.",
        "Line 5: “zzzzzzzzzzz” is no replay.",
    ]
    again = replay_views_import(text=EXPORT)
    assert again.changed == []
    assert _views() == [1450, 980, 5]


def test_a_bad_count_writes_nothing(replays):
    plan = replay_views_import(text=EXPORT.replace('"1,450"', "lots"))
    assert [e.text for e in plan.errors] == ["Line 3: views “lots” is no count."]
    assert _views() == [None, 3, 5]


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(AttendanceFileError, match="No header row with a video column"):
        plan_views("Title,Watch time\nx,1\n")


def test_committee_previews_then_sets_views(client_for, personas, replays):
    client = client_for(personas.webinar_committee)
    upload = SimpleUploadedFile("Table data.csv", EXPORT.encode(), content_type="text/csv")

    preview = client.post(IMPORT, {"file": upload}).content.decode()

    assert "Set the views of 2 webinars" in preview
    assert _views() == [None, 3, 5]
    done = client.post(IMPORT, {"text": EXPORT}).content.decode()
    assert "Replay views set for 2 webinars." in done
    assert _views() == [1450, 980, 5]


@pytest.mark.parametrize("n", [1, 3])
def test_views_preview_query_budget(client_for, personas, django_assert_num_queries, n):
    rows = []
    for i in range(n):
        WebinarFactory(replay_url=f"https://vimeo.com/10000000{i}")
        rows.append(f"https://vimeo.com/10000000{i},{i}")
    text = "Video URL,Views\n" + "\n".join(rows) + "\n"
    client = client_for(personas.webinar_committee)
    client.get(IMPORT)
    # Session and user 2, groups and permissions 3, the webinars with a replay 1.
    with django_assert_num_queries(5):
        response = client.post(IMPORT, {"file": SimpleUploadedFile("v.csv", text.encode())})
    assert len(response.context["plan"].changed) == n


@pytest.mark.parametrize("who", ["member", "program_committee"])
def test_others_cannot_set_views(client_for, personas, replays, who):
    client_for(getattr(personas, who)).post(IMPORT, {"text": EXPORT})
    assert _views() == [None, 3, 5]


def test_preview_shows_the_export_as_text(client_for, personas):
    payload = "<script>alert(1)</script>{{ 7|add:1 }}"
    text = f"Content,Views\n{payload},3\n"
    client = client_for(personas.webinar_committee)
    page = client.post(IMPORT, {"file": SimpleUploadedFile("v.csv", text.encode())})
    html = page.content.decode()
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;{{ 7|add:1 }}” is no replay." in html
    assert "<script>alert(1)" not in html
