"""Abstract titles are plain text everywhere, and the form says so (issue 16, item 8).

A title is shown in pages, mails, exports, admin lists, the browser tab and link names;
most cannot show typeset maths, so a title is never rendered as Markdown or maths, and
the form tells the member to write symbols directly."""

import pytest
from django.urls import reverse

from tests.factories.meetings import make_abstract

pytestmark = pytest.mark.django_db

MATHS_TITLE = r"Scaling of $\alpha$ with $N$"


def test_the_form_says_titles_take_no_maths(client_for, personas, focus):
    html = (
        client_for(personas.member)
        .get(reverse("meetings:abstract_create", args=[focus.meeting.slug]))
        .content.decode()
    )
    help_text = html.split('id="id_title_helptext"')[1].split("</div>")[0]
    assert "maths is not typeset in titles" in help_text
    assert "\u03b1, \u03b2" in help_text  # Greek alpha and beta, as the member types them


def test_a_maths_title_is_shown_as_typed_and_the_body_typeset(client_for, personas, focus):
    abstract = make_abstract(
        submitter=personas.member, category=focus, title=MATHS_TITLE, body=r"Body with $\beta$."
    )
    client = client_for(personas.member)
    page = client.get(reverse("meetings:abstract", args=[abstract.pk])).content.decode()
    heading = page.split('id="abstract-title">')[1].split("</h2>")[0]
    assert heading == MATHS_TITLE
    assert "<math" in page.split("</h2>", 1)[1]  # the body's maths is typeset
    listing = client.get(reverse("meetings:my_abstracts")).content.decode()
    assert f">{MATHS_TITLE}</a>" in listing
