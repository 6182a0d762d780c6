"""Speakers' confirmations: the speaker's page behind the signed link, the presenter's
answer in My GDS, and the committee's overview, reminder and chair's replacement.
Thin: selectors read, rules decide, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from gds_portal.access import public
from gds_portal.mail import render_mail
from meetings.enums import ACCEPTED_STATES, AbstractState, CallState, CommitteeReminderKind
from meetings.forms.confirmations import PresenterReplaceForm, ReplaceChoice, SpeakerAnswerForm
from meetings.links import confirmation_for_token
from meetings.models import Abstract, CommitteeReminder
from meetings.rules import rule_says
from meetings.selectors.abstracts import abstract_for_page
from meetings.selectors.confirmations import confirmation_overview, reminder_recipients
from meetings.services.confirmations import (
    confirmation_answer,
    confirmation_mail_context,
    declined_abstract_withdraw,
    is_answerable,
    presenter_replace,
    presenters_remind,
)
from meetings.services.errors import Refused
from meetings.services.reminders import drafts_remind, drafts_to_remind
from meetings.views.committee import _committee_meeting

ALREADY = "Your answer was already recorded; it is shown below."


def _is_poster(abstract: Abstract | None) -> bool:
    return abstract is not None and abstract.state == AbstractState.ACCEPTED_POSTER


def _dead_link(request, *, closed: bool = False):
    """The page of a link that no longer answers (400); `closed` when the link is sound
    but the committee's decision ended it (a nomination no longer invited)."""
    return render(request, "meetings/speaker_link_invalid.html", {"closed": closed}, status=400)


def _thanks(request, confirmation, recorded: bool) -> None:
    if recorded:
        messages.success(request, "Thank you: the Program committee has your answer.")
    else:
        messages.info(request, ALREADY)


@public
def speaker_confirm(request, slug: str, token: str):
    """The speaker's page behind the signed link in their mail: confirm or decline. The
    link is the speaker's key (no sign-in); forged, expired or replaced links get a page
    that says so (400), never the abstract."""
    confirmation = confirmation_for_token(token, slug=slug)
    if confirmation is None:
        return _dead_link(request)
    abstract = confirmation.abstract
    if abstract is not None and abstract.state not in ACCEPTED_STATES:
        return _dead_link(request)
    if confirmation.nomination is not None and not is_answerable(confirmation):
        return _dead_link(request, closed=True)
    form = SpeakerAnswerForm(request.POST or None, poster=_is_poster(abstract))
    if request.method == "POST" and form.is_valid():
        try:
            recorded = confirmation_answer(
                confirmation=confirmation, confirm=form.cleaned_data["answer"] == "confirm"
            )
        except Refused:
            return _dead_link(request, closed=confirmation.nomination is not None)
        _thanks(request, confirmation, recorded)
        return redirect(request.path)
    thing = abstract or confirmation.nomination
    context = {
        "confirmation": confirmation,
        "meeting": thing.meeting,
        "form": form,
        "is_poster": _is_poster(abstract),
    }
    return render(request, "meetings/speaker_confirm.html", context)


@login_required
@require_POST
def presenter_answer(request, pk: int):
    """The presenter's answer in My GDS, from their abstract's page."""
    abstract = abstract_for_page(pk)
    confirmation = getattr(abstract, "speaker_confirmation", None) if abstract else None
    # 404 as for another member's abstract: nothing is said about the decision or presenter.
    if confirmation is None or not request.user.has_perm(
        "meetings.answer_as_presenter", confirmation
    ):
        raise Http404("No such abstract.")
    form = SpeakerAnswerForm(request.POST)
    if form.is_valid():
        try:
            recorded = confirmation_answer(
                confirmation=confirmation,
                confirm=form.cleaned_data["answer"] == "confirm",
                by=request.user,
            )
        except Refused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        _thanks(request, confirmation, recorded)
    else:
        messages.error(request, "Choose whether you will present.")
    return redirect("meetings:abstract", pk=pk)


def presenter_answer_form(request, abstract: Abstract) -> SpeakerAnswerForm | None:
    """The answer form for the abstract's page, if `request.user` answers for its
    presenter and has not answered yet."""
    confirmation = getattr(abstract, "speaker_confirmation", None)
    if confirmation is None or confirmation.answered:
        return None
    if not request.user.has_perm("meetings.answer_as_presenter", confirmation):
        return None
    return SpeakerAnswerForm(
        action=reverse("meetings:presenter_answer", args=[abstract.pk]), poster=_is_poster(abstract)
    )


@login_required
def presenters(request, slug: str):
    meeting = _committee_meeting(request, slug)
    overview = confirmation_overview(meeting=meeting)
    context = {
        "meeting": meeting,
        "overview": overview,
        "is_chair": rule_says("meetings.replace_presenter", request.user, meeting),
        "can_remind": rule_says("meetings.send_reminders", request.user, meeting),
        # Anonymised review (meetings.see_authors): a presenter is an author, so their
        # name and address stay hidden from non-chairs until the abstracts are public.
        "hide_presenters": not (
            meeting.contributed_published
            or rule_says("meetings.see_authors", request.user, meeting)
        ),
    }
    return render(request, "meetings/committee/presenters.html", context)


def _chair_meeting(request, slug: str):
    meeting = _committee_meeting(request, slug)
    if not rule_says("meetings.send_reminders", request.user, meeting):
        raise PermissionDenied("Only the program chair sends reminders.")
    return meeting


@login_required
def presenters_remind_view(request, slug: str):
    """The reminder to speakers who have not answered: GET previews, POST sends (once)."""
    meeting = _chair_meeting(request, slug)
    if request.method == "POST":
        try:
            sent = presenters_remind(meeting=meeting, by=request.user)
        except Refused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        if sent:
            messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} queued.")
        else:
            messages.info(request, "Every speaker waiting has had their reminder: nothing sent.")
        return redirect("meetings:presenters", slug=meeting.slug)
    recipients = list(reminder_recipients(meeting=meeting))
    overview = confirmation_overview(meeting=meeting)
    sample = None
    if recipients:
        # The sample's link is a dead one: whoever reads the preview is not the speaker.
        context = confirmation_mail_context(
            recipients[0], meeting=meeting, reminder=True, preview=True
        )
        sample = render_mail("meetings/speaker-confirmation", context)
    context = {
        "meeting": meeting,
        "recipients": recipients,
        "reminded": overview.reminded,
        "subject": sample[0] if sample else "",
        "body": sample[1] if sample else "",
    }
    return render(request, "meetings/committee/presenters_remind.html", context)


@login_required
def presenter_replace_view(request, slug: str, pk: int):
    """After a decline: the chair names another author as presenter or withdraws."""
    meeting = _committee_meeting(request, slug)
    abstract = get_object_or_404(
        Abstract.objects.select_related("speaker_confirmation", "meeting__program_chair"),
        meeting=meeting,
        pk=pk,
        speaker_confirmation__isnull=False,
    )
    if not rule_says("meetings.replace_presenter", request.user, meeting):
        raise PermissionDenied("Only the program chair replaces a presenter.")
    form = PresenterReplaceForm(request.POST or None, abstract=abstract)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == ReplaceChoice.WITHDRAW:
                declined_abstract_withdraw(abstract=abstract, by=request.user)
                messages.success(request, f"{abstract.reference} is withdrawn from the program.")
            else:
                author = form.cleaned_data["author"]
                presenter_replace(abstract=abstract, author=author, by=request.user)
                messages.success(
                    request, f"{author.name} is asked to present {abstract.reference}."
                )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("meetings:presenters", slug=meeting.slug)
    context = {"meeting": meeting, "abstract": abstract, "form": form}
    return render(request, "meetings/committee/presenter_replace.html", context)


def _sample_draft(meeting) -> Abstract:
    """An unsaved draft to render the reminder's text with: the preview never shows a
    real draft (drafts are their author's alone, meetings.rules.is_unsubmitted)."""
    author = User(full_name="(the author's name)", email="author@example.org")
    return Abstract(pk=0, meeting=meeting, submitter=author, title="(the draft's title)")


@login_required
def drafts_remind_view(request, slug: str):
    """The chair's reminder to authors of drafts: GET previews, POST sends (once)."""
    meeting = _chair_meeting(request, slug)
    if request.method == "POST":
        try:
            sent = drafts_remind(meeting=meeting, by=request.user)
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            if sent:
                messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} queued.")
            else:
                messages.info(request, "The reminder was sent before: nothing sent.")
        return redirect("meetings:drafts_remind", slug=meeting.slug)
    subject, body, _ = render_mail(
        "meetings/abstract-reminder", {"abstract": _sample_draft(meeting)}
    )
    context = {
        "meeting": meeting,
        "count": drafts_to_remind(meeting=meeting).count(),
        "sent": CommitteeReminder.objects.filter(
            meeting=meeting, kind=CommitteeReminderKind.DRAFTS
        ).first(),
        "call_open": meeting.call_state() == CallState.OPEN,
        "subject": subject,
        "body": body,
    }
    return render(request, "meetings/committee/drafts_remind.html", context)
