"""Who reviews what, on the Program committee's pages: the chair names each category's
reviewers, runs and rebalances the assignment, reassigns one abstract and reminds the
reviewers with open queues once. Every committee member reads these pages; the writes
are the chair's (meetings.assign_reviewers, meetings.remind_reviewers), refused here
and again in the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from gds_portal.mail import render_mail
from meetings import rules
from meetings.forms.assignments import CategoryReviewersForm, ReassignForm
from meetings.models import CategoryReviewer, ReviewerReminder
from meetings.selectors.assignments import (
    assignable_abstracts,
    assignment_overview,
    committee_members,
    open_queues,
)
from meetings.services.assignments import (
    CHAIR_ONLY,
    REMIND_CHAIR_ONLY,
    assignment_reassign,
    category_reviewers_set,
    reviewer_reminders_send,
    reviewers_assign,
)
from meetings.services.errors import Refused
from meetings.views.committee import _committee_meeting


def _current_reviewers(meeting) -> dict[int, list[int]]:
    current: dict[int, list[int]] = {}
    links = CategoryReviewer.objects.filter(category__meeting=meeting)
    for category_id, reviewer_id in links.values_list("category_id", "reviewer_id"):
        current.setdefault(category_id, []).append(reviewer_id)
    return current


@login_required
def assignments(request, slug):
    meeting = _committee_meeting(request, slug)
    can_assign = rules.rule_says("meetings.assign_reviewers", request.user, meeting)
    if request.method == "POST" and not can_assign:
        raise PermissionDenied(CHAIR_ONLY)
    form = CategoryReviewersForm(
        request.POST or None,
        meeting=meeting,
        members=committee_members(),
        current=_current_reviewers(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            category_reviewers_set(
                meeting=meeting,
                reviewers=form.reviewers(),
                reviews_per_abstract=form.cleaned_data["reviews_per_abstract"],
                by=request.user,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Reviewers saved. Run the assignment to spread abstracts.")
            return redirect("meetings:assignments", slug=meeting.slug)
    context = {
        "meeting": meeting,
        "form": form if can_assign else None,
        "can_assign": can_assign,
        "overview": assignment_overview(meeting=meeting, viewer=request.user),
    }
    return render(request, "meetings/committee/assignments.html", context)


@login_required
@require_POST
def assignments_run(request, slug):
    """Run the assignment for the whole meeting, or (`category` posted) rebalance one."""
    meeting = _committee_meeting(request, slug)
    if not rules.rule_says("meetings.assign_reviewers", request.user, meeting):
        raise PermissionDenied(CHAIR_ONLY)
    category = None
    if code := request.POST.get("category"):
        category = get_object_or_404(meeting.categories, code=code)
    try:
        added = reviewers_assign(meeting=meeting, by=request.user, rebalance=category)
    except Refused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    what = f"{category.code} rebalanced" if category else "Assignment run"
    messages.success(request, f"{what}: {added} assignment{'s' if added != 1 else ''} added.")
    return redirect("meetings:assignments", slug=meeting.slug)


@login_required
def assignment_abstract(request, slug, pk):
    """Reassign one abstract (the chair); conflicts are refused with their reason."""
    meeting = _committee_meeting(request, slug)
    if not rules.rule_says("meetings.assign_reviewers", request.user, meeting):
        raise PermissionDenied(CHAIR_ONLY)
    abstract = assignable_abstracts(meeting=meeting).filter(pk=pk).first()
    if abstract is None:
        raise Http404("No abstract open to review here.")
    # Conflict of interest, superusers included (asked of the rule set itself).
    if not rules.rule_says("meetings.handle_abstract", request.user, abstract):
        raise PermissionDenied("You are an author of this abstract.")
    assigned = abstract.assignments.select_related("reviewer")
    reviewed = set(abstract.reviews.values_list("reviewer_id", flat=True))
    members = committee_members()
    form = ReassignForm(
        request.POST or None,
        open_reviewers=members.filter(
            pk__in=[a.reviewer_id for a in assigned if a.reviewer_id not in reviewed]
        ),
        members=members,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment_reassign(
                abstract=abstract,
                add=form.cleaned_data["add"],
                remove=form.cleaned_data["remove"],
                by=request.user,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{abstract.reference} reassigned.")
            return redirect("meetings:assignments", slug=meeting.slug)
    context = {
        "meeting": meeting,
        "abstract": abstract,
        "assigned": [(a.reviewer, a.reviewer_id in reviewed) for a in assigned],
        "form": form,
    }
    return render(request, "meetings/committee/assignment_abstract.html", context)


@login_required
@require_safe
def reminders_preview(request, slug):
    """The reviewers' reminder as each recipient will read it, before it is sent once."""
    meeting = _committee_meeting(request, slug)
    sent = ReviewerReminder.objects.filter(meeting=meeting).select_related("sent_by").first()
    mails = []
    if sent is None:
        for queue in open_queues(meeting=meeting):
            subject, body, _ = render_mail(
                "meetings/reviewer-reminder",
                {
                    "meeting": meeting,
                    "reviewer": queue.reviewer,
                    "open": queue.open,
                    "queue_url": reverse("meetings:review_list", args=[meeting.slug]),
                },
            )
            mails.append({"queue": queue, "subject": subject, "body": body})
    context = {
        "meeting": meeting,
        "sent": sent,
        "mails": mails,
        "can_send": rules.rule_says("meetings.remind_reviewers", request.user, meeting),
    }
    return render(request, "meetings/committee/reminders_preview.html", context)


@login_required
@require_POST
def reminders_send(request, slug):
    meeting = _committee_meeting(request, slug)
    if not rules.rule_says("meetings.remind_reviewers", request.user, meeting):
        raise PermissionDenied(REMIND_CHAIR_ONLY)
    try:
        sent = reviewer_reminders_send(meeting=meeting, by=request.user)
    except Refused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    if sent:
        messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} queued.")
    else:
        messages.info(request, "The reviewers' reminder was sent already: nothing was sent.")
    return redirect("meetings:reminders", slug=meeting.slug)
