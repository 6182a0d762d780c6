"""Demo newsletter: the Summer 2020 issue, loaded through the importer from files in the repo.

The facts (titles, kinds, authors and roles, DOIs, the Bayes formula) are those of the
real issue; every text is a short summary written for the demo and says so.
"""

from pathlib import Path

from newsletters.importer import import_issue

DEMO_FOLDER = Path(__file__).resolve().parent / "demo_issue" / "summer-2020"


def load(stdout) -> None:
    result = import_issue(folder=DEMO_FOLDER)
    stdout.write(
        f"Newsletter: “{result.issue}” with {result.issue.articles.count()} articles (demo data)."
    )
