"""The public meeting pages: the list, a meeting, its call and the call's deadline."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from gds_portal.access import public
from meetings.book import book_response
from meetings.feeds import call_deadline_ics
from meetings.models import Meeting
from meetings.rules import rule_says
from meetings.selectors.book import public_book
from meetings.selectors.meetings import (
    accepted_by_category,
    call_sections,
    invited_program,
    meetings_open_calls,
    meetings_past,
    meetings_upcoming,
)
from meetings.selectors.nominations import nomination_aggregates
from meetings.selectors.sessions import published_sessions
from meetings.services.abstracts import closes_at_for


@public
@require_safe
def meeting_list(request):
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "open_calls": meetings_open_calls(),
            "upcoming": meetings_upcoming(),
            "past": meetings_past(),
        },
    )


@public
@require_safe
def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("program_chair"), slug=slug)
    published = meeting.contributed_published
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "call_state": meeting.call_state(),
            "sessions": invited_program(meeting=meeting),
            "contributed_sessions": published_sessions(meeting),
            # Only decisions already mailed: no author learns theirs from the program first.
            "accepted": (
                accepted_by_category(meeting=meeting, sent_only=True) if published else []
            ),
            "nomination_counts": nomination_aggregates(meeting=meeting),
            "is_committee": request.user.has_perm("meetings.view_committee"),
        },
    )


@public
@require_safe
def call(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    # A signed-in member sees the call as it is for them (a personal extension keeps it
    # open); members' pages are never served from the anonymous page cache.
    closes_at = meeting.call_closes_at
    if request.user.is_authenticated:
        closes_at = closes_at_for(meeting=meeting, member=request.user)
    return render(
        request,
        "meetings/call.html",
        {
            "meeting": meeting,
            "call_state": meeting.call_state(closes_at=closes_at),
            "closes_at": closes_at,
            "sections": call_sections(meeting=meeting),
        },
    )


@public
@require_safe
def call_ics(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    response = HttpResponse(call_deadline_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-deadline.ics"'
    return response


@public
@require_safe
def book_pdf(request, slug):
    """The book of abstracts for everyone, once the meeting's accepted abstracts are
    published: those whose decision mail has gone, as the meeting page lists them.
    Before that it does not exist (404), whoever asks."""
    meeting = get_object_or_404(Meeting, slug=slug)
    if not rule_says("meetings.read_public_book", request.user, meeting):
        raise Http404("The book of abstracts is not published yet.")
    return book_response(public_book(meeting=meeting), filename=f"{meeting.slug}-abstracts.pdf")
