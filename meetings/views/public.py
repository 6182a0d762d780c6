"""The public meeting pages: the list, a meeting, its call and the call's deadline."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from gds_portal.access import public
from gds_portal.pagecache import cached_fragment
from gds_portal.sharedpages import shared_with_members
from meetings.book import book_response
from meetings.feeds import call_deadline_ics
from meetings.models import Meeting
from meetings.rules import rule_says
from meetings.selectors.book import public_book
from meetings.selectors.meetings import (
    accepted_by_category,
    call_sections,
    extension_closing_times,
    invited_program,
    meetings_open_calls,
    meetings_past,
    meetings_upcoming,
)
from meetings.selectors.nominations import nomination_aggregates
from meetings.selectors.sessions import published_sessions
from meetings.services.abstracts import closes_at_for


@shared_with_members
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


@shared_with_members
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
        },
    )


def committee_link_part(request, meeting_slug, page=None) -> dict:
    """The dashboard link, for the Program committee only: a visitor part, so the
    meeting page itself is every reader's (gds_portal/sharedpages.py)."""
    return {
        "meeting_slug": meeting_slug,
        "is_committee": request.user.has_perm("meetings.view_committee"),
    }


@shared_with_members
@public
@require_safe
def call(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    # The call's state is the visitor's own part of the page (call_status_part): a
    # personal extension keeps the call open for one member; the rest is every reader's.
    return render(request, "meetings/call.html", {"meeting": meeting})


def call_status_part(request, meeting_pk, page=None) -> dict:
    """The call's state for this visitor: a signed-in member with a personal extension
    sees the call open until it ends. A visitor part (gds_portal/sharedpages.py), so
    signed-in members share the rest of the call page."""
    meeting = page.get("meeting") if page is not None else None
    if meeting is None or str(meeting.pk) != str(meeting_pk):
        meeting = cached_fragment(
            f"meetings:call-meeting:{meeting_pk}", lambda: Meeting.objects.get(pk=meeting_pk)
        )
    closes_at = meeting.call_closes_at
    if request.user.is_authenticated:
        # The meeting's extensions, kept per content generation (a grant is a committed
        # write to a public table: meetings/apps.py), so a member's page reads none.
        extensions = cached_fragment(
            f"meetings:call-extensions:{meeting.pk}",
            lambda: extension_closing_times(meeting=meeting),
        )
        closes_at = closes_at_for(meeting=meeting, member=request.user, extensions=extensions)
    call_state = meeting.call_state(closes_at=closes_at)

    def categories() -> str:
        context = {
            "meeting": meeting,
            "sections": call_sections(meeting=meeting),
            "call_state": call_state,
        }
        return render_to_string("meetings/parts/call_categories.html", context)

    return {
        "meeting": meeting,
        "call_state": call_state,
        "closes_at": closes_at,
        # The categories with their "Submit to" links as this call state shows them:
        # one rendering per state, shared (their Markdown is most of the page's work).
        "categories_html": cached_fragment(
            f"meetings:call-categories:{meeting.pk}:{call_state}", categories
        ),
    }


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
