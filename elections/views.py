import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from elections import audit, selectors
from elections.enums import CandidacyStatus, ElectionPhase
from elections.feeds import calendar_bytes
from elections.forms import AnswerForm, BallotForm, HandoverNoteForm, NominationForm, TrackerForm
from elections.models import Office
from elections.services.nominations import (
    candidacy_answer,
    candidacy_for_token,
    member_with_address,
    nomination_submit,
    nominations_are_open,
)
from elections.services.roll import roll_freeze
from elections.services.terms import handover_note_add
from elections.services.voting import (
    CastRefused,
    ballot_cast,
    ballot_closed_because,
    voting_is_open,
)
from gds_portal.access import public
from gds_portal.exports import cell
from gds_portal.sharedpages import shared_with_members

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@shared_with_members
@public
@require_safe
def officers(request):
    context = {"offices": selectors.officers()}
    return render(request, "elections/officers.html", context)


@shared_with_members
@public
@require_safe
def election_list(request):
    return render(request, "elections/list.html", {"elections": selectors.announced_elections()})


def _election(request, slug: str):
    preview = request.user.has_perm("elections.preview_election")
    return selectors.election_for_page(slug, preview=preview)


# Not shared between members (gds_portal/sharedpages.py): a member's own voting status
# is most of this page for them, so it is rendered for each member.
@public
@require_safe
def election_detail(request, slug: str):
    election = _election(request, slug)
    context = {
        "election": election,
        "phase": election.phase(),
        "phases": ElectionPhase,
        "slate_public": election.slate_approved_at is not None,
        "voter": selectors.voter(election, request.user),
    }
    response = render(request, "elections/detail.html", context)
    if not election.is_announced or request.user.is_authenticated:
        _private(response)  # a draft, or a member's own voting status
    return response


@public
@require_safe
def election_ics(request, slug: str):
    election = selectors.election_for_page(slug)
    response = HttpResponse(
        calendar_bytes([election], name=election.title), content_type=CALENDAR_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{election.slug}.ics"'
    return response


@public
@require_safe
def feed_ics(request):
    body = calendar_bytes(selectors.announced_elections(), name="GDS elections")
    return HttpResponse(body, content_type=CALENDAR_TYPE)


# --- Nominations --------------------------------------------------------------------


@login_required
def nominate(request, slug: str):
    election = selectors.election_for_page(slug)
    if not nominations_are_open(election):
        messages.info(request, "Nominations for this election are not open.")
        return redirect(election.get_absolute_url())
    if not request.user.has_perm("elections.nominate"):
        messages.warning(request, "Please verify your email address before nominating.")
        return redirect("accounts:my_gds")
    form = NominationForm(
        request.POST if request.method == "POST" else None,
        election=election,
        needs_name=not request.user.full_name.strip(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        myself = data["myself"]
        nominee = request.user if myself else member_with_address(data["nominee_email"])
        try:
            submitted = nomination_submit(
                contest=data["contest"],
                nominee=nominee,
                by=request.user,
                token=data["token"],
                statement=data["statement"] if myself else "",
                name=data.get("name", "") if myself else "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(election.get_absolute_url())
        if submitted.replayed:
            messages.info(request, "This form had already been sent; it was received once.")
        elif data["myself"]:
            messages.success(
                request,
                # True whether or not a mail went out (none does when someone else had
                # nominated the member already): the statement was written in the form.
                "Thank you: you are a candidate, with the statement you wrote. You can "
                "change it, or withdraw, until nominations close: My GDS links to your "
                "nomination page.",
            )
        else:
            # The same words whether or not the address is a member's (see the service).
            messages.success(
                request,
                "Thank you, your nomination was received. If the address belongs to a member "
                "in good standing, we have asked them whether they accept.",
            )
        return redirect("accounts:my_gds")
    return _private(
        render(request, "elections/nominate.html", {"form": form, "election": election})
    )


@public
@never_cache
def answer(request, slug: str, token: str):
    """The nominee's signed link: accept with a statement, or decline."""
    candidacy = candidacy_for_token(token)
    if candidacy is None or candidacy.contest.election.slug != slug:
        raise Http404("This link is not valid (it may have expired).")
    # The link is the nominee's credential, like a password-reset link; someone signed
    # in as another member is not the nominee, whatever link they hold.
    if request.user.is_authenticated and request.user.pk != candidacy.user_id:
        raise Http404("This link is not valid (it may have expired).")
    election = candidacy.contest.election
    initial = {
        "decision": "accept" if candidacy.status == CandidacyStatus.ACCEPTED else "",
        "statement": candidacy.statement,
    }
    is_open = nominations_are_open(election)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial=initial,
        needs_name=not candidacy.user.full_name.strip(),
    )
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            candidacy_answer(
                candidacy=candidacy,
                accept=data["decision"] == "accept",
                statement=data["statement"],
                photo=data.get("photo"),
                name=data.get("name", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you, your answer is recorded.")
            return redirect(request.path)
    context = {"candidacy": candidacy, "election": election, "form": form, "is_open": is_open}
    return render(request, "elections/answer.html", context)


# --- Voting -------------------------------------------------------------------------


# Every answer of the voting step (ballot, review, cast, refusal) is padded to a whole
# number of these blocks. The access log of the server (gunicorn's, a proxy's) records
# each response's size next to the address and the second, and a review or cast page
# that names the chosen candidates would be as long as their names: the log would say
# how someone voted (outside probe 2, F1). 64 KiB is far above the review and cast pages
# (a few KiB, a few hundred bytes of it names) and above a ballot of up to some twenty
# candidates with statements at the 2,500-character limit, so every page of the step comes
# out at exactly 64 KiB. A larger ballot goes to the next multiple: that size depends only
# on the slate, the same for every voter, and the review and cast pages, far shorter than
# a block, stay at one block. Compression would undo this (sizes would follow the content
# again): nothing in the portal compresses pages, and docs/deploy.md tells the proxy not
# to compress /elections/*/ballot/.
BALLOT_PAD_BLOCK = 64 * 1024
_PAD_OPEN, _PAD_CLOSE = b"\n<!--", b"-->\n"


def _padded(response: HttpResponse) -> HttpResponse:
    """`response` with an HTML comment after the page making it a whole number of blocks."""
    size = len(response.content) + len(_PAD_OPEN) + len(_PAD_CLOSE)
    target = -(-size // BALLOT_PAD_BLOCK) * BALLOT_PAD_BLOCK
    response.content = response.content + _PAD_OPEN + b" " * (target - size) + _PAD_CLOSE
    # no-transform: a proxy that honours it neither compresses nor rewrites the page.
    response["Cache-Control"] = "private, no-store, no-transform"
    return response


def _ballot_page(request, election, template: str, **context):
    context = {"election": election, **context}
    return _padded(render(request, template, context))


@login_required
def ballot(request, slug: str):
    """The ballot: choose, review, cast. The tracker is shown in the answer to the cast
    itself and stored nowhere that names the voter."""
    election = selectors.election_for_page(slug)
    if voting_is_open(election) and not election.roll_frozen_at:
        roll_freeze(election=election)  # the scheduler may not have run yet
        election.refresh_from_db(fields=["roll_frozen_at", "roll_size"])
    voter = selectors.voter(election, request.user)
    if reason := ballot_closed_because(election, voter):
        # A refused POST says so in an alert: the member believed they were voting.
        refused = request.method == "POST"
        return _ballot_page(
            request,
            election,
            "elections/ballot_closed.html",
            voter=voter,
            reason=reason,
            refused=refused,
        )
    data = request.POST if request.method == "POST" else None
    form = BallotForm(data, election=election, voter=request.user)
    if request.method != "POST" or "change" in request.POST or not form.is_valid():
        return _ballot_page(request, election, "elections/ballot.html", form=form)
    if not form.casting:
        hidden = [(name, value) for name in form.fields for value in request.POST.getlist(name)]
        return _ballot_page(
            request,
            election,
            "elections/review.html",
            hidden=hidden,
            review=_review(form),
            reviewed=form.review_token(),
        )
    try:
        tracker = ballot_cast(election=election, user=request.user, marks=form.marks)
    except CastRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(election.get_absolute_url())
    return _ballot_page(request, election, "elections/cast.html", tracker=tracker)


def _review(form: BallotForm) -> list[dict]:
    rows = []
    for contest in form.contests:
        names = {c.pk: c.name for c in contest.slate}
        chosen = [names[pk] for pk in form.marks[contest.pk]]
        rows.append({"contest": contest, "chosen": chosen})
    return rows


# --- After the close ------------------------------------------------------------------


def _published(slug: str):
    election = selectors.election_for_page(slug)
    if election.results_published_at is None:
        raise Http404("The results of this election are not published yet.")
    return election


@shared_with_members
@public
@require_safe
def results(request, slug: str):
    """Published results; before publication, the committee's review of the count."""
    election = selectors.election_for_page(slug)
    # Whether the visitor may review the count is asked only before publication, so the
    # published results are every member's page (shared: gds_portal/sharedpages.py).
    reviewing = (
        election.results_published_at is None
        and election.counted_at
        and request.user.has_perm("elections.run_election")
    )
    if election.results_published_at is None and not reviewing:
        raise Http404("The results of this election are not published yet.")
    context = {
        "election": election,
        "rows": selectors.results(election),
        "turnout": election.ballot_count or 0,
    }
    response = render(request, "elections/results.html", context)
    return response if election.results_published_at else _private(response)


@public
@require_http_methods(["GET", "HEAD", "POST"])
def ballots(request, slug: str):
    """The counted ballots, and the tracker lookup.

    The lookup is a POST answered on the spot (no redirect, which would have to carry
    the tracker in an address) and never stored: a GET with `?tracker=` from an old
    link looks nothing up, since the address with the tracker is already in the log.
    """
    election = _published(slug)
    action = reverse("elections:ballots", args=[election.slug])
    form = TrackerForm(request.POST if request.method == "POST" else None, action=action)
    found = None
    if form.is_valid():
        found = selectors.tracker_counted(election, form.cleaned_data["tracker"])
    page = Paginator(selectors.published_ballots(election), 100).get_page(request.GET.get("page"))
    context = {
        "election": election,
        "form": form,
        "found": found,
        "page": page,
        "rows": selectors.results(election),
        "trackers": [] if election.trackers_on_ballots else selectors.counted_trackers(election),
        "tracker_in_address": "tracker" in request.GET,
    }
    response = render(request, "elections/ballots.html", context)
    # The answer names a tracker: no cache (the browser's or a proxy's) may keep it.
    return _private(response) if request.method == "POST" else response


@public
@require_safe
def audit_json(request, slug: str):
    election = _published(slug)
    response = HttpResponse(audit.bundle_json(election), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-audit.json"'
    return response


@public
@require_safe
def ballots_csv(request, slug: str):
    """One row per ballot and office: ballot id, tracker, office, choices in order."""
    election = _published(slug)
    bundle = audit.bundle(election)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ballot", "tracker", "office", "choices (candidate ids, in order)"])
    offices = {str(spec["id"]): spec["office"] for spec in bundle["contests"]}
    for row in bundle["ballots"]:
        for contest_id, chosen in sorted(row["marks"].items()):
            writer.writerow(
                [
                    cell(row["id"]),
                    cell(row["tracker"] or ""),
                    cell(offices.get(contest_id, "")),
                    " ".join(str(pk) for pk in chosen),
                ]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-ballots.csv"'
    return response


# --- Handover notes -------------------------------------------------------------------


@never_cache
@login_required
def handover(request, slug: str):
    office = get_object_or_404(Office, slug=slug)
    if not request.user.has_perm("elections.read_handover", office):
        raise Http404("No such page.")  # the same answer as for an office that does not exist
    form = HandoverNoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        submitted = handover_note_add(
            office=office,
            text=form.cleaned_data["text"],
            by=request.user,
            token=form.cleaned_data["token"],
        )
        if not submitted.replayed:
            messages.success(request, "Your note is saved for the next holders.")
        return redirect("elections:handover", slug=office.slug)
    context = {"office": office, "notes": selectors.handover_notes(office), "form": form}
    return render(request, "elections/handover.html", context)
