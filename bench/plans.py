"""Can the pages' hot queries use the indexes made for them? EXPLAIN each and say.

    make plans          (GDS_ENV=local .venv/bin/python bench/plans.py)

Run it against any migrated database (`make demo`, or one filled by generate_bench_data).
Which plan PostgreSQL picks depends on its version, its statistics and the table sizes,
so the test suite asserts what readers get (results, query counts) and these checks live
here. Each query is explained with the alternatives priced out of reach (enable_seqscan
off, and sorts or plain index scans where the check says so): the plan then shows
whether the named index can serve the query at all, which is what a migration or a
changed query could break. Exits 1 if one cannot.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gds_portal.settings")

import django  # noqa: E402 -- the path above must be set before Django loads

django.setup()

from django.db import connection, transaction  # noqa: E402 -- after django.setup()


@dataclass(frozen=True)
class Check:
    name: str
    query: Callable  # returns a QuerySet
    expected: str  # a regular expression the plan must match
    settings: tuple[str, ...] = ("enable_seqscan",)
    absent: str | None = None  # a plan node that must not appear


def _upcoming():
    from webinars.models import Webinar

    return Webinar.objects.published().upcoming().order_by("start_at")[:3]


def _speaker_names():
    from community.models import Person
    from webinars.selectors import NAME_WORDS, _name_query

    return Person.objects.annotate(w=NAME_WORDS).filter(w=_name_query("ada lov"))


def _webinar_search():
    from gds_portal.search import websearch_query
    from webinars.models import Webinar

    return Webinar.objects.filter(search_vector=websearch_query("neural")).order_by()


def _webinar_archive():
    from webinars.models import Webinar

    return Webinar.objects.published().order_by("-start_at")[:12]


def _newest_issues():
    from newsletters import selectors

    return selectors.visible_issues().order_by("-year")[: selectors.ARCHIVE_PAGE_ISSUES + 1]


def _article_search():
    from gds_portal.search import websearch_query
    from newsletters.models import Article

    return Article.objects.filter(search_vector=websearch_query("entropy"))


CHECKS = [
    # A range condition on start_at bounds the scan to the last day (MAX_DURATION),
    # instead of reading every past webinar to compare its end with now.
    Check("upcoming webinars: start_at range", _upcoming, r"Index Cond: .*start_at > '"),
    Check("speaker names: word index", _speaker_names, r"person_name_words_idx"),
    Check(
        "webinar search: GIN index",
        _webinar_search,
        r"webinar_search_idx",
        ("enable_seqscan", "enable_indexscan"),
    ),
    Check(
        "webinar archive: published, start",
        _webinar_archive,
        r"webinar_published_start_idx",
        ("enable_seqscan", "enable_indexscan"),
    ),
    Check(
        "newest issues: read in order, not sorted",
        _newest_issues,
        r"Index Scan Backward using issue_unique_year_season",
        ("enable_seqscan", "enable_sort"),
        absent="Sort",
    ),
    Check("article search: GIN index", _article_search, r"article_search_idx"),
]


def explain(check: Check) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in check.settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        return check.query().explain()


def main() -> int:
    failed = 0
    for check in CHECKS:
        plan = explain(check)
        ok = re.search(check.expected, plan) and not (check.absent and check.absent in plan)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {check.name}")
        if not ok:
            print("     " + plan.replace("\n", "\n     "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
