from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.identity import address_key, canonical_email
from gds_portal.access import public
from gds_portal.charts import Series, horizontal_bar_chart, line_chart
from gds_portal.mail import render_mail
from gds_portal.pagecache import cached_fragment
from gds_portal.sharedpages import shared_with_members
from webinars import figures, selectors
from webinars.enums import InvitationState, RegistrationStatus, ReleaseState
from webinars.feeds import WebinarAtomFeed, calendar_bytes
from webinars.forms import (
    ArchiveFilterForm,
    GuestRegistrationForm,
    HostVolunteerForm,
    ReleaseForm,
    SpeakerAnswerForm,
    SpeakerNominationForm,
    TopicSuggestionForm,
    WithdrawReleaseForm,
)
from webinars.models import NOMINATION_MODELS
from webinars.participation import SUPPRESS_BELOW, participation_by_year
from webinars.registration import (
    RegistrationClosed,
    registration_cancel,
    registration_for_token,
    registration_guest,
    registration_member,
)
from webinars.registration import registration_confirm as registration_confirm_service
from webinars.replays import registration_for_no_replay_token, registration_refuse_replay_mail
from webinars.services import nomination_set_status, nomination_submit
from webinars.speakers import (
    invitation_for_token,
    invitation_release,
    invitation_respond,
    run_sheet_context,
    webinar_send_run_sheet,
)

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@shared_with_members
@public
@require_safe
def webinar_list(request):
    options = cached_fragment("webinars:filter-options", selectors.filter_options)
    form = ArchiveFilterForm(request.GET, options=options)
    filters = form.filters()
    if filters.speaker and filters.speaker.exact:
        form.show_speaker(filters.speaker.exact.name)
    upcoming, page = selectors.archive_listing(filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "upcoming": upcoming,
        "page": page,
        "query": query.urlencode(),
        "numbers": cached_fragment("webinars:series-figures", figures.series_numbers),
    }
    return render(request, "webinars/list.html", context)


@public
@require_safe
@cache_control(public=True, max_age=300)
def speaker_suggestions(request):
    """Type-ahead for the archive's speaker box: at most ten names, one indexed query."""
    text = request.GET.get("q", "")[:100]
    people = selectors.speaker_suggestions(text)
    speakers = [{"name": p.name, "affiliation": p.affiliation, "slug": p.slug} for p in people]
    return JsonResponse({"speakers": speakers})


def _webinar(request, slug: str):
    # A published webinar first: asking whether the visitor may preview drafts only for
    # a draft keeps the published page free of the visitor, so signed-in members share
    # it (gds_portal/sharedpages.py); a draft's page is never stored (no-store below).
    try:
        return selectors.webinar_for_page(slug, preview=False)
    except Http404:
        if not request.user.has_perm("webinars.preview_webinar"):
            raise
        return selectors.webinar_for_page(slug, preview=True)


@shared_with_members
@public
@require_safe
def webinar_detail(request, slug: str):
    webinar = _webinar(request, slug)
    # The registration and feedback boxes are the visitor's part of the page
    # (visitor_part_context): every signed-in member shares the rest.
    response = render(request, "webinars/detail.html", {"webinar": webinar})
    if not webinar.is_published:
        response["Cache-Control"] = "private, no-store"  # a draft is never cached
    return response


def visitor_part_context(request, webinar_pk, page=None) -> dict:
    """A webinar page's boxes for this visitor: their registration (and, when confirmed,
    the join link), whether they may register, and feedback after the webinar. Only a
    signed-in member's own; an anonymous reader's box holds no form. A visitor part
    (gds_portal/sharedpages.py), rendered per request into the shared page."""
    webinar = page.get("webinar") if page is not None else None
    if webinar is None or str(webinar.pk) != str(webinar_pk):
        webinar = cached_fragment(
            f"webinars:part-webinar:{webinar_pk}", lambda: selectors.webinar_by_pk(webinar_pk)
        )
    registration = _registration_kept(webinar, request.user)
    return {
        "webinar": webinar,
        "registration": registration,
        "position": _position(registration),
        "can_register": request.user.has_perm("webinars.register"),
        **_feedback_context(request, webinar, registration),
    }


def _registration_kept(webinar, user):
    """The member's registration for the webinar, kept per content generation: a
    registration is a committed write to a public table (webinars/apps.py), so what is
    kept is never older than the last change; a signed-in page then reads none."""
    if not user.is_authenticated:
        return None
    # In a one-tuple: "no registration" (None) is an answer to keep, not a cache miss.
    (registration,) = cached_fragment(
        f"webinars:registration:{webinar.pk}:{address_key(user)}",
        lambda: (selectors.registration_for(webinar, user),),
    )
    return registration


def _feedback_context(request, webinar, registration) -> dict:
    # Only after the webinar and only for a signed-in member: no query otherwise.
    if not (request.user.is_authenticated and webinar.has_ended):
        return {}
    may_give = registration is not None and request.user.has_perm(
        "webinars.give_feedback", registration
    )
    return {
        "feedback_registration": registration if may_give else None,
        "can_see_feedback": request.user.has_perm("webinars.see_speaker_feedback", webinar),
    }


def _position(registration) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITING:
        return None
    return selectors.waiting_position(registration)


@public
@require_safe
def webinar_ics(request, slug: str):
    webinar = _webinar(request, slug)
    if webinar.is_cancelled:
        raise Http404("This webinar was cancelled.")
    if webinar.start_at is None:
        raise Http404("This draft has no date yet.")  # the committee's preview only
    body = calendar_bytes([webinar], name=webinar.title)
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{webinar.slug}.ics"'
    return response


@shared_with_members
@public
@require_safe
def topic_detail(request, slug: str):
    topic, webinars = selectors.topic_with_webinars(slug)
    return render(request, "webinars/topic.html", {"topic": topic, "webinars": webinars})


@public
@require_safe
def feed_ics(request):
    body = calendar_bytes(selectors.feed_webinars(), name="GDS webinars")
    return HttpResponse(body, content_type=CALENDAR_TYPE)


feed_atom = public(WebinarAtomFeed())


# --- Registration -------------------------------------------------------------


def _open_webinar(slug: str):
    webinar = selectors.webinar_for_page(slug, preview=False)
    if not webinar.open_for_registration:
        raise Http404("This webinar takes no registrations here.")
    return webinar


@public
@require_http_methods(["GET", "POST"])
def register(request, slug: str):
    """Members: the page's one-click button posts here. Guests: name and address."""
    webinar = _open_webinar(slug)
    if request.user.is_authenticated:
        return _register_member(request, webinar)
    # An empty POST is still a POST: it gets "required" messages, not a blank form.
    form = GuestRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Each send mails the address: limited per address and per network, as the
        # newsletter's form is (settings.ACCOUNT_RATE_LIMITS).
        limited = ratelimit.consume_or_429(
            request, action="webinar_register", key=canonical_email(email)
        )
        if limited:
            return limited
        try:
            registration_guest(webinar=webinar, name=form.cleaned_data["name"], email=email)
        except RegistrationClosed:
            raise Http404("This webinar takes no registrations here.") from None
        return redirect("webinars:register_sent", slug=webinar.slug)
    return render(request, "webinars/register.html", {"webinar": webinar, "form": form})


def _register_member(request, webinar):
    if request.method != "POST":
        return redirect(webinar)
    if not request.user.has_perm("webinars.register"):
        messages.warning(request, "Please verify your email address before registering.")
        return redirect(webinar)
    try:
        registration = registration_member(webinar=webinar, user=request.user)
    except RegistrationClosed:
        raise Http404("This webinar takes no registrations here.") from None
    if registration.status == RegistrationStatus.WAITING:
        messages.info(request, "The webinar is full: you are on the waiting list.")
    else:
        messages.success(request, "You are registered. We have emailed you the details.")
    return redirect(webinar)


@public
@require_safe
def register_sent(request, slug: str):
    webinar = selectors.webinar_for_page(slug, preview=False)
    return render(request, "webinars/register_sent.html", {"webinar": webinar})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def unregister(request, slug: str):
    """GET says what cancelling does; only the POST cancels (like the signed-link page)."""
    webinar = selectors.webinar_for_page(slug, preview=False)
    registration = selectors.registration_for(webinar, request.user)
    if registration is None or not request.user.has_perm(
        "webinars.cancel_registration", registration
    ):
        raise Http404("You are not registered for this webinar.")
    if request.method == "GET":
        context = {"registration": registration, "webinar": webinar, "member": True}
        return render(request, "webinars/registration_cancel.html", context)
    registration_cancel(registration=registration)
    messages.success(request, "Your registration is cancelled.")
    return redirect(webinar)


def _bad_link(request, webinar_slug: str):
    context = {"slug": webinar_slug}
    return render(request, "webinars/registration_link_invalid.html", context, status=400)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def registration_confirm(request, slug: str, token: str):
    """GET shows a button; only the POST confirms, so link scanners cannot register anyone."""
    registration = registration_for_token(token, slug=slug, cancel=False)
    if registration is None:
        return _bad_link(request, slug)
    context = {"registration": registration, "webinar": registration.webinar}
    if request.method == "POST":
        try:
            registration = registration_confirm_service(registration=registration)
        except RegistrationClosed:
            return render(request, "webinars/registration_closed.html", context, status=400)
        context["registration"] = registration
        return render(request, "webinars/registration_done.html", context)
    return render(request, "webinars/registration_confirm.html", context)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def registration_cancel_link(request, slug: str, token: str):
    """GET asks; only the POST cancels, so a link scanner cannot cancel anyone's place."""
    registration = registration_for_token(token, slug=slug, cancel=True)
    if registration is None:
        return _bad_link(request, slug)
    context = {"registration": registration, "webinar": registration.webinar}
    if request.method == "POST":
        registration_cancel(registration=registration)
        return render(request, "webinars/registration_cancelled.html", context)
    return render(request, "webinars/registration_cancel.html", context)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def no_replay_mail(request, slug: str, token: str):
    """GET asks; only the POST records it, so a link scanner changes nothing."""
    registration = registration_for_no_replay_token(token, slug=slug)
    if registration is None:
        return _bad_link(request, slug)
    done = request.method == "POST"
    if done:
        registration_refuse_replay_mail(registration=registration)
    context = {"registration": registration, "webinar": registration.webinar, "done": done}
    return render(request, "webinars/no_replay_mail.html", context)


# --- Speakers: the invitation link ------------------------------------------------


@public
@never_cache
@require_http_methods(["GET", "POST"])
def speaker_invitation(request, slug: str, token: str):
    """The invited speaker's page: accept or decline, then sign or refuse the release.

    Reached only through the signed link in the invitation mail (webinars.speakers);
    the link is the speaker's key, so no sign-in is needed.
    """
    invitation = invitation_for_token(token, slug=slug)
    if invitation is None:
        return render(request, "webinars/speaker_link_invalid.html", status=400)
    can_answer = request.user.has_perm("webinars.answer_invitation", invitation)
    answer_form = release_form = None
    answered = invitation.state != InvitationState.INVITED
    if can_answer and answered and request.method == "POST" and "decision" in request.POST:
        # The answer form sent again (a double click, a second tab, the back button):
        # the first answer stands, and the page shows it.
        messages.info(request, "Your answer was already recorded; it is shown below.")
        return redirect(request.path)
    if can_answer and invitation.state == InvitationState.INVITED:
        answer_form = SpeakerAnswerForm(
            request.POST or None, request.FILES or None, invitation=invitation
        )
        if request.method == "POST" and answer_form.is_valid():
            data = answer_form.cleaned_data
            try:
                invitation_respond(
                    invitation=invitation,
                    accept=data["decision"] == "accept",
                    talk_title=data["talk_title"],
                    abstract=data["abstract"],
                    bio=data["bio"],
                    photo=data["photo"],
                    start_at=data["start_at"],
                )
            except ValidationError:
                # A second click (or a second tab) after the first answer: the first
                # answer stands, and the page shows it.
                messages.info(request, "Your answer was already recorded; it is shown below.")
            else:
                messages.success(request, "Thank you: the Webinar committee has your answer.")
            return redirect(request.path)
    elif can_answer and invitation.state == InvitationState.ACCEPTED:
        form_class = (
            WithdrawReleaseForm if invitation.release == ReleaseState.SIGNED else ReleaseForm
        )
        release_form = form_class(request.POST or None, speaker_name=invitation.person.name)
        if request.method == "POST" and release_form.is_valid():
            data = release_form.cleaned_data
            try:
                invitation_release(
                    invitation=invitation, signed=data["answer"] == "sign", name=data["name"]
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, "Thank you: your answer to the release is recorded.")
            return redirect(request.path)
    context = {
        "invitation": invitation,
        "webinar": invitation.webinar,
        "answer_form": answer_form,
        "release_form": release_form,
    }
    return render(request, "webinars/speaker_invitation.html", context)


# --- Members: nominations ----------------------------------------------------

NOMINATION_FORMS = {
    "topic": (TopicSuggestionForm, "Suggest a webinar topic"),
    "speaker": (SpeakerNominationForm, "Nominate a speaker"),
    "host": (HostVolunteerForm, "Volunteer to host a webinar"),
}


@public
@require_safe
def nominate_index(request):
    """Explains the three ways to take part; the forms themselves need a verified account."""
    can_nominate = request.user.has_perm("webinars.nominate")
    return render(request, "webinars/nominate_index.html", {"can_nominate": can_nominate})


@login_required
def nominate(request, kind: str):
    if kind not in NOMINATION_FORMS:
        raise Http404
    if not request.user.has_perm("webinars.nominate"):
        messages.warning(request, "Please verify your email address before nominating.")
        return redirect("accounts:my_gds")
    form_class, heading = NOMINATION_FORMS[kind]
    # An empty POST is still a POST: it gets "required" messages, not a blank form.
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        submitted = nomination_submit(
            nomination=form.save(commit=False),
            by=request.user,
            token=form.cleaned_data["token"],
            topics=form.cleaned_data.get("topics"),
        )
        if not submitted.replayed:
            messages.success(request, "Thank you. The Webinar committee has received it.")
        elif submitted.nomination is not None:
            messages.info(request, "This form had already been sent; it was received once.")
        else:
            return redirect("webinars:nominate")  # someone else's form: nothing to show
        return redirect(submitted.nomination.get_absolute_url())
    return render(request, "webinars/nominate_form.html", {"form": form, "heading": heading})


def _own_nomination(request, kind: str, pk: int):
    model = NOMINATION_MODELS.get(kind)
    nomination = model.objects.filter(pk=pk).first() if model else None
    # Someone else's item answers exactly like a missing one.
    if nomination is None or not request.user.has_perm("webinars.see_nomination", nomination):
        raise Http404("No such nomination.")
    return nomination


@never_cache
@login_required
@require_safe
def my_nomination(request, kind: str, pk: int):
    nomination = _own_nomination(request, kind, pk)
    context = {"nomination": nomination, "kind": kind}
    return render(request, "webinars/my_nomination.html", context)


@login_required
@require_POST
def withdraw_nomination(request, kind: str, pk: int):
    nomination = _own_nomination(request, kind, pk)
    try:
        nomination_set_status(nomination=nomination, status="withdrawn", by=request.user)
    except ValidationError:
        messages.error(request, "This item can no longer be withdrawn.")
    else:
        messages.success(request, "Withdrawn. Thank you for letting the committee know.")
    return redirect(nomination.get_absolute_url())


# --- Committee ------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def participation(request):
    if not request.user.has_perm("webinars.view_participation"):
        raise PermissionDenied
    years = [{**year, "chart": _participation_chart(year)} for year in participation_by_year()]
    context = {"years": years, "suppress_below": SUPPRESS_BELOW}
    return render(request, "webinars/participation.html", context)


@never_cache
@login_required
@require_safe
def series_figures(request):
    """The committee's figures: per webinar, growth over time, replay views."""
    if not request.user.has_perm("webinars.view_figures"):
        raise PermissionDenied
    rows = figures.webinar_figures()
    context = {
        "numbers": figures.series_numbers(),
        "rows": rows,
        "registrants_chart": _growth_chart(rows, "registrants"),
        "attendees_chart": _growth_chart(rows, "attendees"),
    }
    return render(request, "webinars/figures.html", context)


def _growth_chart(rows: list[figures.WebinarFigures], what: str) -> SafeString:
    values = [getattr(row, f"total_{what}") for row in rows]
    return line_chart(
        title=f"Line chart of the table: distinct {what} of the series so far, webinar by webinar",
        description=f"From {values[0] if values else 0} after the first webinar "
        f"to {values[-1] if values else 0} after the latest.",
        labels=[row.webinar.start_at.strftime("%b %Y") for row in rows],
        values=values,
        chart_id=f"chart-growth-{what}",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def run_sheet(request, slug: str):
    """The committee previews the run sheet (as the text mail reads, escaped) and sends it
    to the host and speakers, once (webinars.speakers.webinar_send_run_sheet)."""
    if not request.user.has_perm("webinars.invite_speakers"):
        raise PermissionDenied
    webinar = selectors.webinar_for_page(slug, preview=True)
    if request.method == "POST":
        try:
            sent = webinar_send_run_sheet(webinar=webinar)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if sent:
                messages.success(request, f"The run sheet went to {sent} people.")
            else:
                messages.info(request, "The run sheet had already been sent; nothing was sent.")
        return redirect("webinars:run_sheet", slug=slug)
    context = run_sheet_context(webinar)
    subject, text, _ = render_mail("webinars/run-sheet", context)
    context.update(subject=subject, text=text)
    return render(request, "webinars/run_sheet.html", context)


def _participation_chart(year: dict) -> SafeString:
    rows = year["rows"]
    return horizontal_bar_chart(
        title=f"Bar chart of the table for {year['year']}: nominated (dark bars) and "
        "scheduled (light bars)",
        description=f"Counts under {SUPPRESS_BELOW} are shown as <{SUPPRESS_BELOW}, without a bar.",
        labels=[row.label for row in rows],
        series=[
            Series("nominated", [row.nominated for row in rows]),
            Series("scheduled", [row.scheduled for row in rows]),
        ],
        chart_id=f"chart-{year['year']}",
        missing=f"<{SUPPRESS_BELOW}",
    )
