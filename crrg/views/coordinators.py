"""The coordinators' pages: their overview, interest-group rosters and messages, and
a survey's invitations and reminders."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crrg.forms import GroupMessageForm, InvitationForm, ReminderForm
from crrg.models import InterestGroup, Questionnaire
from crrg.selectors import answering
from crrg.selectors import invitations as invited
from crrg.services import answering as answering_services
from crrg.services import groups as groups_services
from crrg.services import mailings as mailings_services
from crrg.views.access import coordinator_only, runs_surveys, survey_to_run


@runs_surveys
@require_safe
def coordinators(request):
    crrg = request.user.has_perm("crrg.coordinate")
    questionnaires, groups = answering.coordinator_overview(request.user)
    context = {"questionnaires": questionnaires, "groups": groups if crrg else None}
    return render(request, "crrg/coordinators.html", context)


@coordinator_only
@require_http_methods(["GET", "POST"])
def roster(request, slug: str):
    """An interest group's members (emails only for those who consented) and its messages."""
    group = get_object_or_404(InterestGroup, slug=slug)
    form = GroupMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = groups_services.group_message_send(group=group, by=request.user, **form.cleaned_data)
        messages.success(
            request, f"Your message is on its way to {sent.recipient_count} consenting member(s)."
        )
        return redirect(reverse("crrg:roster", kwargs={"slug": group.slug}))
    context = {
        "group": group,
        "members": answering.roster(group),
        "form": form,
        "sent_messages": group.messages.select_related("sent_by")[:20],
    }
    return render(request, "crrg/roster.html", context)


def _invitations_page(request, questionnaire: Questionnaire, **context) -> HttpResponse:
    reminder_form = context.pop("reminder_form", None) or ReminderForm()
    reminder_form.helper.form_action = reverse("crrg:reminders", args=[questionnaire.slug])
    context = {
        "questionnaire": questionnaire,
        # A survey not open offers no form, only why: refusing after Send wasted the note.
        "is_open": questionnaire.is_open(),
        "opens_later": questionnaire.opens_at > timezone.now(),
        "rate": invited.invitation_stats(questionnaire),
        "mailings": invited.survey_mailings(questionnaire)[:20],
        "reminder_form": reminder_form,
        "preview_member_name": mailings_services.PREVIEW_MEMBER_NAME,
        **context,
    }
    return render(request, "crrg/invitations.html", context)


def _segments(request):
    # Interest groups are CRRG membership: offered to the CRRG's coordinators alone,
    # as the summary's by-group breakdown is.
    return invited.segments(with_groups=request.user.has_perm("crrg.coordinate"))


@runs_surveys
@require_http_methods(["GET", "POST"])
def invitations(request, slug: str):
    """Invite a segment of members to a survey: choose, preview the mail, then send."""
    questionnaire = survey_to_run(request, slug)
    segments = _segments(request)
    form = InvitationForm(request.POST or None, segments=segments)
    if request.method == "POST" and form.is_valid():
        values = {
            "questionnaire": questionnaire,
            "segment": form.chosen_segment(),
            "note": form.cleaned_data["note"],
        }
        if request.POST.get("action") == "send":
            token = form.cleaned_data["token"]
            return _after_send(
                request,
                questionnaire,
                lambda: mailings_services.survey_invite(**values, by=request.user, token=token),
                nobody=NOBODY_TO_INVITE,
            )
        preview = mailings_services.survey_invite_preview(**values, by=request.user)
        confirm = InvitationForm(request.POST, segments=segments, confirm=_send_label(preview))
        return _invitations_page(
            request, questionnaire, preview=preview, confirm=confirm, kind="invitation"
        )
    return _invitations_page(request, questionnaire, form=form)


@runs_surveys
@require_POST
def reminders(request, slug: str):
    """Remind invited members who have not submitted: preview the mail, then send."""
    questionnaire = survey_to_run(request, slug)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _invitations_page(
            request, questionnaire, form=InvitationForm(segments=_segments(request))
        )
    if request.POST.get("action") == "send":
        token = form.cleaned_data["token"]
        return _after_send(
            request,
            questionnaire,
            lambda: mailings_services.survey_remind(
                questionnaire=questionnaire, by=request.user, token=token
            ),
            nobody=NOBODY_TO_REMIND,
        )
    preview = mailings_services.survey_remind_preview(questionnaire=questionnaire)
    confirm = ReminderForm(request.POST, action="send", label=_send_label(preview))
    confirm.helper.form_action = reverse("crrg:reminders", args=[questionnaire.slug])
    return _invitations_page(
        request, questionnaire, preview=preview, confirm=confirm, kind="reminder"
    )


def _send_label(preview: mailings_services.MailPreview) -> str:
    count = preview.recipient_count
    return f"Send to {count} member{'' if count == 1 else 's'}"


NOBODY_TO_INVITE = (
    "Everyone in this group was already invited (or has submitted); nobody was mailed."
)
NOBODY_TO_REMIND = (
    "Every invited member has submitted, had two reminders or was mailed in the last"
    " 24 hours; nobody was mailed."
)


def _after_send(request, questionnaire: Questionnaire, send, *, nobody: str) -> HttpResponse:
    """Run the send service and say what it did; back to the page either way."""
    try:
        outcome = send()
    except answering_services.QuestionnaireClosed as closed:
        messages.error(request, f"{closed} Nothing was sent.")
    else:
        if outcome.replayed:
            messages.info(request, "This form was sent already; nobody was mailed again.")
        elif outcome.mailing is None:
            messages.info(request, nobody)
        else:
            count = outcome.mailing.recipient_count
            messages.success(
                request, f"{count} personal mail{'' if count == 1 else 's'} on the way."
            )
    return redirect("crrg:invitations", slug=questionnaire.slug)
