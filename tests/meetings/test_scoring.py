"""Fair scoring (issue 16, item 2): the rubric, reviewer confidence, the counting rule,
blind until scored and anonymised review, on every page, admin and export a reviewer
can reach.

Personas:
- rita, quinn: Program-committee members who review (neither chairs the meeting);
  rita is the one whose view is tested, quinn reviews first.
- chair: the meeting's program chair (a Person linked to the account): sees every
  score and every name (exempt from blind and anonymised review, docs/meetings.md).
- Sergei Gleyzer and Michelle Kuchera: the seed's real names as authors, with their
  affiliations: under anonymised review none may reach rita.
"""

import csv
import io

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from meetings import rules
from meetings.enums import Decision, ReviewConfidence
from meetings.models import Abstract, Review, RubricCriterion
from meetings.selectors.exports import export_header, export_rows
from meetings.selectors.reviews import committee_abstracts
from meetings.services.decisions import abstracts_decide
from meetings.services.errors import Refused
from meetings.services.reviews import review_save
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.meetings import author, make_abstract

pytestmark = pytest.mark.django_db

QUINN_SAYS = "Quinn remarks on the method"
GLEYZER = author("Sergei Gleyzer", "sergei@example.org", affiliations=["University of Alabama"])
KUCHERA = author(
    "Michelle Kuchera", "kuchera@example.org", presenting=False, affiliations=["Davidson College"]
)
LEAKS = [
    "Sergei Gleyzer",
    "Gleyzer",
    "Michelle Kuchera",
    "Kuchera",
    "University of Alabama",
    "Davidson College",
    "sergei@example.org",
    "kuchera@example.org",
]


@pytest.fixture
def people(focus):
    rita = UserFactory(
        email="rita@example.org",
        roles=[Role.PROGRAM_COMMITTEE],
        is_staff=True,
        affiliation="Rita's Lab",
    )
    quinn = UserFactory(
        email="quinn@example.org",
        roles=[Role.PROGRAM_COMMITTEE],
        is_staff=True,
        affiliation="Quinn's Lab",
    )
    chair = UserFactory(
        email="chair@example.org",
        roles=[Role.PROGRAM_COMMITTEE],
        is_staff=True,
        affiliation="Chair's Lab",
    )
    focus.meeting.program_chair = PersonFactory(name="Chris Chair", user=chair)
    focus.meeting.save()
    return rita, quinn, chair


def _rubric(meeting):
    weights = [("Relevance to GDS", 3), ("Scientific quality", 2), ("Clarity", 1)]
    return [
        RubricCriterion.objects.create(meeting=meeting, name=n, weight=w, position=i)
        for i, (n, w) in enumerate(weights)
    ]


def _figures(abstract):
    row = committee_abstracts(meeting=abstract.meeting).get(pk=abstract.pk)
    return row.average_score, row.score_min, row.score_max, row.review_count


# --- The counting rule, against hand-computed examples ---------------------------------


def test_single_scores_are_weighted_by_confidence(people, focus, personas):
    rita, quinn, _ = people
    abstract = make_abstract(submitter=personas.member, category=focus)
    review_save(abstract=abstract, by=rita, score=4, confidence=3, comment="")
    review_save(abstract=abstract, by=quinn, score=2, confidence=1, comment="")
    # (3·4 + 1·2) / (3 + 1) = 14 / 4 = 3.5; spread 2 to 4; two reviewers.
    assert _figures(abstract) == (pytest.approx(3.5), 2.0, 4.0, 2)


def test_rubric_scores_are_weighted_by_criterion_then_confidence(people, focus, personas):
    rita, quinn, _ = people
    relevance, quality, clarity = _rubric(focus.meeting)
    abstract = make_abstract(submitter=personas.member, category=focus)
    review_save(
        abstract=abstract,
        by=rita,
        confidence=3,
        comment="",
        criteria={relevance.pk: 5, quality.pk: 4, clarity.pk: 2},
    )
    review_save(
        abstract=abstract,
        by=quinn,
        confidence=1,
        comment="",
        criteria={relevance.pk: 2, quality.pk: 3, clarity.pk: 5},
    )
    # Rita: (3·5 + 2·4 + 1·2) / 6 = 25/6; Quinn: (3·2 + 2·3 + 1·5) / 6 = 17/6.
    assert Review.objects.get(reviewer=rita).weighted_score == pytest.approx(25 / 6)
    assert Review.objects.get(reviewer=quinn).weighted_score == pytest.approx(17 / 6)
    # Abstract: (3·25/6 + 1·17/6) / 4 = 92/24 = 3.8333.
    average, low, high, count = _figures(abstract)
    assert (average, low, high, count) == (
        pytest.approx(92 / 24),
        pytest.approx(17 / 6),
        pytest.approx(25 / 6),
        2,
    )
    # The export: score, spread, per-criterion means (confidence-weighted), count.
    # Relevance (3·5 + 2)/4 = 4.25; quality (3·4 + 3)/4 = 3.75; clarity (3·2 + 5)/4 = 2.75.
    header = export_header(focus.meeting)
    [row] = export_rows(meeting=focus.meeting, viewer=rita)
    cells = dict(zip(header, row, strict=True))
    assert [cells[h] for h in header[-7:]] == [3.83, "2.8 to 4.2", 4.25, 3.75, 2.75, 2, ""]
    assert header[-7:] == [
        "Score (weighted)",
        "Spread (min to max)",
        "Mean: Relevance to GDS",
        "Mean: Scientific quality",
        "Mean: Clarity",
        "Reviewers",
        "Decision",
    ]


def test_a_rubric_review_must_score_every_criterion(people, focus, personas):
    rita, _, _ = people
    relevance, _quality, _ = _rubric(focus.meeting)
    abstract = make_abstract(submitter=personas.member, category=focus)
    with pytest.raises(Refused, match="every criterion"):
        review_save(abstract=abstract, by=rita, comment="", criteria={relevance.pk: 5})
    with pytest.raises(Refused, match="every criterion"):
        review_save(abstract=abstract, by=rita, comment="", score=4)
    assert not Review.objects.exists()


def test_the_rubric_freezes_at_the_first_review(people, focus, personas):
    rita, _, chair = people
    criteria = _rubric(focus.meeting)
    assert chair.has_perm("meetings.change_rubric", focus.meeting)
    assert not rita.has_perm("meetings.change_rubric", focus.meeting)  # chair-only
    abstract = make_abstract(submitter=personas.member, category=focus)
    review_save(abstract=abstract, by=rita, comment="", criteria={c.pk: 3 for c in criteria})
    assert not chair.has_perm("meetings.change_rubric", focus.meeting)
    with pytest.raises(ProtectedError):
        criteria[0].delete()


def test_the_admin_shows_a_frozen_rubric_read_only(people, focus, personas, client_for):
    rita, _, chair = people
    criteria = _rubric(focus.meeting)
    url = reverse("admin:meetings_meeting_change", args=[focus.meeting.pk])
    assert 'name="rubric-0-weight"' in client_for(chair).get(url).content.decode()
    make = make_abstract(submitter=personas.member, category=focus)
    review_save(abstract=make, by=rita, comment="", criteria={c.pk: 3 for c in criteria})
    assert 'name="rubric-0-weight"' not in client_for(chair).get(url).content.decode()


# --- Blind until scored ---------------------------------------------------------------


@pytest.fixture
def scored(people, focus, personas):
    """An abstract quinn has reviewed (score 2, with a comment) and rita not yet."""
    _rita, quinn, _chair = people
    abstract = make_abstract(submitter=personas.member, category=focus)
    review_save(abstract=abstract, by=quinn, score=2, confidence=3, comment=QUINN_SAYS)
    return abstract


def test_blind_until_scored_on_the_review_page_and_the_admin(people, scored, client_for):
    rita, quinn, _ = people
    client = client_for(rita)
    page_url = reverse("meetings:review", args=[scored.meeting.slug, scored.pk])
    quinns = Review.objects.get(reviewer=quinn)
    admin_list = "/admin/meetings/review/"
    admin_change = reverse("admin:meetings_review_change", args=[quinns.pk])

    page = client.get(page_url).content.decode()
    assert QUINN_SAYS not in page
    assert 'data-testid="blind"' in page
    assert 'data-testid="other-review"' not in page
    assert QUINN_SAYS not in client.get(admin_list).content.decode()
    assert "quinn@example.org" not in client.get(admin_list).content.decode()
    assert client.get(admin_change).status_code in (302, 403)
    for name in ("meetings:review_list", "meetings:decisions"):
        body = client.get(reverse(name, args=[scored.meeting.slug])).content.decode()
        assert 'data-testid="score"' not in body, name
        assert "2.00" not in body, name
    [row] = export_rows(meeting=scored.meeting, viewer=rita)
    assert row[-7:-5] == ["", ""] or row[-4:-2] == ["", ""]

    response = client.post(page_url, {"score": "4", "confidence": "1", "comment": "Mine."})
    assert response.status_code == 302
    assert Review.objects.get(reviewer=rita).weighted_score == 4

    page = client.get(page_url).content.decode()
    assert QUINN_SAYS in page
    assert 'data-testid="other-review"' in page
    listing = client.get(admin_list).content.decode()
    assert "quinn@example.org" in listing or "Quinn" in listing
    assert QUINN_SAYS in client.get(admin_change).content.decode()
    body = client.get(reverse("meetings:review_list", args=[scored.meeting.slug])).content.decode()
    # (3·2 + 1·4) / 4 = 2.5, spread 2.0 to 4.0.
    assert '<span data-testid="score">2.50</span>' in body
    assert "2.0 to 4.0" in body
    [row] = export_rows(meeting=scored.meeting, viewer=rita)
    assert row[-4:] == [2.5, "2.0 to 4.0", 2, ""]


def test_the_chair_sees_every_score_without_reviewing(people, scored, client_for):
    _, _, chair = people
    client = client_for(chair)
    page = client.get(reverse("meetings:review", args=[scored.meeting.slug, scored.pk]))
    assert QUINN_SAYS in page.content.decode()
    body = client.get(reverse("meetings:decisions", args=[scored.meeting.slug])).content.decode()
    assert '<span data-testid="score">2.00</span>' in body
    assert QUINN_SAYS in client.get("/admin/meetings/review/").content.decode() or (
        "quinn@example.org" in client.get("/admin/meetings/review/").content.decode()
    )


def test_scores_visible_predicate_and_queryset_are_one_rule(people, scored, focus, personas):
    rita, quinn, chair = people
    other = make_abstract(submitter=personas.other_member, category=focus, title="Other one")
    review_save(abstract=other, by=rita, score=5, comment="")
    for user in (rita, quinn, chair, personas.member, personas.program_committee):
        by_queryset = set(
            Abstract.objects.filter(rules.scores_visible_q(user)).values_list("pk", flat=True)
        )
        by_predicate = {
            a.pk for a in Abstract.objects.all() if rules.rule_says("meetings.see_scores", user, a)
        }
        assert by_queryset == by_predicate, user
    assert rules.rule_says("meetings.see_scores", quinn, scored)
    assert not rules.rule_says("meetings.see_scores", rita, scored)
    assert rules.rule_says("meetings.see_scores", chair, scored)


# --- Anonymised review ----------------------------------------------------------------


@pytest.fixture
def anonymised(people, focus, personas):
    """An anonymised meeting with an abstract by Sergei Gleyzer and Michelle Kuchera,
    decided (so the decision preview has mails naming them), reviewed by rita."""
    rita, _quinn, chair = people
    focus.meeting.anonymised_review = True
    focus.meeting.committee_email = "committee@example.org"
    focus.meeting.save()
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        title="Deep learning for jets",
        authors=[GLEYZER, KUCHERA],
    )
    review_save(abstract=abstract, by=rita, score=4, comment="Fine.")
    abstracts_decide(abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=chair)
    return abstract


def _reachable(client, slug, abstract) -> dict[str, str]:
    pages = {
        name: client.get(reverse(name, args=[slug]))
        for name in (
            "meetings:dashboard",
            "meetings:review_list",
            "meetings:decisions",
            "meetings:decisions_preview",
            "meetings:exports",
            "meetings:book",
            "meetings:nominations",
            # The pages the other parts of issue 16 added: who reviews what, reminders,
            # presenters, sessions.
            "meetings:assignments",
            "meetings:reminders",
            "meetings:presenters",
            "meetings:presenters_remind",
            "meetings:drafts_remind",
            "meetings:sessions",
            "meetings:session_new",
        )
    }
    pages["assignment"] = client.get(
        reverse("meetings:assignment_abstract", args=[slug, abstract.pk])
    )
    pages["review"] = client.get(reverse("meetings:review", args=[slug, abstract.pk]))
    pages["book all"] = client.get(reverse("meetings:book", args=[slug]) + "?all=1")
    pages["csv"] = client.get(reverse("meetings:export", args=[slug, "csv"]))
    # Searches echo the query typed: it is taken out before looking for leaks.
    pages["admin abstracts"] = client.get("/admin/meetings/abstract/?q=Gleyzer")
    pages["admin abstracts all"] = client.get("/admin/meetings/abstract/")
    pages["admin abstract"] = client.get(
        reverse("admin:meetings_abstract_change", args=[abstract.pk]), follow=True
    )
    pages["admin history"] = client.get(
        reverse("admin:meetings_abstract_history", args=[abstract.pk]), follow=True
    )
    pages["admin reviews"] = client.get("/admin/meetings/review/?q=Kuchera")
    pages["search"] = client.get(reverse("search") + "?q=Gleyzer")
    texts = {name: r.content.decode() for name, r in pages.items()}
    # The PDF books (by category, by session, with submitted ones): their text layer.
    for query in ("", "?by=session", "?all=1"):
        pdf = client.get(reverse("meetings:book_pdf", args=[slug]) + query)
        assert pdf.status_code == 200
        reader = PdfReader(io.BytesIO(pdf.content))
        texts[f"pdf{query}"] = " ".join(page.extract_text() for page in reader.pages)
    for name, query in (
        ("admin abstracts", "Gleyzer"),
        ("admin reviews", "Kuchera"),
        ("search", "Gleyzer"),
    ):
        texts[name] = texts[name].replace(query, "<the query>")
    assert "Deep learning for jets" not in texts["search"]
    assert "Deep learning for jets" not in texts["admin abstracts"]
    xlsx = client.get(reverse("meetings:export", args=[slug, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    texts["xlsx"] = "\n".join(
        str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None
    )
    return texts


def test_anonymised_review_hides_authors_from_a_reviewer_everywhere(people, anonymised, client_for):
    rita, _, _ = people
    texts = _reachable(client_for(rita), anonymised.meeting.slug, anonymised)
    for name, text in texts.items():
        for leak in LEAKS:
            assert leak not in text, (name, leak)
    # The pages are there, only without the names.
    assert "Deep learning for jets" in texts["review"]
    assert "(anonymised)" in texts["csv"]
    rows = list(csv.reader(io.StringIO(texts["csv"].lstrip("\ufeff"))))
    assert rows[1][rows[0].index("Title")] == "Deep learning for jets"
    # No mail a reviewer can reach names them: none is addressed to rita.
    for mail in OutboundEmail.objects.all():
        if "rita@example.org" in str(mail.__dict__):
            for leak in LEAKS:
                assert leak not in str(mail.__dict__)


def test_the_chair_is_exempt_from_anonymised_review(people, anonymised, client_for):
    _, _, chair = people
    client = client_for(chair)
    review = client.get(reverse("meetings:review", args=[anonymised.meeting.slug, anonymised.pk]))
    assert "Sergei Gleyzer" in review.content.decode()
    assert (
        "Gleyzer"
        in client.get(
            reverse("meetings:export", args=[anonymised.meeting.slug, "csv"])
        ).content.decode()
    )
    assert "Deep learning for jets" in client.get("/admin/meetings/abstract/").content.decode()


def test_without_anonymised_review_reviewers_see_authors(people, focus, personas, client_for):
    rita, _, _ = people
    abstract = make_abstract(submitter=personas.member, category=focus, authors=[GLEYZER])
    page = client_for(rita).get(reverse("meetings:review", args=[focus.meeting.slug, abstract.pk]))
    assert "Sergei Gleyzer" in page.content.decode()


def test_only_the_chair_sets_anonymised_review(people, focus):
    rita, _, chair = people
    assert chair.has_perm("meetings.set_review_rules", focus.meeting)
    assert not rita.has_perm("meetings.set_review_rules", focus.meeting)


def test_the_review_form_takes_criteria_and_confidence(people, focus, personas, client_for):
    rita, _, _ = people
    criteria = _rubric(focus.meeting)
    abstract = make_abstract(submitter=personas.member, category=focus)
    url = reverse("meetings:review", args=[focus.meeting.slug, abstract.pk])
    client = client_for(rita)
    page = client.get(url).content.decode()
    assert f'name="criterion_{criteria[0].pk}"' in page
    assert 'name="score"' not in page
    data = {f"criterion_{c.pk}": "4" for c in criteria}
    assert client.post(url, {**data, "confidence": "3", "comment": ""}).status_code == 302
    review = Review.objects.get(reviewer=rita)
    assert (review.score, review.weighted_score, review.confidence) == (
        None,
        4.0,
        ReviewConfidence.HIGH,
    )
    assert sorted(review.criterion_scores.values_list("score", flat=True)) == [4, 4, 4]


def test_the_demo_has_a_rubric_and_scored_criteria(db):
    import io

    from meetings import demo
    from meetings.models import CriterionScore, Meeting

    demo.load(io.StringIO())
    demo.load(io.StringIO())  # idempotent: the rubric and reviews once
    march = Meeting.objects.filter(rubric__isnull=False).distinct().get()
    assert list(march.rubric.values_list("name", "weight")) == [
        ("Relevance to GDS", 3),
        ("Scientific quality", 2),
        ("Clarity", 1),
    ]
    assert not march.anonymised_review
    reviews = Review.objects.filter(meeting=march)
    assert reviews.exists()
    assert not reviews.filter(score__isnull=False).exists()
    assert CriterionScore.objects.filter(review__meeting=march).count() == 3 * reviews.count()
    assert set(reviews.values_list("confidence", flat=True)) == {1, 2, 3}


# --- Outside probe findings -----------------------------------------------------------


def test_anonymised_presenters_page_names_no_presenter_to_a_reviewer(
    people, anonymised, client_for
):
    """The presenters page listed each presenter's name and address to every committee
    member, anonymised review or not."""
    from meetings.services.decisions import decisions_send

    rita, _quinn, chair = people
    decisions_send(meeting=anonymised.meeting, by=chair)
    url = reverse("meetings:presenters", args=[anonymised.meeting.slug])
    page = client_for(rita).get(url).text
    assert [leak for leak in LEAKS if leak in page] == []
    assert 'data-testid="presenter-hidden"' in page
    assert "sergei@example.org" in client_for(chair).get(url).text


def test_a_review_revised_after_seeing_others_is_marked_for_the_chair(people, scored, client_for):
    """Blind until scored, defeated: rita saves a placeholder, reads quinn's review,
    then scores to match. The edit stands; the chair sees that it came after."""
    rita, _quinn, chair = people
    review_save(abstract=scored, by=rita, score=5, comment="placeholder")
    mine = Review.objects.get(abstract=scored, reviewer=rita)
    assert mine.revised_after_seeing_others_at is None  # a first save saw nothing
    review_save(abstract=scored, by=rita, score=5, comment="the same scores, reworded")
    mine.refresh_from_db()
    assert mine.revised_after_seeing_others_at is None
    review_save(abstract=scored, by=rita, score=2, comment="now I agree with quinn")
    mine.refresh_from_db()
    assert mine.revised_after_seeing_others_at is not None
    url = reverse("meetings:review", args=[scored.meeting.slug, scored.pk])
    page = client_for(chair).get(url).text
    assert page.count('data-testid="revised-after-seeing"') == 1
    assert "revised after seeing others" in page


def test_a_review_changed_with_no_other_review_is_not_marked(people, focus, personas):
    rita, _quinn, _chair = people
    abstract = make_abstract(submitter=personas.member, category=focus)
    review_save(abstract=abstract, by=rita, score=3, comment="")
    review_save(abstract=abstract, by=rita, score=4, comment="")
    assert Review.objects.get(abstract=abstract).revised_after_seeing_others_at is None


def test_a_superuser_is_not_the_chair_for_the_rubric_and_anonymity(
    people, focus, personas, client_for
):
    """`user.has_perm` answered True to any superuser: the rubric and the anonymised
    switch were theirs to change. Asked of the rule set, they are the chair's."""
    _rubric(focus.meeting)
    boss = UserFactory(email="boss@example.org", is_superuser=True, is_staff=True)
    assert not rules.rule_says("meetings.change_rubric", boss, focus.meeting)
    url = reverse("admin:meetings_meeting_change", args=[focus.meeting.pk])
    page = client_for(boss).get(url).text
    assert 'name="rubric-0-weight"' not in page
    assert 'name="anonymised_review"' not in page


@pytest.mark.parametrize("weight", ["0", "11", "-1"])
def test_a_weight_out_of_range_says_so_plainly(people, focus, weight, rf):
    from django.contrib.admin import site

    from meetings.admin.meetings import RubricCriterionInline
    from meetings.models import Meeting

    _rita, _quinn, chair = people
    request = rf.get("/")
    request.user = chair
    formset = RubricCriterionInline(Meeting, site).get_formset(request, focus.meeting)
    form = formset.form(
        data={"name": "Clarity", "description": "", "weight": weight, "position": "0"},
        instance=RubricCriterion(meeting=focus.meeting),
    )
    assert form.errors == {"weight": ["Weight must be 1 to 10."]}


def test_deleting_a_scored_criterion_lists_no_scores(people, focus, personas, rf):
    """The admin's own refusal listed every protected score ("criterion score 3: 4 …")."""
    from django.contrib.admin import site
    from django.core.exceptions import ValidationError

    from meetings.admin.meetings import RubricCriterionInline
    from meetings.models import Meeting

    rita, _quinn, chair = people
    criteria = _rubric(focus.meeting)
    abstract = make_abstract(submitter=personas.member, category=focus)
    review_save(abstract=abstract, by=rita, comment="", criteria={c.pk: 3 for c in criteria})
    request = rf.get("/")
    request.user = chair
    formset = RubricCriterionInline(Meeting, site).get_formset(request, focus.meeting)
    form = formset.form(instance=criteria[0])
    form.cleaned_data = {"DELETE": True}
    with pytest.raises(ValidationError) as refused:
        form.hand_clean_DELETE()
    assert refused.value.messages == ["This criterion has been scored; it cannot be deleted."]
