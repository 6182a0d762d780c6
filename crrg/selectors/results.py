"""Reads for a survey's results: the coordinators' summary, cross-tabulations, exports
and the summary released to members.

Anonymous surveys (docs/surveys.md): only responses that joined the results (not
`held`) are read; every count below the survey's `min_cell_size` (k) is hidden, with
as many others as it takes so that no hidden count can be worked out from the shown
ones and the totals (gds_portal.suppression); free-text answers to a question are
shown only once k respondents answered it, sorted by their text, never by respondent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from crrg.enums import QuestionKind
from crrg.models import (
    Answer,
    AnswerChoice,
    InterestGroup,
    InterestGroupMembership,
    Participation,
    Question,
    Questionnaire,
    Response,
)
from crrg.selectors.answering import seen_by_coordinators
from gds_portal.suppression import Count as Shown
from gds_portal.suppression import suppress_distribution, suppress_table

# Questions with one answer per respondent, from a fixed list: the ones a
# cross-tabulation can put on a row or a column.
SINGLE_ANSWER_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO, QuestionKind.SCALE}


def responses_in(questionnaire: Questionnaire, group: InterestGroup | None) -> QuerySet[Response]:
    """The responses that count in results (submitted; for an anonymous survey, those
    that joined the results), limited to members of `group` when one is given. An
    anonymous survey's responses belong to nobody, so they have no group."""
    responses = Response.objects.filter(questionnaire=questionnaire, held=False)
    if group is not None and not questionnaire.anonymous:
        in_group = InterestGroupMembership.objects.filter(
            group=group, user=OuterRef("user"), left_at__isnull=True
        )
        responses = responses.filter(Exists(in_group))
    return responses


@dataclass
class Bar:
    label: str
    count: int
    # The count as results show it (str() gives "<k" or "x" when hidden; never the value).
    shown: Shown = field(init=False)
    choice_id: int | None = None  # for an answer picked from the question's choices

    def __post_init__(self) -> None:
        self.shown = Shown(self.count)

    @property
    def hidden(self) -> bool:
        return self.shown.hidden


@dataclass
class QuestionSummary:
    question: Question
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # How many respondents answered the question, and whether that is hidden too.
    answered: Shown = field(default_factory=lambda: Shown(0))
    # How many of the responses counted gave no answer to it.
    no_answer: Shown = field(default_factory=lambda: Shown(0))
    # Free-text answers kept back: fewer than k answered (anonymous surveys).
    texts_withheld: bool = False
    # Everything kept back: asked only after an answer whose count is hidden.
    withheld: bool = False


@dataclass
class Results:
    timeline: list[tuple[date, int]]
    questions: list[QuestionSummary]
    respondents: int  # responses counted in the results
    held: int  # anonymous: responses waiting for a group of k to join the results
    k: int
    suppressed: bool  # small counts hidden (anonymous surveys, published summaries)


def questionnaire_summary(
    questionnaire: Questionnaire,
    group: InterestGroup | None = None,
    *,
    suppress: bool | None = None,
) -> Results:
    """Responses per day, and per question the counts per answer or the free texts.

    `suppress` hides small counts (default: for anonymous surveys). Queries: the
    timeline, the responses counted and held, answers per question, picked choices,
    yes/no and scale answers, free texts (questions come prefetched): six.
    """
    suppress = questionnaire.anonymous if suppress is None else suppress
    k = questionnaire.min_cell_size
    responses = responses_in(questionnaire, group)
    zone = timezone.get_current_timezone()
    if questionnaire.anonymous:
        # The day a member took part is participation, never a property of the answers.
        timeline = list(
            Participation.objects.filter(questionnaire=questionnaire)
            .values_list("responded_on")
            .annotate(n=Count("id"))
            .order_by("responded_on")
        )
    else:
        timeline = list(
            responses.annotate(day=TruncDate("created_at", tzinfo=zone))
            .values_list("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
    counts = Response.objects.filter(questionnaire=questionnaire).aggregate(
        held=Count("id", filter=Q(held=True)),
        counted=Count("id", filter=Q(pk__in=responses.values("pk"))),
    )
    respondents = counts["counted"]
    answers = Answer.objects.filter(response__in=responses)
    answered = dict(
        answers.values_list("question").annotate(n=Count("id")).values_list("question", "n")
    )
    picks = dict(
        AnswerChoice.objects.filter(answer__in=answers)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    scalars = {
        (q, b, n): count
        for q, b, n, count in answers.filter(
            question__kind__in=[QuestionKind.YES_NO, QuestionKind.SCALE]
        )
        .values_list("question", "boolean", "number")
        .annotate(c=Count("id"))
        .values_list("question", "boolean", "number", "c")
    }
    texts: dict[int, list[str]] = {}
    text_rows = answers.filter(question__kind__in=QuestionKind.free_text()).exclude(text="")
    # Anonymous: by the text itself, never in an order shared between questions (which
    # would let one respondent's answers to two questions be read side by side).
    ordering = ["text"] if questionnaire.anonymous else ["response__created_at", "response_id"]
    for question_id, text in text_rows.order_by(*ordering).values_list("question", "text"):
        texts.setdefault(question_id, []).append(text)
    summaries = [
        _summarise(
            q, picks, scalars, texts, answered.get(q.pk, 0), respondents, k=k, suppress=suppress
        )
        for q in questionnaire.questions.all()
    ]
    if suppress:
        _withhold_behind_hidden_choices(summaries)
    return Results(timeline, summaries, respondents, counts["held"], k, suppress)


def _withhold_behind_hidden_choices(summaries: list[QuestionSummary]) -> None:
    """Hide every figure of a question asked only after a hidden answer.

    Who answers such a question picked that answer: its counts restate the hidden
    one (a required follow-up shown only to faculty counts the faculty exactly),
    which the complement pattern of the earlier question did not plan for. So all
    its counts are hidden ("x") and its free texts kept back, and so are those of
    questions asked after one of its answers in turn. Worked out from the conditions
    alone, until nothing more is hidden, whatever order the questions stand in
    (outside probe: moving a question below its follow-up showed the follow-up).
    """
    hidden = {bar.choice_id for s in summaries for bar in s.bars if bar.hidden and bar.choice_id}
    changed = True
    while changed:
        changed = False
        for summary in summaries:
            if summary.withheld or summary.question.shown_if_id not in hidden:
                continue
            summary.withheld = changed = True
            for bar in summary.bars:
                bar.shown = Shown(bar.count, hidden=True)
                if bar.choice_id:
                    hidden.add(bar.choice_id)
            summary.answered = Shown(summary.answered.value, hidden=True)
            summary.no_answer = Shown(summary.no_answer.value, hidden=True)
            summary.texts_withheld = bool(summary.texts) or summary.texts_withheld
            summary.texts = []


def _bars(
    question: Question,
    picks: dict[int, int],
    scalars: dict[tuple[int, bool | None, int | None], int],
) -> list[Bar]:
    if question.has_choices:
        return [Bar(c.label, picks.get(c.pk, 0), choice_id=c.pk) for c in question.choices.all()]
    if question.kind == QuestionKind.YES_NO:
        return [
            Bar(label, scalars.get((question.pk, value, None), 0))
            for value, label in ((True, "Yes"), (False, "No"))
        ]
    if question.kind == QuestionKind.SCALE:
        return [Bar(str(n), scalars.get((question.pk, None, n), 0)) for n in range(1, 6)]
    return []


def _summarise(
    question: Question,
    picks: dict[int, int],
    scalars: dict[tuple[int, bool | None, int | None], int],
    texts: dict[int, list[str]],
    answered: int,
    respondents: int,
    *,
    k: int,
    suppress: bool,
) -> QuestionSummary:
    """One question's figures. Those who gave no answer are a count like any other
    (the responses counted, less those who answered): with suppression it is hidden
    when small, with the others hidden as it takes (outside probe: "10 counted, 7
    answered" showed a group of 3 in the clear)."""
    skipped = max(respondents - answered, 0)
    summary = QuestionSummary(question, answered=Shown(answered), no_answer=Shown(skipped))
    summary.bars = _bars(question, picks, scalars)
    if not suppress:
        summary.texts = texts.get(question.pk, [])
        return summary
    if question.kind in SINGLE_ANSWER_KINDS:
        # One answer each: the counts and "no answer" add up to the responses counted,
        # which is shown, so complements are needed.
        shown = suppress_distribution(
            [*(b.count for b in summary.bars), skipped], k=k, total=respondents
        )
        *counts, summary.no_answer = shown.counts
        for bar, count in zip(summary.bars, counts, strict=True):
            bar.shown = count
        # Those who answered are the counted less those who did not: hidden with them.
        if summary.no_answer.hidden:
            summary.answered = Shown(answered, hidden=True)
        if 0 < answered < k:
            # Too few answered to show anything of it: the total of its hidden counts
            # would otherwise follow from "no answer".
            summary.answered = Shown(answered, hidden=True, under=k)
            summary.no_answer = Shown(skipped, hidden=True)
            for bar in summary.bars:
                bar.shown = Shown(bar.count, hidden=True) if bar.count else bar.shown
    else:
        # Several answers each, or words: the ticks are tied by no sum, but "answered"
        # and "no answer" add up to the responses counted (a pair suppressed together),
        # and every answer of a multiple choice ticked at least one box, so a hidden
        # tick count is at least "answered" less the others: with any tick count
        # hidden, "answered" is hidden too (outside probe: X 6, Y <5, answered 10 gave
        # Y = 4).
        ticks = suppress_distribution([b.count for b in summary.bars], k=k, total=None)
        for bar, count in zip(summary.bars, ticks.counts, strict=True):
            bar.shown = count
        pair = suppress_distribution([answered, skipped], k=k, total=respondents)
        summary.answered, summary.no_answer = pair.counts
        if any(bar.hidden for bar in summary.bars) and not summary.answered.hidden:
            summary.answered = Shown(answered, hidden=True)
            if not summary.no_answer.hidden:
                summary.no_answer = Shown(skipped, hidden=True)
    if question.kind in QuestionKind.free_text():
        # Words are shown only when their number (and so the number who wrote none)
        # tells on nobody.
        withheld = summary.answered.hidden or answered < k
        summary.texts = [] if withheld else texts.get(question.pk, [])
        summary.texts_withheld = withheld and answered > 0
    return summary


@dataclass
class CrossTab:
    row_question: Question
    column_question: Question
    row_labels: list[str]
    column_labels: list[str]
    cells: tuple[tuple[Shown, ...], ...]
    row_totals: tuple[Shown, ...]
    column_totals: tuple[Shown, ...]
    total: Shown
    k: int
    suppressed: bool
    # Anonymous: not shown at all, because a total would have to be hidden (below).
    withheld: bool = False


def crossable_questions(questionnaire: Questionnaire) -> list[Question]:
    """Questions (prefetched) a cross-tabulation may use: one answer from a fixed list."""
    return [
        q
        for q in questionnaire.questions.all()
        if q.kind in SINGLE_ANSWER_KINDS and (not q.has_choices or q.choices.all())
    ]


def _categories(question: Question) -> list[tuple[object, str]]:
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return [(c.pk, c.label) for c in question.choices.all()]
    if question.kind == QuestionKind.YES_NO:
        return [(True, "Yes"), (False, "No")]
    return [(n, str(n)) for n in range(1, 6)]


def _answer_by_response(question: Question, responses: QuerySet[Response]) -> dict[int, object]:
    """Each respondent's answer to `question` (one query), by response key. Read
    here and paired in memory; never shown or returned per respondent."""
    if question.kind == QuestionKind.SINGLE_CHOICE:
        picks = AnswerChoice.objects.filter(
            answer__question=question, answer__response__in=responses
        ).values_list("answer__response_id", "choice_id")
        return dict(picks)
    value = "boolean" if question.kind == QuestionKind.YES_NO else "number"
    answers = Answer.objects.filter(question=question, response__in=responses)
    return dict(answers.values_list("response_id", value))


def crosstab(
    questionnaire: Questionnaire,
    row_question: Question,
    column_question: Question,
    *,
    suppress: bool | None = None,
) -> CrossTab:
    """Respondents who answered both questions, counted by their pair of answers, with
    the totals of each row and column. Small counts are hidden for anonymous surveys
    (gds_portal.suppression: primary and complementary). Two queries."""
    suppress = questionnaire.anonymous if suppress is None else suppress
    k = questionnaire.min_cell_size
    responses = responses_in(questionnaire, None)
    rows, columns = _categories(row_question), _categories(column_question)
    by_row = _answer_by_response(row_question, responses)
    by_column = _answer_by_response(column_question, responses)
    row_index = {key: i for i, (key, _) in enumerate(rows)}
    column_index = {key: j for j, (key, _) in enumerate(columns)}
    counts = [[0] * len(columns) for _ in rows]
    for response_id, row_key in by_row.items():
        column_key = by_column.get(response_id)
        if row_key in row_index and column_key in column_index:
            counts[row_index[row_key]][column_index[column_key]] += 1
    table = suppress_table(counts, k=k) if suppress else suppress_table(counts, k=1)
    # The totals of a cross-tabulation restate the summary's counts (exactly, when both
    # questions are required): a total hidden here but shown there, or a small one whose
    # cells are hidden here in another pattern than there, let a reader solve the two
    # tables together (outside probe: three career counts shown "<5" were worked out
    # from the summary and one cross-tabulation). So an anonymous cross-tabulation is
    # shown only when no total needs hiding: each row and column then holds at least k,
    # and only its inner cells are suppressed, within the table.
    margins = [*table.row_totals, *table.column_totals, table.total]
    # Those counted who skipped one of the two questions are counts too: overall (the
    # responses counted, less the table's total) and per answer (the summary's count of
    # an answer, less its row or column total here). A small one of these is withheld
    # with the table (outside probe: Red 8 in the summary, 5 here, gave 3 who chose Red
    # and skipped the other question).
    skipped = [responses.count() - table.total.value] if suppress else []
    for keys, answers, totals in (
        ([key for key, _ in rows], by_row, table.row_totals),
        ([key for key, _ in columns], by_column, table.column_totals),
    ):
        everyone = Counter(answers.values())
        skipped += [everyone[key] - total.value for key, total in zip(keys, totals, strict=True)]
    small_skip = suppress and any(0 < n < k for n in skipped)
    withheld = suppress and (any(count.hidden for count in margins) or small_skip)
    if suppress and not withheld and (row_question.shown_if_id or column_question.shown_if_id):
        # Asked only after an answer: its respondents restate that answer's count.
        summaries = questionnaire_summary(questionnaire).questions
        behind = {s.question.pk for s in summaries if s.withheld}
        withheld = row_question.pk in behind or column_question.pk in behind
    return CrossTab(
        row_question,
        column_question,
        [label for _, label in rows],
        [label for _, label in columns],
        table.cells,
        table.row_totals,
        table.column_totals,
        table.total,
        k,
        suppress,
        withheld,
    )


def export_rows(questionnaire: Questionnaire) -> tuple[list[str], list[list[str | bool]]]:
    """Header and rows for the export: every question (retired ones too), one row per response.

    Members who left the CRRG are not listed at all, on the membership questionnaire
    or any survey (issue 15, break 12): leaving is the end of the coordinators'
    business with them. Summaries still count their answers, unnamed. Emails appear
    only where the member consented, on this response, to be contacted.

    An anonymous survey is exported as its results, never one row per respondent
    (`results_rows`): a row of one person's answers, nameless, is still that person.
    """
    if questionnaire.anonymous:
        return results_rows(questionnaire)
    questions = list(questionnaire.questions.all())
    answers = Answer.objects.select_related("question").prefetch_related("choices")
    responses = (
        seen_by_coordinators(
            Response.objects.filter(questionnaire=questionnaire, withdrawn_at__isnull=True)
        )
        .select_related("user")
        .prefetch_related(Prefetch("answers", answers))
        .order_by("created_at", "id")
    )
    header = [
        "Name",
        "Affiliation",
        "Email (if consented)",
        "Answered",
        "Last changed",
        "May contact",
        "Listed publicly",
    ]
    header += [f"{q.text} [retired]" if q.retired else q.text for q in questions]
    rows: list[list[str | bool]] = []
    for response in responses:
        by_question = {a.question_id: a.display() for a in response.answers.all()}
        user = response.user
        if user is None:  # never on a named survey (anonymity is fixed once answered)
            continue
        rows.append(
            [
                user.full_name,
                user.affiliation,
                user.email if response.consent_contact else "",
                response.created_at.isoformat(timespec="minutes"),
                response.updated_at.isoformat(timespec="minutes"),
                response.consent_contact,
                response.consent_listed,
                *(by_question.get(q.pk, "") for q in questions),
            ]
        )
    return header, rows


def results_rows(questionnaire: Questionnaire) -> tuple[list[str], list[list[str | bool]]]:
    """The results as a table (question, answer, respondents), small counts hidden as on
    the summary page, free texts only where k answered, each on its own row in the
    order of its text. No identity, no respondent key, no time."""
    results = questionnaire_summary(questionnaire, suppress=True)
    header = ["Question", "Answer", "Respondents"]
    rows: list[list[str | bool]] = [
        ["(all questions)", "Responses counted", str(results.respondents)]
    ]
    for summary in results.questions:
        text = summary.question.text + (" [retired]" if summary.question.retired else "")
        rows.append([text, "(answered)", str(summary.answered)])
        rows += [[text, bar.label, str(bar.shown)] for bar in summary.bars]
        rows.append([text, "(no answer)", str(summary.no_answer)])
        rows += [[text, answer, ""] for answer in summary.texts]
        if summary.texts_withheld:
            rows.append([text, "(written answers withheld: too few to show)", ""])
    return header, rows


def published_figures(questionnaire: Questionnaire) -> tuple[int, list[dict[str, object]]]:
    """What a released summary keeps: the number of responses counted and, per question
    with a fixed list of answers, each answer's count or None where it is hidden (k as
    for anonymous surveys, whatever the survey: members read it). No free text."""
    results = questionnaire_summary(questionnaire, suppress=True)
    figures: list[dict[str, object]] = []
    for summary in results.questions:
        if not summary.bars or summary.question.retired:
            continue
        figures.append(
            {
                "question": summary.question.text,
                "several": summary.question.kind == QuestionKind.MULTIPLE_CHOICE,
                # Hidden counts are kept as their mark only: the snapshot never holds them.
                "answered": str(summary.answered),
                "no_answer": str(summary.no_answer),
                "rows": [
                    [bar.label, None if bar.hidden else bar.count, str(bar.shown)]
                    for bar in summary.bars
                ],
            }
        )
    return results.respondents, figures
