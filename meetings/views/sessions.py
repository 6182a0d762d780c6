"""The Program committee's session editor: list and create sessions (one per category
or by hand), edit one (details, talks in order, publish). Thin: selectors read, rules
decide (meetings.edit_sessions here, the rest in the services), services write.

Every action is an ordinary form post answered by a redirect, so the editor works
without JavaScript and by keyboard alone (talks move with Up and Down buttons).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meetings.enums import TalkMove
from meetings.forms.sessions import AddTalkForm, NewSessionForm, SessionForm
from meetings.models import ContributedSession, Meeting, SessionTalk
from meetings.selectors.sessions import sessions_for, unplaced_abstracts
from meetings.services.errors import Refused
from meetings.services.sessions import (
    session_create,
    session_delete,
    session_publish,
    session_update,
    sessions_create_per_category,
    talk_add,
    talk_move,
)


def _meeting(request, slug: str) -> Meeting:
    if not request.user.has_perm("meetings.edit_sessions"):
        raise PermissionDenied("The Program committee's pages.")
    return get_object_or_404(Meeting, slug=slug)


def _session(meeting: Meeting, pk: int) -> ContributedSession:
    return get_object_or_404(
        ContributedSession.objects.select_related("chair"), meeting=meeting, pk=pk
    )


def reverse_talks(meeting: Meeting, session: ContributedSession) -> str:
    return reverse("meetings:session_talks", args=[meeting.slug, session.pk])


def _editor(meeting: Meeting, session: ContributedSession):
    return redirect("meetings:session", slug=meeting.slug, pk=session.pk)


@login_required
def session_list(request, slug):
    meeting = _meeting(request, slug)
    if request.method == "POST":
        made = sessions_create_per_category(meeting=meeting, by=request.user)
        if made:
            messages.success(request, f"{made} session{'s' if made != 1 else ''} created.")
        else:
            messages.info(request, "Every accepted abstract you can place is already in a session.")
        return redirect("meetings:sessions", slug=meeting.slug)
    context = {
        "meeting": meeting,
        "sessions": sessions_for(meeting=meeting, include_unpublished=True, viewer=request.user),
        "unplaced": unplaced_abstracts(meeting=meeting, viewer=request.user),
    }
    with timezone.override(meeting.tz):
        return render(request, "meetings/committee/sessions.html", context)


@login_required
def session_new(request, slug):
    meeting = _meeting(request, slug)
    with timezone.override(meeting.tz):
        form = NewSessionForm(request.POST or None, meeting=meeting, button="Create the session")
        if request.method == "POST" and form.is_valid():
            try:
                session = session_create(
                    meeting=meeting,
                    data=form.data_for_service(),
                    by=request.user,
                    token=form.cleaned_data["token"],
                )
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"Session “{session.title}” created.")
                return _editor(meeting, session)
        return render(
            request, "meetings/committee/session_new.html", {"meeting": meeting, "form": form}
        )


@login_required
def session_edit(request, slug, pk):
    meeting = _meeting(request, slug)
    session = _session(meeting, pk)
    with timezone.override(meeting.tz):
        initial = {
            "title": session.title,
            "code": session.code,
            "chair": session.chair,
            "chair_name": session.chair_name,
            "room": session.room,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
        }
        form = SessionForm(request.POST or None, meeting=meeting, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                session_update(session=session, data=form.data_for_service(), by=request.user)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "The session is saved.")
                return _editor(meeting, session)
        shown = sessions_for(meeting=meeting, include_unpublished=True, viewer=request.user)
        session = next(s for s in shown if s.pk == session.pk)
        choices = unplaced_abstracts(meeting=meeting, viewer=request.user)
        context = {
            "meeting": meeting,
            "session": session,
            "form": form,
            "add_form": AddTalkForm(choices=choices, action=reverse_talks(meeting, session)),
            "can_publish": request.user.has_perm("meetings.publish_session", session),
        }
        return render(request, "meetings/committee/session_edit.html", context)


@login_required
@require_POST
def session_talks(request, slug, pk):
    """Add a talk (the add form) or move/remove one (a button naming the talk)."""
    meeting = _meeting(request, slug)
    session = _session(meeting, pk)
    try:
        if "move" in request.POST:
            # The button says what and which: "up-12" moves talk 12 up.
            move, _, talk_pk = request.POST["move"].partition("-")
            if move not in TalkMove.values or not talk_pk.isdigit():
                raise Refused("Choose Up, Down or Remove on a talk.")
            talk = get_object_or_404(SessionTalk, session=session, pk=int(talk_pk))
            talk_move(talk=talk, move=move, by=request.user)
        else:
            form = AddTalkForm(
                request.POST, choices=unplaced_abstracts(meeting=meeting, viewer=request.user)
            )
            if not form.is_valid():
                raise Refused("Choose an accepted abstract that is in no session yet.")
            talk_add(session=session, abstract=form.cleaned_data["abstract"], by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    return _editor(meeting, session)


@login_required
@require_POST
def session_publish_view(request, slug, pk):
    meeting = _meeting(request, slug)
    session = _session(meeting, pk)
    publish = request.POST.get("publish") == "1"
    try:
        session_publish(session=session, by=request.user, publish=publish)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        done = "published on the meeting page" if publish else "no longer public"
        messages.success(request, f"The session is {done}.")
    return _editor(meeting, session)


@login_required
@require_POST
def session_delete_view(request, slug, pk):
    meeting = _meeting(request, slug)
    session = _session(meeting, pk)
    session_delete(session=session, by=request.user)
    messages.success(
        request, f"Session “{session.title}” deleted; its talks are free to place again."
    )
    return redirect("meetings:sessions", slug=meeting.slug)
