from django.db import models


class CountingRule(models.TextChoices):
    """How one office's votes are counted (elections/tally.py runs it)."""

    # Each voter marks up to K candidates; the S with most marks win (K = 1 is
    # plurality, K = S is the usual committee vote, K = all is approval voting).
    UP_TO_K = "up_to_k", "Vote for up to K (plurality/approval)"
    # Each voter ranks candidates; instant-runoff for one seat, STV for several.
    RANKED = "ranked", "Ranked choice (instant-runoff for one seat, STV for several)"


class CandidacyStatus(models.TextChoices):
    ASKED = "asked", "Asked, no answer yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ElectionPhase(models.TextChoices):
    """Derived from the windows and the committee's steps, never stored."""

    DRAFT = "draft", "Being prepared"
    ANNOUNCED = "announced", "Announced"
    NOMINATIONS = "nominations", "Nominations open"
    SLATE = "slate", "Nominations closed"
    # Voting was due to open but has not: no slate with a candidate on it was published
    # before the voting window began (elections.selectors.voting_blocked_because).
    HELD = "held", "Voting not opened: the slate is not ready"
    VOTING = "voting", "Voting open"
    COUNTING = "counting", "Voting closed, results to come"
    PUBLISHED = "published", "Results published"


class TrackerPolicy(models.TextChoices):
    """Whether each published ballot carries its tracker (docs/elections.md explains)."""

    ON_BALLOTS = "on_ballots", "Print each tracker next to its ballot"
    LIST_ONLY = "list_only", "Publish the list of counted trackers apart from the ballots"


class TieRule(models.TextChoices):
    """How a tie in a ranked count is broken (the values of elections.counting.ties.TieRule)."""

    BACKWARDS_THEN_LOT = "backwards-then-lot", "Look back at earlier rounds, then draw lots"
    LOT = "lot", "Draw lots at once"
