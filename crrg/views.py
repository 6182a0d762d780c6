from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crrg import selectors, services
from crrg.forms import GroupMessageForm, InvitationForm, ReminderForm, ResponseForm
from crrg.models import CrrgPage, InterestGroup, Questionnaire
from crrg.selectors import QuestionSummary
from gds_portal.access import public
from gds_portal.charts import Series, horizontal_bar_chart, line_chart
from gds_portal.exports import csv_response, xlsx_response


def _requires(perm: str):
    """Members with `perm` only (403 for other members; visitors are asked to log in);
    never cached."""

    def decorate(view):
        checked = permission_required(perm, raise_exception=True)(view)
        return login_required(never_cache(checked))

    return decorate


# Interest groups and their rosters: the CRRG coordinators (and superusers).
_coordinator = _requires("crrg.coordinate")
# The overview: anyone who coordinates a survey (its owning committee, its named
# coordinators) or the CRRG. Each survey's own pages check that survey too.
_runs_surveys = _requires("crrg.coordinate_surveys")


@public
@require_safe
def home(request):
    """The public CRRG page: what the group does, its interest groups, listed members."""
    questionnaire = selectors.current_membership_questionnaire()
    context = {
        "page": CrrgPage.get_solo(),
        "groups": selectors.public_groups(),
        "members": selectors.public_members(),
        "join_open": questionnaire is not None and questionnaire.is_open(),
        "is_member": request.user.is_authenticated and selectors.is_crrg_member(request.user),
    }
    return render(request, "crrg/home.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    questionnaire = selectors.current_membership_questionnaire(with_questions=True)
    if questionnaire is None:
        raise Http404("No CRRG membership questionnaire yet.")
    return _answer(request, questionnaire)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, slug: str):
    questionnaire = selectors.questionnaire_with_questions(slug=slug)
    if questionnaire.grants_membership:
        return redirect("crrg:join")
    return _answer(request, questionnaire)


def _answer(request, questionnaire: Questionnaire):
    """Show, fill in, save for later or change the member's one response to `questionnaire`."""
    coordinator = request.user.has_perm("crrg.coordinate_questionnaire", questionnaire)
    if not questionnaire.is_open() and questionnaire.opens_at > timezone.now() and not coordinator:
        raise Http404("This questionnaire is not open yet.")
    context = {
        "questionnaire": questionnaire,
        # A survey not open offers no form, only why: refusing after Send wasted the note.
        "is_open": questionnaire.is_open(),
        "opens_later": questionnaire.opens_at > timezone.now(),
        "closed": questionnaire.closes_at is not None and questionnaire.closes_at <= timezone.now(),
    }
    if not request.user.has_perm("crrg.answer"):
        return render(request, "crrg/answer.html", {**context, "unverified": True}, status=403)
    response = selectors.response_for(questionnaire=questionnaire, user=request.user)
    submitted = response is not None and response.submitted_at is not None
    form = None
    if context["is_open"]:
        data = request.POST if request.method == "POST" else None
        later = data is not None and data.get("action") == "later" and not submitted
        form = ResponseForm(data, questionnaire=questionnaire, response=response, draft=later)
        if form.is_valid():
            values = {
                "questionnaire": questionnaire,
                "user": request.user,
                "answers": form.answers(),
                "consent_contact": form.cleaned_data["consent_contact"],
                "consent_listed": form.cleaned_data.get("consent_listed", False),
            }
            try:
                if later:
                    services.response_save_draft(**values)
                    messages.success(request, _saved_for_later(questionnaire))
                else:
                    services.response_submit(**values)
                    messages.success(request, "Thank you — your answers have been submitted.")
            except services.AlreadySubmitted as refused:
                # Submitted meanwhile (another tab, a second click): nothing lost, say so.
                messages.error(request, str(refused))
            except services.QuestionnaireClosed:
                messages.error(request, "This questionnaire closed; your answers were not saved.")
            return redirect(request.path)
    elif request.method == "POST":
        messages.error(request, "This questionnaire is closed; your answers were not changed.")
    context.update(
        form=form,
        response=response if submitted else None,
        draft=response if response is not None and not submitted else None,
        # A draft of a closed survey cannot be finished: it is shown as it stands.
        answers=sorted(response.answers.all(), key=lambda a: (a.question.order, a.question_id))
        if response is not None and (submitted or not context["is_open"])
        else [],
    )
    return render(request, "crrg/answer.html", context)


def _saved_for_later(questionnaire: Questionnaire) -> str:
    until = "until you submit them"
    if questionnaire.closes_at:
        closes = timezone.localtime(questionnaire.closes_at)
        until += f" or the survey closes ({closes:%-d %B %Y, %H:%M %Z})"
    return (
        f"Your answers so far are saved, not submitted. Come back to this page to finish; "
        f"they are kept {until}, and nobody reads them before you submit."
    )


@login_required
@require_POST
def leave(request):
    services.crrg_leave(user=request.user)
    messages.success(request, "You have left the CRRG. You can join again at any time.")
    return redirect("accounts:my_gds")


@login_required
@require_POST
def leave_group(request, slug: str):
    group = get_object_or_404(InterestGroup, slug=slug)
    if services.interest_group_leave(user=request.user, group=group):
        messages.success(request, f"You have left the {group.name} interest group.")
    return redirect("accounts:my_gds")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def leave_link(request, token: str):
    """The link at the foot of a group message: confirm, then leave (no sign-in needed)."""
    found = services.leave_token_read(token)
    if found is None:
        return render(request, "crrg/leave_link.html", {"invalid": True}, status=400)
    user, group = found
    if request.method == "POST":
        services.interest_group_leave(user=user, group=group)
        return render(request, "crrg/leave_link.html", {"group": group, "done": True})
    return render(request, "crrg/leave_link.html", {"group": group})


def _coordinated(request, slug: str) -> Questionnaire:
    questionnaire = selectors.questionnaire_with_questions(slug=slug)
    if not request.user.has_perm("crrg.coordinate_questionnaire", questionnaire):
        raise PermissionDenied
    return questionnaire


@_runs_surveys
@require_safe
def coordinators(request):
    crrg = request.user.has_perm("crrg.coordinate")
    questionnaires, groups = selectors.coordinator_overview(request.user)
    context = {"questionnaires": questionnaires, "groups": groups if crrg else None}
    return render(request, "crrg/coordinators.html", context)


@_runs_surveys
@require_safe
def summary(request, slug: str):
    """Per questionnaire: responses over time, counts per answer with charts, free texts."""
    questionnaire = _coordinated(request, slug)
    # Breaking results down by interest group reads CRRG membership: the CRRG's own.
    by_group = request.user.has_perm("crrg.coordinate")
    groups = list(InterestGroup.objects.all()) if by_group else []
    group = next((g for g in groups if g.slug == request.GET.get("group")), None)
    timeline, questions = selectors.questionnaire_summary(questionnaire, group)
    running, days = 0, []
    for day, count in timeline:
        running += count
        days.append({"day": day, "count": count, "total": running})
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
        "questions": [(q, _answers_chart(q) if q.bars else None) for q in questions],
        "response_count": running,
        **_response_rate(questionnaire),
    }
    return render(request, "crrg/summary.html", context)


def _response_rate(questionnaire: Questionnaire) -> dict:
    """Invited, submitted among them, and both over time (two lines: the chart module
    draws one line per chart; the table beside them has both numbers per day)."""
    days = selectors.response_rate_days(questionnaire)
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
        "rate": selectors.invitation_stats(questionnaire),
        "rate_days": days,
        "rate_charts": charts,
    }


def _answers_chart(summary: QuestionSummary) -> SafeString:
    return horizontal_bar_chart(
        title=summary.question.text,
        description="How many chose each answer; the table beside it has the numbers.",
        labels=[bar.label for bar in summary.bars],
        series=[Series("Answers", [bar.count for bar in summary.bars])],
        chart_id=f"chart-{summary.question.pk}",
    )


@_runs_surveys
@require_safe
def export(request, slug: str, fmt: str):
    questionnaire = _coordinated(request, slug)
    header, rows = selectors.export_rows(questionnaire)
    make = csv_response if fmt == "csv" else xlsx_response
    return make(f"{questionnaire.slug}-responses", header, rows)


@_coordinator
@require_http_methods(["GET", "POST"])
def roster(request, slug: str):
    """An interest group's members (emails only for those who consented) and its messages."""
    group = get_object_or_404(InterestGroup, slug=slug)
    form = GroupMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = services.group_message_send(group=group, by=request.user, **form.cleaned_data)
        messages.success(
            request, f"Your message is on its way to {sent.recipient_count} consenting member(s)."
        )
        return redirect(reverse("crrg:roster", kwargs={"slug": group.slug}))
    context = {
        "group": group,
        "members": selectors.roster(group),
        "form": form,
        "sent_messages": group.messages.select_related("sent_by")[:20],
    }
    return render(request, "crrg/roster.html", context)


def _survey_to_run(request, slug: str) -> Questionnaire:
    """The survey by slug, if the user coordinates it (the object rule), else 403."""
    questionnaire = get_object_or_404(Questionnaire, slug=slug)
    if not request.user.has_perm("crrg.coordinate_questionnaire", questionnaire):
        raise PermissionDenied
    return questionnaire


def _invitations_page(request, questionnaire: Questionnaire, **context) -> HttpResponse:
    reminder_form = context.pop("reminder_form", None) or ReminderForm()
    reminder_form.helper.form_action = reverse("crrg:reminders", args=[questionnaire.slug])
    context = {
        "questionnaire": questionnaire,
        # A survey not open offers no form, only why: refusing after Send wasted the note.
        "is_open": questionnaire.is_open(),
        "opens_later": questionnaire.opens_at > timezone.now(),
        "rate": selectors.invitation_stats(questionnaire),
        "mailings": selectors.survey_mailings(questionnaire)[:20],
        "reminder_form": reminder_form,
        "preview_member_name": services.PREVIEW_MEMBER_NAME,
        **context,
    }
    return render(request, "crrg/invitations.html", context)


def _segments(request):
    # Interest groups are CRRG membership: offered to the CRRG's coordinators alone,
    # as the summary's by-group breakdown is.
    return selectors.segments(with_groups=request.user.has_perm("crrg.coordinate"))


@_runs_surveys
@require_http_methods(["GET", "POST"])
def invitations(request, slug: str):
    """Invite a segment of members to a survey: choose, preview the mail, then send."""
    questionnaire = _survey_to_run(request, slug)
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
                lambda: services.survey_invite(**values, by=request.user, token=token),
                nobody=NOBODY_TO_INVITE,
            )
        preview = services.survey_invite_preview(**values, by=request.user)
        confirm = InvitationForm(request.POST, segments=segments, confirm=_send_label(preview))
        return _invitations_page(
            request, questionnaire, preview=preview, confirm=confirm, kind="invitation"
        )
    return _invitations_page(request, questionnaire, form=form)


@_runs_surveys
@require_POST
def reminders(request, slug: str):
    """Remind invited members who have not submitted: preview the mail, then send."""
    questionnaire = _survey_to_run(request, slug)
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
            lambda: services.survey_remind(
                questionnaire=questionnaire, by=request.user, token=token
            ),
            nobody=NOBODY_TO_REMIND,
        )
    preview = services.survey_remind_preview(questionnaire=questionnaire)
    confirm = ReminderForm(request.POST, action="send", label=_send_label(preview))
    confirm.helper.form_action = reverse("crrg:reminders", args=[questionnaire.slug])
    return _invitations_page(
        request, questionnaire, preview=preview, confirm=confirm, kind="reminder"
    )


def _send_label(preview: services.MailPreview) -> str:
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
    except services.QuestionnaireClosed as closed:
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
