"""The Program committee's pages (review, decide, dashboard, exports, nominations) and the
member's nomination form. Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from rules import has_perm as rules_has_perm

from gds_portal import exports
from gds_portal.charts import bar_chart, line_chart
from gds_portal.mail import render_mail
from meetings import rules, selectors, services
from meetings.enums import (
    ACCEPTED_STATES,
    REVIEWABLE_STATES,
    AbstractState,
    CallState,
    Decision,
)
from meetings.forms import DecisionForm, ExportFilterForm, NominationForm, ReviewForm
from meetings.models import Meeting


def _pending_for(user, meeting: Meeting):
    """Decisions not yet sent, less those on `user`'s own abstracts (conflict of interest:
    the count would say when their own abstract was decided)."""
    return services.decisions_pending(meeting=meeting).exclude(rules.named_author_q(user))


def _committee_meeting(request, slug: str) -> Meeting:
    """The meeting, for the Program committee only (403 for everyone else signed in)."""
    if not request.user.has_perm("meetings.view_committee"):
        raise PermissionDenied("The Program committee's pages.")
    return get_object_or_404(Meeting.objects.select_related("program_chair"), slug=slug)


@login_required
@require_safe
def dashboard(request, slug):
    meeting = _committee_meeting(request, slug)
    categories = selectors.category_statistics(meeting=meeting, viewer=request.user)
    series = selectors.submissions_by_day(meeting=meeting)
    focus = [c for c in categories if c.is_focus]
    context = {
        "meeting": meeting,
        "categories": categories,
        "focus": focus,
        "series": series,
        "nominations": selectors.nominations_for_committee(meeting=meeting),
        "pending": _pending_for(request.user, meeting).count(),
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
    page = selectors.review_queue(
        meeting=meeting, reviewer=request.user, page_number=request.GET.get("page")
    )
    return render(
        request,
        "meetings/committee/review_list.html",
        {"meeting": meeting, "abstracts": page, "page": page},
    )


@login_required
def review_form(request, slug, pk):
    meeting = _committee_meeting(request, slug)
    abstract = selectors.abstract_for_review(meeting=meeting, pk=pk)
    if abstract is None:
        raise Http404("No such abstract.")
    if not rules.committee_may("meetings.review_abstract", request.user, abstract):
        # Conflict of interest: an author never reviews (or reads the reviews of) their own,
        # superusers included.
        raise PermissionDenied("You are an author of this abstract.")
    mine = next((r for r in abstract.reviews.all() if r.reviewer_id == request.user.pk), None)
    closed = hasattr(abstract, "decision_notification")
    initial = {"score": mine.score, "comment": mine.comment} if mine else {}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(abstract=abstract, by=request.user, **form.cleaned_data)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Your review of {abstract.reference} is saved.")
            return redirect("meetings:review_list", slug=meeting.slug)
    context = {
        "meeting": meeting,
        "abstract": abstract,
        "form": form,
        "closed": closed,
        "others": [r for r in abstract.reviews.all() if r.reviewer_id != request.user.pk],
        "shared_affiliations": selectors.shares_affiliation(abstract, user=request.user),
        "duplicates": selectors.likely_duplicates(meeting=meeting, of=[abstract.pk]).get(
            abstract.pk, []
        ),
    }
    return render(request, "meetings/committee/review_form.html", context, status=200)


@login_required
def decisions(request, slug):
    meeting = _committee_meeting(request, slug)
    if not request.user.has_perm("meetings.decide_abstracts"):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.abstracts_decide(
                abstracts=data["abstracts"],
                decision=data["decision"],
                by=request.user,
                category=data["category"],
            )
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            label = Decision(data["decision"]).label
            messages.success(request, f"{label}: {count} abstract{'s' if count != 1 else ''}.")
            return redirect("meetings:decisions", slug=meeting.slug)
    abstracts = list(selectors.committee_abstracts(meeting=meeting))
    selectors.redact_conflicts(
        abstracts, conflicts=selectors.conflicted_ids(meeting=meeting, user=request.user)
    )
    context = {
        "meeting": meeting,
        "form": form,
        "abstracts": abstracts,
        "pending": _pending_for(request.user, meeting).count(),
        "can_send": request.user.has_perm("meetings.send_decisions", meeting),
        "selected": {str(pk) for pk in request.POST.getlist("abstracts")},
    }
    return render(request, "meetings/committee/decisions.html", context)


@login_required
@require_safe
def decisions_preview(request, slug):
    meeting = _committee_meeting(request, slug)
    mails = []
    pending = services.decisions_pending(meeting=meeting)
    # Conflict of interest: the chair sends every mail, but never reads their own abstract's.
    own = pending.filter(rules.named_author_q(request.user)).count()
    for abstract in pending.exclude(rules.named_author_q(request.user)):
        subject, body, _ = render_mail(
            "abstract-decision", services.decision_mail_context(abstract)
        )
        # render_mail's text is a plain str, so the template escapes it (break 4).
        mails.append(
            {"abstract": abstract, "to": abstract.submitter.email, "subject": subject, "body": body}
        )
    context = {
        "meeting": meeting,
        "mails": mails,
        "own": own,
        # Submitted (perhaps moved) but not accepted or rejected: these get no mail yet.
        "undecided": meeting.abstracts.filter(state=AbstractState.SUBMITTED)
        .exclude(rules.named_author_q(request.user))
        .count(),
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
        sent = services.decisions_send(meeting=meeting, by=request.user)
    except services.Refused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    if sent:
        messages.success(request, f"{sent} decision mail{'s' if sent != 1 else ''} queued.")
    else:
        messages.info(request, "There were no unsent decisions: nothing was sent.")
    return redirect("meetings:decisions", slug=meeting.slug)


EXPORT_HEADER = [
    "Reference",
    "State",
    "Category",
    "Category title",
    "Original category",
    "Title",
    "Abstract",
    "Presentation preference",
    "Student presenter",
    "Authors",
    "Affiliations",
    "Presenting author",
    "Submitter email",
    "Submitted at",
    "Keywords",
    "Funding",
]


def _export_row(abstract) -> list:
    authors = list(abstract.authors.all())
    affiliations = []
    for author in authors:
        for affiliation in author.affiliations.all():
            if affiliation.name not in affiliations:
                affiliations.append(affiliation.name)
    presenting = next((a.name for a in authors if a.is_presenting), "")
    original = abstract.original_category.code if abstract.original_category else ""
    return [
        abstract.reference or "",
        abstract.get_state_display(),
        abstract.category.code,
        abstract.category.title,
        original,
        abstract.title,
        abstract.body,
        abstract.get_presentation_display(),
        abstract.student_presenter,
        "; ".join(f"{a.name} ({', '.join(f.name for f in a.affiliations.all())})" for a in authors),
        "; ".join(affiliations),
        presenting,
        abstract.submitter.email,
        abstract.submitted_at.isoformat() if abstract.submitted_at else "",
        abstract.keywords,
        abstract.funding,
    ]


@login_required
@require_safe
def export(request, slug, fmt):
    meeting = _committee_meeting(request, slug)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Exports come as .csv or .xlsx.")
    form = ExportFilterForm(request.GET or None, meeting=meeting)
    filters = form.cleaned_data if form.is_valid() else {}
    abstracts = selectors.export_abstracts(
        meeting=meeting,
        viewer=request.user,
        category=filters.get("category", ""),
        state=filters.get("state", ""),
    )
    rows = [_export_row(abstract) for abstract in abstracts]
    filename = f"{meeting.slug}-abstracts"
    if fmt == "xlsx":
        return exports.xlsx_response(filename, EXPORT_HEADER, rows)
    return exports.csv_response(filename, EXPORT_HEADER, rows)


@login_required
@require_safe
def exports_page(request, slug):
    meeting = _committee_meeting(request, slug)
    form = ExportFilterForm(request.GET or None, meeting=meeting)
    own = len(selectors.conflicted_ids(meeting=meeting, user=request.user))
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
            "groups": selectors.accepted_by_category(
                meeting=meeting, states=states, viewer=request.user
            ),
            "own": len(selectors.conflicted_ids(meeting=meeting, user=request.user)),
            "all": bool(request.GET.get("all")),
        },
    )


@login_required
@require_safe
def nominations(request, slug):
    meeting = _committee_meeting(request, slug)
    return render(
        request,
        "meetings/committee/nominations.html",
        {
            "meeting": meeting,
            "nominations": selectors.nominations_for_committee(meeting=meeting),
            # The voluntary flags: Program-committee members only, never superusers as such.
            "show_flags": rules_has_perm("meetings.view_nomination_flags", request.user),
        },
    )


# --- Members' nominations ---------------------------------------------------------


def _thank(request, outcome, nominee: str) -> None:
    if outcome.replayed:
        # A second press, or the same form sent again: the first one counted.
        messages.info(request, "This nomination had already been sent; it is listed once below.")
    else:
        messages.success(
            request, f"Thank you: your nomination of {nominee} is with the Program committee."
        )


@login_required
def nominate(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    if not request.user.has_perm("meetings.nominate_speakers"):
        return render(request, "meetings/verify_first.html", status=403)
    form = NominationForm(request.POST if request.method == "POST" else None)
    refusal = (
        ""
        if meeting.nominations_open
        else (f"Invited-speaker nominations for {meeting} are not open.")
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            outcome = services.nomination_create(
                meeting=meeting,
                by=request.user,
                data=form.data_object(),
                token=form.cleaned_data["token"],
            )
        except services.Refused as error:
            refusal = str(error)
        else:
            _thank(request, outcome, form.cleaned_data["nominee_name"])
            return redirect("meetings:my_nominations")
    return render(
        request,
        "meetings/nominate.html",
        {"meeting": meeting, "form": form, "refusal": refusal},
        status=409 if refusal and request.method == "POST" else 200,
    )


@login_required
@require_safe
def my_nominations(request):
    return render(
        request,
        "meetings/my_nominations.html",
        {"nominations": selectors.nominations_of(request.user)},
    )


def my_gds_nominations(request) -> dict | None:
    """The "My speaker nominations" block on My GDS (public-safe status only)."""
    if not request.user.is_authenticated:
        return None
    nominations = list(selectors.nominations_of(request.user)[:5])
    return {"nominations": nominations} if nominations else None
