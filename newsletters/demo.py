"""Demo newsletter: the Summer 2020 issue, loaded through the importer from files in the repo.

The facts (titles, kinds, authors and roles, DOIs, the Bayes formula) are those of the
real issue; every text is a short summary written for the demo and says so. The webinar
report carries a figure drawn here with Pillow from the two numbers its printed text
gives (labelled as a demo chart), and a draft issue (demo data) holds one article in
review, to show the editors' workflow.
"""

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gds_portal.uploads import clean_image
from newsletters.enums import ArticleKind, ArticleState, IssueStatus, Season
from newsletters.importer import import_issue
from newsletters.models import Article, Figure, Issue

DEMO_FOLDER = Path(__file__).resolve().parent / "demo_issue" / "summer-2020"
# As printed: "over 1,000 unique registrants" and "over 3,000 views" of the replays.
WEBINAR_NUMBERS = [("Registrants", 1000), ("Replay views", 3000)]


def load(stdout) -> None:
    result = import_issue(folder=DEMO_FOLDER)
    _webinar_figure(result.issue)
    _draft_in_review()
    stdout.write(
        f"Newsletter: “{result.issue}” with {result.issue.articles.count()} articles, "
        "and a draft issue with an article in review (demo data)."
    )


def _chart_png() -> bytes:
    """A bar chart of WEBINAR_NUMBERS, drawn with Pillow's default font."""
    width, height, left, base = 480, 300, 60, 250
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((left, 10), "GDS webinars, summer 2020 (at least; demo chart)", fill="black")
    draw.line([(left, 40), (left, base), (width - 20, base)], fill="black", width=2)
    top = max(value for _, value in WEBINAR_NUMBERS)
    for n, (label, value) in enumerate(WEBINAR_NUMBERS):
        x = left + 50 + n * 180
        bar_top = base - int((base - 50) * value / top)
        draw.rectangle([(x, bar_top), (x + 100, base)], fill="#1f5f8b")
        draw.text((x, bar_top - 16), f"{value:,}+", fill="black")
        draw.text((x, base + 10), label, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _webinar_figure(issue: Issue) -> None:
    article = issue.articles.get(slug="gds-webinar-series")
    if article.figures.filter(slug="webinar-reach").exists():
        return
    upload = SimpleUploadedFile("chart.png", _chart_png(), content_type="image/png")
    Figure.objects.create(
        article=article,
        slug="webinar-reach",
        image=clean_image(upload, max_side=1600),
        alt=(
            "Bar chart: over 1,000 registrants for the live webinars and over 3,000 views "
            "of the replays."
        ),
        caption="Demo chart drawn by the portal from the numbers in the printed text.",
    )


def _draft_in_review() -> None:
    issue, _ = Issue.objects.get_or_create(
        slug="demo-draft-fall-2020",
        defaults={
            "title": "Fall 2020 (demo draft)",
            "season": Season.FALL,
            "year": 2020,
            "summary": "A draft issue made up for the demo (demo data).",
            "status": IssueStatus.DRAFT,
        },
    )
    Article.objects.get_or_create(
        issue=issue,
        slug="demo-article-in-review",
        defaults={
            "kind": ArticleKind.ANNOUNCEMENT,
            "title": "An article waiting for review (demo data)",
            "body": "Made up for the demo: an editor other than the one who submitted it "
            "may approve it in the admin.",
            "state": ArticleState.IN_REVIEW,
        },
    )
