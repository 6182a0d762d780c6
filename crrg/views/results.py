"""A survey's results for those who run it: the summary, cross-tabulations, exports
and the summary released to members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST, require_safe

from crrg.forms import CrossTabForm, ReleaseForm
from crrg.models import InterestGroup, Questionnaire
from crrg.selectors import answering, results
from crrg.selectors import invitations as invited
from crrg.selectors.results import QuestionSummary
from crrg.services import results as results_services
from crrg.views.access import coordinated_survey, runs_surveys
from gds_portal.charts import Series, horizontal_bar_chart, line_chart
from gds_portal.exports import csv_response, xlsx_response


@runs_surveys
@require_safe
def summary(request, slug: str):
    """Per questionnaire: responses over time, counts per answer with charts, free texts."""
    return _summary_page(request, coordinated_survey(request, slug))


def _summary_page(request, questionnaire: Questionnaire, release_form=None, status: int = 200):
    # Breaking results down by interest group reads CRRG membership: the CRRG's own,
    # and never for an anonymous survey, whose answers belong to nobody.
    by_group = request.user.has_perm("crrg.coordinate") and not questionnaire.anonymous
    groups = list(InterestGroup.objects.all()) if by_group else []
    group = next((g for g in groups if g.slug == request.GET.get("group")), None)
    found = results.questionnaire_summary(questionnaire, group)
    running, days = 0, []
    for day, count in found.timeline:
        running += count
        days.append({"day": day, "count": count, "total": running})
    published = answering.published_summary_of(questionnaire)
    may_release = request.user.has_perm("crrg.release_summary", questionnaire)
    context = {
        "questionnaire": questionnaire,
        "groups": groups,
        "group": group,
        "days": days,
        "timeline_chart": horizontal_bar_chart(
            title="Responses per day",
            description="One bar per day with responses; the table beside it has the numbers.",
            labels=[d["day"].isoformat() for d in days],
            series=[Series("Responses", [d["count"] for d in days])],
            chart_id="chart-timeline",
        ),
        "results": found,
        "response_count": found.respondents,
        "hidden_label": f"<{found.k}",
        "questions": [(q, _answers_chart(q) if q.bars else None) for q in found.questions],
        "crossable": len(results.crossable_questions(questionnaire)) >= 2,
        "published": published,
        "release_form": (release_form or ReleaseForm(instance=published)) if may_release else None,
        **_response_rate(questionnaire),
    }
    return render(request, "crrg/summary.html", context, status=status)


def _response_rate(questionnaire: Questionnaire) -> dict:
    """Invited, submitted among them, and both over time (two lines: the chart module
    draws one line per chart; the table beside them has both numbers per day)."""
    days = invited.response_rate_days(questionnaire)
    labels = [d["day"].isoformat() for d in days]
    # (title, chart): the page writes each title above its chart, as the SVG's own
    # <title> is read by screen readers but seen by nobody.
    charts = [
        (
            title,
            line_chart(
                title=title,
                description="A running total by day; the table beside it has the numbers.",
                labels=labels,
                values=[d[key] for d in days],
                chart_id=f"chart-rate-{key}",
            ),
        )
        for key, title in (
            ("invited", "Members invited so far"),
            ("submitted", "Responses submitted so far (invited or not)"),
        )
    ]
    return {
        "rate": invited.invitation_stats(questionnaire),
        "rate_days": days,
        "rate_charts": charts,
    }


def _answers_chart(summary: QuestionSummary) -> SafeString:
    hidden = any(bar.hidden for bar in summary.bars)
    description = "How many chose each answer; the table beside it has the numbers."
    if hidden:
        # A hidden count is no bar and the word "hidden", never a 0 (outside probe: a
        # real zero and a hidden count looked the same).
        description += " Counts hidden in the table are drawn as no bar, marked hidden."
    return horizontal_bar_chart(
        title=summary.question.text,
        description=description,
        labels=[bar.label for bar in summary.bars],
        series=[Series("Answers", [None if bar.hidden else bar.count for bar in summary.bars])],
        chart_id=f"chart-{summary.question.pk}",
        missing="hidden",
    )


@runs_surveys
@require_safe
def export(request, slug: str, fmt: str):
    """One row per response; for an anonymous survey, its results (selectors.results)."""
    questionnaire = coordinated_survey(request, slug)
    header, rows = results.export_rows(questionnaire)
    make = csv_response if fmt == "csv" else xlsx_response
    kind = "results" if questionnaire.anonymous else "responses"
    return make(f"{questionnaire.slug}-{kind}", header, rows)


@runs_surveys
@require_safe
def crosstab(request, slug: str):
    """Two questions' answers against each other; small counts hidden for anonymous
    surveys (selectors.results.crosstab)."""
    questionnaire = coordinated_survey(request, slug)
    questions = results.crossable_questions(questionnaire)
    form = CrossTabForm(request.GET or None, questions=questions)
    table = None
    if form.is_bound and form.is_valid():
        table = results.crosstab(questionnaire, form.row_question(), form.column_question())
    context = {
        "questionnaire": questionnaire,
        "form": form,
        "table": table,
        "rows": list(zip(table.row_labels, table.cells, table.row_totals, strict=True))
        if table
        else [],
        "hidden_label": f"<{questionnaire.min_cell_size}",
    }
    return render(request, "crrg/crosstab.html", context)


@runs_surveys
@require_POST
def release(request, slug: str):
    """Release the summary to members (a snapshot of its counts), update it, or
    withdraw it: the owning committee only."""
    questionnaire = coordinated_survey(request, slug)
    if not request.user.has_perm("crrg.release_summary", questionnaire):
        raise PermissionDenied
    if request.POST.get("action") == "withdraw":
        if results_services.summary_withdraw(questionnaire=questionnaire):
            messages.success(request, "The summary is withdrawn; members no longer see it.")
        return redirect("crrg:summary", slug=questionnaire.slug)
    published = answering.published_summary_of(questionnaire)
    form = ReleaseForm(request.POST, instance=published)
    if not form.is_valid():
        # Shown again with the note as typed and its error beside it.
        return _summary_page(request, questionnaire, release_form=form, status=400)
    try:
        results_services.summary_release(
            questionnaire=questionnaire, note=form.cleaned_data["note"], by=request.user
        )
    except results_services.TooFewToPublish as refused:
        form.add_error(None, str(refused))
        return _summary_page(request, questionnaire, release_form=form, status=400)
    else:
        messages.success(request, "The summary is released: members see these figures at its link.")
    return redirect("crrg:summary", slug=questionnaire.slug)
