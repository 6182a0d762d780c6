"""Pages for feedback (attendees, speakers) and for announcements (members).

Apart from views.py so that the registration and nomination views stay readable;
they follow the same pattern: fetch through a selector, check the rule, call a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from gds_portal.access import public
from gds_portal.charts import bar_chart
from webinars import selectors
from webinars.announcements import (
    announcements_set,
    is_subscribed,
    user_for_unsubscribe_token,
)
from webinars.feedback import (
    MIN_RATINGS,
    FeedbackClosed,
    FeedbackSummary,
    approved_comments,
    feedback_closes_at,
    feedback_of,
    feedback_open,
    feedback_save,
    feedback_summary,
    registration_for_feedback_token,
)
from webinars.forms import AnnouncementsForm, FeedbackForm

# --- Attendees ------------------------------------------------------------------------


def _feedback_form(request, registration):
    existing = feedback_of(registration)
    initial = {"rating": existing.rating, "comment": existing.comment} if existing else None
    data = request.POST if request.method == "POST" else None
    return FeedbackForm(data, initial=initial), existing


def _feedback_page(request, registration, *, done_redirect: bool):
    webinar = registration.webinar
    form, existing = _feedback_form(request, registration)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_save(
                registration=registration,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except FeedbackClosed:
            return render(
                request, "webinars/feedback_closed.html", {"webinar": webinar}, status=400
            )
        if done_redirect:
            messages.success(request, "Thank you for your feedback.")
            return redirect(webinar)
        return render(request, "webinars/feedback_done.html", {"webinar": webinar})
    context = {
        "webinar": webinar,
        "form": form,
        "existing": existing,
        "closes_at": feedback_closes_at(webinar),
    }
    return render(request, "webinars/feedback_form.html", context)


def _window_passed(registration, webinar) -> bool:
    return (
        registration is not None
        and registration.attended_at is not None
        and not webinar.is_cancelled
        and timezone.now() >= feedback_closes_at(webinar)
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, slug: str):
    """A member's feedback on a webinar they attended (the same 404 for anyone else)."""
    webinar = selectors.webinar_for_page(slug, preview=False)
    registration = selectors.registration_for(webinar, request.user)
    if registration is None or not request.user.has_perm("webinars.give_feedback", registration):
        if _window_passed(registration, webinar):
            # Their own attended registration, the cut-off passed: say so, as the
            # guests' link does, rather than a bare 404.
            context = {"webinar": webinar}
            return render(request, "webinars/feedback_closed.html", context, status=400)
        raise Http404("There is no feedback for you to give on this webinar.")
    registration.webinar = webinar
    return _feedback_page(request, registration, done_redirect=True)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_link(request, slug: str, token: str):
    """A guest's (or member's) signed link from the thank-you mail."""
    registration = registration_for_feedback_token(token, slug=slug)
    if registration is None:
        return render(
            request, "webinars/registration_link_invalid.html", {"slug": slug}, status=400
        )
    if not feedback_open(registration):
        context = {"webinar": registration.webinar}
        return render(request, "webinars/feedback_closed.html", context, status=400)
    return _feedback_page(request, registration, done_redirect=False)


# --- Speakers (and the committee) -------------------------------------------------------


def _ratings_chart(webinar, summary: FeedbackSummary) -> SafeString:
    return bar_chart(
        title=f"Bar chart of the ratings of {webinar.title}: how many people gave each rating",
        labels=[f"{rating} of 5" for rating, _ in summary.distribution],
        values=[count for _, count in summary.distribution],
        description="The table below gives the same numbers.",
        chart_id="ratings-chart",
    )


@never_cache
@login_required
@require_safe
def speaker_feedback(request, slug: str):
    webinar = selectors.webinar_for_page(slug, preview=False)
    if not request.user.has_perm("webinars.see_speaker_feedback", webinar):
        raise Http404("No feedback to show you for this webinar.")
    summary = feedback_summary(webinar)
    closes_at = feedback_closes_at(webinar)
    # A speaker sees the ratings only once they cannot change any more: looking before
    # and after one more rating (or an edit) would tell that one rating. The committee
    # moderates and sees them live.
    settled = timezone.now() >= closes_at or request.user.has_perm("webinars.triage")
    shown = settled and summary.shown
    context = {
        "webinar": webinar,
        "summary": summary,
        "settled": settled,
        "shown": shown,
        "closes_at": closes_at,
        "chart": _ratings_chart(webinar, summary) if shown else None,
        "comments": approved_comments(webinar),
        "min_ratings": MIN_RATINGS,
    }
    return render(request, "webinars/speaker_feedback.html", context)


# --- Announcements -----------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def announcements(request):
    """A member's choice to be mailed about newly scheduled webinars (default: no)."""
    if not request.user.has_perm("webinars.register"):  # a verified address to mail
        messages.warning(request, "Please verify your email address first.")
        return redirect("accounts:my_gds")
    initial = {"subscribed": is_subscribed(request.user)}
    form = AnnouncementsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscribed = form.cleaned_data["subscribed"]
        announcements_set(user=request.user, subscribed=subscribed)
        if subscribed:
            messages.success(request, "We will email you when a new webinar is scheduled.")
        else:
            messages.success(request, "You will get no more webinar announcements.")
        return redirect("webinars:announcements")
    return render(request, "webinars/announcements.html", {"form": form, **initial})


@public
@never_cache
# RFC 8058 one-click: mail clients POST without a CSRF token; the signed token guards it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def announcements_unsubscribe(request, token: str):
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "webinars/announcements_link_invalid.html", status=400)
    if request.method == "POST":
        announcements_set(user=user, subscribed=False)
        return render(request, "webinars/announcements_unsubscribed.html")
    return render(request, "webinars/announcements_unsubscribe.html", {"email": user.email})
