"""The Program committee's pages: dashboard, reviews, decisions, exports, the book of
abstracts and the nominations. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from rules import has_perm as rules_has_perm

from gds_portal import exports
from gds_portal.charts import bar_chart, line_chart
from meetings import rules
from meetings.book import book_response
from meetings.enums import ACCEPTED_STATES, REVIEWABLE_STATES, CallState, Decision
from meetings.forms.base import submit_button
from meetings.forms.committee import DecisionForm, ExportFilterForm, ReviewForm
from meetings.models import Meeting
from meetings.selectors.assignments import coverage, my_queue, next_in_queue
from meetings.selectors.book import BY_CATEGORY, BY_SESSION, committee_book
from meetings.selectors.decisions import decision_preview, decisions_pending_for
from meetings.selectors.exports import export_header, export_rows
from meetings.selectors.meetings import accepted_by_category
from meetings.selectors.nominations import nominations_for_committee
from meetings.selectors.reviews import (
    abstract_for_review,
    conflicted_ids,
    decision_page,
    likely_duplicates,
    review_queue,
    shares_affiliation,
    shares_name,
)
from meetings.selectors.scores import rubric_of
from meetings.selectors.statistics import category_statistics, submissions_by_day
from meetings.services.decisions import abstracts_decide
from meetings.services.decisions import decisions_send as send_decisions
from meetings.services.errors import Refused
from meetings.services.reviews import review_save


def _committee_meeting(request, slug: str) -> Meeting:
    """The meeting, for the Program committee only (403 for everyone else signed in)."""
    if not request.user.has_perm("meetings.view_committee"):
        raise PermissionDenied("The Program committee's pages.")
    return get_object_or_404(Meeting.objects.select_related("program_chair"), slug=slug)


@login_required
@require_safe
def dashboard(request, slug):
    meeting = _committee_meeting(request, slug)
    categories = category_statistics(meeting=meeting, viewer=request.user)
    series = submissions_by_day(meeting=meeting)
    focus = [c for c in categories if c.is_focus]
    context = {
        "meeting": meeting,
        "categories": categories,
        "focus": focus,
        "series": series,
        "nominations": nominations_for_committee(meeting=meeting),
        "coverage": coverage(meeting=meeting, viewer=request.user),
        "pending": decisions_pending_for(meeting=meeting, viewer=request.user).count(),
        "conflicts": sum(c.conflicts for c in categories),
        "timeline_chart": line_chart(
            title="Submissions over time",
            labels=[day.strftime("%d %b") for day, _ in series],
            values=[total for _, total in series],
            description="Cumulative number of submitted abstracts each day of the call.",
            marker_label="today" if meeting.call_state() == CallState.OPEN else "",
        ),
        "category_chart": bar_chart(
            title="Abstracts per category",
            labels=[c.code for c in categories],
            values=[c.numbered for c in categories],
            description="Submitted and decided abstracts in each sorting category.",
        ),
    }
    return render(request, "meetings/committee/dashboard.html", context)


@login_required
@require_safe
def review_list(request, slug):
    meeting = _committee_meeting(request, slug)
    page = review_queue(meeting=meeting, reviewer=request.user, page_number=request.GET.get("page"))
    queue = my_queue(meeting=meeting, reviewer=request.user)
    return render(
        request,
        "meetings/committee/review_list.html",
        {
            "meeting": meeting,
            "abstracts": page,
            "page": page,
            "queue": queue,
            "rubric": rubric_of(meeting.pk),
        },
    )


@login_required
def review_form(request, slug, pk):
    meeting = _committee_meeting(request, slug)
    abstract = abstract_for_review(meeting=meeting, pk=pk)
    if abstract is None:
        raise Http404("No such abstract.")
    if not rules.committee_may("meetings.review_abstract", request.user, abstract):
        # Conflict of interest: an author never reviews (or reads the reviews of) their own,
        # superusers included.
        raise PermissionDenied("You are an author of this abstract.")
    mine = next((r for r in abstract.reviews.all() if r.reviewer_id == request.user.pk), None)
    closed = hasattr(abstract, "decision_notification")
    rubric = rubric_of(meeting.pk)
    initial = ReviewForm.initial_from(mine)
    form = ReviewForm(request.POST or None, initial=initial, rubric=rubric)
    # Beside the form's own Save: save, then open the next abstract of the reviewer's
    # queue (meetings.selectors.assignments.my_queue).
    form.helper.layout.append(
        submit_button("Save and next", "btn-outline-primary ms-2", name="then", value="next")
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_save(abstract=abstract, by=request.user, **form.review_data())  # type: ignore[arg-type]
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Your review of {abstract.reference} is saved.")
            if request.POST.get("then") == "next":
                return _next_in_queue(request, meeting)
            return redirect("meetings:review_list", slug=meeting.slug)
    # Blind until scored (meetings.see_scores): others' reviews only after one's own.
    abstract.meeting = meeting  # the rules read the chair from it; no second query
    sees_scores = rules.rule_says("meetings.see_scores", request.user, abstract)
    others = [r for r in abstract.reviews.all() if r.reviewer_id != request.user.pk]
    context = {
        "meeting": meeting,
        "abstract": abstract,
        "form": form,
        "closed": closed,
        "rubric": rubric,
        "sees_scores": sees_scores,
        "others": others if sees_scores else [],
        "others_count": len(others),
        # Anonymised review (meetings.see_authors): no names or affiliations.
        "hide_authors": not rules.rule_says("meetings.see_authors", request.user, meeting),
        "shared_affiliations": shares_affiliation(abstract, user=request.user),
        "shares_name": shares_name(abstract, user=request.user),
        **_queue_position(meeting, abstract, request.user),
        "duplicates": likely_duplicates(meeting=meeting, of=[abstract.pk]).get(abstract.pk, []),
    }
    return render(request, "meetings/committee/review_form.html", context, status=200)


def _queue_position(meeting, abstract, reviewer) -> dict[str, int]:
    """Where `abstract` stands in the reviewer's queue ("2 of 5"), if it is in it."""
    queue = [a.pk for a in my_queue(meeting=meeting, reviewer=reviewer)]
    if abstract.pk not in queue:
        return {}
    return {"queue_position": queue.index(abstract.pk) + 1, "queue_length": len(queue)}


def _next_in_queue(request, meeting):
    following = next_in_queue(meeting=meeting, reviewer=request.user)
    if following is None:
        messages.info(request, "Your queue is done: no assigned abstract awaits your review.")
        return redirect("meetings:review_list", slug=meeting.slug)
    return redirect("meetings:review", slug=meeting.slug, pk=following.pk)


@login_required
def decisions(request, slug):
    meeting = _committee_meeting(request, slug)
    if not request.user.has_perm("meetings.decide_abstracts"):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = abstracts_decide(
                abstracts=data["abstracts"],
                decision=data["decision"],
                by=request.user,
                category=data["category"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            label = Decision(data["decision"]).label
            messages.success(request, f"{label}: {count} abstract{'s' if count != 1 else ''}.")
            return redirect(_same_page(request, "meetings:decisions", meeting))
    page = decision_page(meeting=meeting, viewer=request.user, page_number=request.GET.get("page"))
    context = {
        "meeting": meeting,
        "form": form,
        "abstracts": page.object_list,
        "page": page,
        "pending": decisions_pending_for(meeting=meeting, viewer=request.user).count(),
        "can_send": request.user.has_perm("meetings.send_decisions", meeting),
        "selected": {str(pk) for pk in request.POST.getlist("abstracts")},
    }
    return render(request, "meetings/committee/decisions.html", context)


def _same_page(request, name: str, meeting: Meeting) -> str:
    """The list's URL, on the page the form was posted from (a paged list)."""
    url = reverse(name, args=[meeting.slug])
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@login_required
@require_safe
def decisions_preview(request, slug):
    meeting = _committee_meeting(request, slug)
    if not rules.rule_says("meetings.see_authors", request.user, meeting):
        raise PermissionDenied("Anonymised review: the decision mails name the authors.")
    # Conflict of interest: the chair sends every mail, but never reads their own abstract's.
    preview = decision_preview(meeting=meeting, viewer=request.user)
    context = {
        "meeting": meeting,
        "mails": preview.mails,
        "own": preview.own,
        "undecided": preview.undecided,
        "can_send": request.user.has_perm("meetings.send_decisions", meeting),
    }
    return render(request, "meetings/committee/decisions_preview.html", context)


@login_required
@require_POST
def decisions_send(request, slug):
    meeting = _committee_meeting(request, slug)
    if not request.user.has_perm("meetings.send_decisions", meeting):
        raise PermissionDenied("Only the program chair sends the decisions.")
    try:
        sent = send_decisions(meeting=meeting, by=request.user)
    except Refused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    if sent:
        messages.success(request, f"{sent} decision mail{'s' if sent != 1 else ''} queued.")
    else:
        messages.info(request, "There were no unsent decisions: nothing was sent.")
    return redirect("meetings:decisions", slug=meeting.slug)


@login_required
@require_safe
def export(request, slug, fmt):
    meeting = _committee_meeting(request, slug)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Exports come as .csv or .xlsx.")
    form = ExportFilterForm(request.GET or None, meeting=meeting)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = export_rows(
        meeting=meeting,
        viewer=request.user,
        category=filters.get("category", ""),
        state=filters.get("state", ""),
    )
    filename = f"{meeting.slug}-abstracts"
    header = export_header(meeting)
    if fmt == "xlsx":
        return exports.xlsx_response(filename, header, rows)
    return exports.csv_response(filename, header, rows)


@login_required
@require_safe
def exports_page(request, slug):
    meeting = _committee_meeting(request, slug)
    form = ExportFilterForm(request.GET or None, meeting=meeting)
    own = len(conflicted_ids(meeting=meeting, user=request.user))
    context = {"meeting": meeting, "form": form, "own": own}
    return render(request, "meetings/committee/exports.html", context)


@login_required
@require_safe
def book(request, slug):
    """The book of abstracts: accepted ones by category (?all=1 adds submitted ones)."""
    meeting = _committee_meeting(request, slug)
    states = REVIEWABLE_STATES if request.GET.get("all") else ACCEPTED_STATES
    return render(
        request,
        "meetings/committee/book.html",
        {
            "meeting": meeting,
            "groups": accepted_by_category(meeting=meeting, states=states, viewer=request.user),
            "hide_authors": not rules.rule_says("meetings.see_authors", request.user, meeting),
            "own": len(conflicted_ids(meeting=meeting, user=request.user)),
            "all": bool(request.GET.get("all")),
        },
    )


@login_required
@require_safe
def book_pdf(request, slug):
    """The book of abstracts as a PDF, for the committee before publishing too; like the
    page, it leaves out the viewer's own abstracts (?all=1 adds submitted ones;
    ?by=session orders it by the sessions, published or not, then the rest by category).
    Under anonymised review a reviewer's copy names no author, as the page does."""
    meeting = _committee_meeting(request, slug)
    include_submitted = bool(request.GET.get("all"))
    by = BY_SESSION if request.GET.get("by") == BY_SESSION else BY_CATEGORY
    book = committee_book(
        meeting=meeting,
        viewer=request.user,
        include_submitted=include_submitted,
        by=by,
        hide_authors=not rules.rule_says("meetings.see_authors", request.user, meeting),
    )
    suffix = ("-all" if include_submitted else "") + ("-by-session" if by == BY_SESSION else "")
    response = book_response(book, filename=f"{meeting.slug}-abstracts-committee{suffix}.pdf")
    # A committee copy: never kept by a shared cache on the way.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def nominations(request, slug):
    meeting = _committee_meeting(request, slug)
    return render(
        request,
        "meetings/committee/nominations.html",
        {
            "meeting": meeting,
            "nominations": nominations_for_committee(meeting=meeting),
            # The voluntary flags: Program-committee members only, never superusers as such.
            "show_flags": rules_has_perm("meetings.view_nomination_flags", request.user),
        },
    )
