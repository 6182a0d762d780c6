"""Bad input on the member forms of the webinars app: topic, speaker and host."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bad_input import (
    FORM_SETTINGS,
    assert_handled,
    corrupt,
    corruptions,
    each_field_nasty,
)
from tests.factories.webinars import with_token

pytestmark = pytest.mark.django_db

FORMS = {
    "topic": {
        "title": "Uncertainty in physics-informed learning",
        "description": "What the talk covers.\r\nFor everyone.",
        "why_now": "Many new methods.",
        "suggested_speakers": "Ada Lovelace, Analytical Engines Lab",
    },
    "speaker": {
        "nominee_name": "Grace Hopper",
        "affiliation": "Navy Lab",
        "country": "US",
        "email": "grace@example.org",
        "website": "https://example.org/grace",
        "orcid": "0000-0002-1825-0097",
        "proposed_title": "Compilers for data",
        "rationale": "She would bring a fresh view.",
        "is_self_nomination": "",
        "nominee_is_woman": "on",
    },
    "host": {"other_topics": "Machine learning for detectors", "availability": "Weekdays"},
}
# Fields echoed back exactly as typed when the form is shown again.
KEPT = {
    "topic": list(FORMS["topic"]),
    "speaker": [
        "nominee_name",
        "affiliation",
        "email",
        "website",
        "orcid",
        "proposed_title",
        "rationale",
    ],
    "host": list(FORMS["host"]),
}


def _post(client, kind, bad):
    data = with_token({k: v for k, v in FORMS[kind].items() if v != ""})
    posted = corrupt(data, bad)
    response = client.post(f"/webinars/nominate/{kind}/", posted)
    assert_handled(response, posted=posted, bad=bad, kept=KEPT[kind])


def test_webinar_forms_survive_the_worst_value_in_every_field(personas, client_for):
    client = client_for(personas.member)
    for kind, data in FORMS.items():
        for _, bad in each_field_nasty([*data, "topics"]):
            _post(client, kind, bad)


@FORM_SETTINGS
@given(kind=st.sampled_from(list(FORMS)), data=st.data())
def test_webinar_forms_survive_bad_input(personas, client_for, kind, data):
    bad = data.draw(corruptions([*FORMS[kind], "topics"]))
    _post(client_for(personas.member), kind, bad)
