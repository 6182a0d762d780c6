"""The member's side of the CRRG and its surveys: the public page, answering, leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crrg.forms import ResponseForm
from crrg.models import CrrgPage, InterestGroup, Questionnaire
from crrg.selectors import answering
from crrg.services import answering as answering_services
from crrg.services import groups as groups_services
from gds_portal.access import public
from gds_portal.charts import Series, horizontal_bar_chart


@public
@require_safe
def home(request):
    """The public CRRG page: what the group does, its interest groups, listed members."""
    questionnaire = answering.current_membership_questionnaire()
    context = {
        "page": CrrgPage.get_solo(),
        "groups": answering.public_groups(),
        "members": answering.public_members(),
        "join_open": questionnaire is not None and questionnaire.is_open(),
        "is_member": request.user.is_authenticated and answering.is_crrg_member(request.user),
    }
    return render(request, "crrg/home.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    questionnaire = answering.current_membership_questionnaire(with_questions=True)
    if questionnaire is None:
        raise Http404("No CRRG membership questionnaire yet.")
    return _answer(request, questionnaire)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, slug: str):
    questionnaire = answering.questionnaire_with_questions(slug=slug)
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
    response = answering.response_for(questionnaire=questionnaire, user=request.user)
    submitted = response is not None and response.submitted_at is not None
    # Anonymous: that the member answered is known (and when, to the day); what they
    # answered is not theirs to see again, nor anyone's to tie to them.
    took_part = (
        answering.participation(questionnaire=questionnaire, user=request.user)
        if questionnaire.anonymous
        else None
    )
    context["participation"] = took_part
    context["published"] = answering.published_summary_of(questionnaire) is not None
    form = None
    if took_part is not None:
        if request.method == "POST":
            messages.error(request, answering_services.AlreadySubmitted.anonymous_message)
            return redirect(request.path)
    elif context["is_open"]:
        data = request.POST if request.method == "POST" else None
        later = data is not None and data.get("action") == "later" and not submitted
        form = ResponseForm(data, questionnaire=questionnaire, response=response, draft=later)
        if form.is_valid():
            values = {
                "questionnaire": questionnaire,
                "user": request.user,
                "answers": form.answers(),
                "consent_contact": form.cleaned_data.get("consent_contact", False),
                "consent_listed": form.cleaned_data.get("consent_listed", False),
            }
            try:
                if later:
                    answering_services.response_save_draft(**values)
                    messages.success(request, _saved_for_later(questionnaire))
                else:
                    answering_services.response_submit(**values)
                    messages.success(request, _thanks(questionnaire))
            except answering_services.AlreadySubmitted as refused:
                # Submitted meanwhile (another tab, a second click): nothing lost, say so.
                messages.error(request, str(refused))
            except answering_services.QuestionnaireClosed:
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


def _thanks(questionnaire: Questionnaire) -> str:
    if questionnaire.anonymous:
        return (
            "Thank you — your answers have been submitted, kept without your name. They "
            "cannot be shown to you or changed from now on."
        )
    return "Thank you — your answers have been submitted."


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
    groups_services.crrg_leave(user=request.user)
    messages.success(request, "You have left the CRRG. You can join again at any time.")
    return redirect("accounts:my_gds")


@login_required
@require_POST
def leave_group(request, slug: str):
    group = get_object_or_404(InterestGroup, slug=slug)
    if groups_services.interest_group_leave(user=request.user, group=group):
        messages.success(request, f"You have left the {group.name} interest group.")
    return redirect("accounts:my_gds")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def leave_link(request, token: str):
    """The link at the foot of a group message: confirm, then leave (no sign-in needed)."""
    found = groups_services.leave_token_read(token)
    if found is None:
        return render(request, "crrg/leave_link.html", {"invalid": True}, status=400)
    user, group = found
    if request.method == "POST":
        groups_services.interest_group_leave(user=user, group=group)
        return render(request, "crrg/leave_link.html", {"group": group, "done": True})
    return render(request, "crrg/leave_link.html", {"group": group})


@login_required
@never_cache
@require_safe
def published_summary(request, slug: str):
    """A survey's summary as its committee released it to members (a snapshot)."""
    questionnaire = answering.questionnaire_with_questions(slug=slug, grants_membership=False)
    published = answering.published_summary_of(questionnaire)
    if published is None:
        raise Http404("This survey's results have not been released.")
    figures = [
        {**figure, "chart": _published_chart(figure, i)}
        for i, figure in enumerate(published.figures, start=1)
    ]
    context = {
        "questionnaire": questionnaire,
        "published": published,
        "figures": figures,
        "hidden_label": f"<{questionnaire.min_cell_size}",
    }
    return render(request, "crrg/published_summary.html", context)


def _published_chart(figure: dict, number: int):
    rows = figure["rows"]
    description = "How many chose each answer; the table beside it has the numbers."
    if any(count is None for _, count, _ in rows):
        description += " Counts hidden in the table are drawn as no bar, marked hidden."
    return horizontal_bar_chart(
        title=figure["question"],
        description=description,
        labels=[label for label, _, _ in rows],
        series=[Series("Answers", [count for _, count, _ in rows])],
        chart_id=f"chart-published-{number}",
        missing="hidden",
    )
