"""Blocks the newsletter adds to the home page and to person pages."""

from newsletters import selectors


def latest(request) -> dict | None:
    issue = selectors.latest_issue()
    if issue is None:
        return None
    return {
        "issue": issue,
        "contents": selectors.issue_contents(issue),
    }


def articles(request, person) -> dict | None:
    found = selectors.articles_by_person(person)
    return {"articles": found} if found else None
