from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

from gds_portal.access import public
from gds_portal.charts import Series, horizontal_bar_chart
from gds_portal.pagecache import cached_fragment
from webinars import selectors
from webinars.feeds import WebinarAtomFeed, calendar_bytes
from webinars.forms import (
    ArchiveFilterForm,
    HostVolunteerForm,
    SpeakerNominationForm,
    TopicSuggestionForm,
)
from webinars.models import NOMINATION_MODELS
from webinars.participation import SUPPRESS_BELOW, participation_by_year
from webinars.services import nomination_set_status, nomination_submit

CALENDAR_TYPE = "text/calendar; charset=utf-8"


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
        "numbers": cached_fragment("webinars:series-numbers", selectors.series_numbers),
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
    preview = request.user.has_perm("webinars.preview_webinar")
    return selectors.webinar_for_page(slug, preview=preview)


@public
@require_safe
def webinar_detail(request, slug: str):
    webinar = _webinar(request, slug)
    response = render(request, "webinars/detail.html", {"webinar": webinar})
    if not webinar.is_published:
        response["Cache-Control"] = "private, no-store"  # a draft is never cached
    return response


@public
@require_safe
def webinar_ics(request, slug: str):
    webinar = _webinar(request, slug)
    if webinar.is_cancelled:
        raise Http404("This webinar was cancelled.")
    body = calendar_bytes([webinar], name=webinar.title)
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{webinar.slug}.ics"'
    return response


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
