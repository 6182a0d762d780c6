"""The member's pages: their abstracts (write, edit, submit, withdraw) and their
speaker nominations, and both blocks on My GDS."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from rules import has_perm as rules_has_perm

from meetings.enums import AbstractState, CallState
from meetings.forms.abstracts import (
    MAX_AUTHORS,
    AbstractForm,
    AbstractSubmitForm,
    AbstractWithdrawForm,
    abstract_data,
    author_formset,
    author_rows_data,
)
from meetings.forms.nominations import (
    NominationEditForm,
    NominationForm,
    NominationWithdrawForm,
)
from meetings.models import Abstract, Meeting
from meetings.selectors.abstracts import (
    abstract_for_page,
    abstract_timeline,
    abstracts_coauthored,
    abstracts_of,
)
from meetings.selectors.meetings import open_categories
from meetings.selectors.nominations import nomination_for_page, nominations_of
from meetings.services import abstracts
from meetings.services.errors import Refused
from meetings.services.nominations import (
    nomination_create,
    nomination_update,
    nomination_withdraw,
)
from meetings.views.confirmations import presenter_answer_form

log = logging.getLogger(__name__)


@login_required
@require_safe
def my_abstracts(request):
    return render(
        request,
        "meetings/my_abstracts.html",
        {
            "own": abstracts_of(request.user),
            "coauthored": abstracts_coauthored(request.user),
        },
    )


def _readable_abstract(request, pk) -> Abstract:
    abstract = abstract_for_page(pk)
    # 404 rather than 403: another member's abstract does not exist for you.
    if abstract is None or not request.user.has_perm("meetings.read_abstract", abstract):
        raise Http404("No such abstract.")
    return abstract


def _may(request, perm: str, abstract: Abstract) -> bool:
    """`perm` asked of the rule set itself: Django's `has_perm` answers True to a
    superuser before any rule is asked, which offered staff who submitted an abstract
    the edit form of one locked by its sent decision (the service then refused)."""
    return rules_has_perm(perm, request.user, abstract)


@login_required
@require_safe
def abstract_detail(request, pk):
    abstract = _readable_abstract(request, pk)
    is_submitter = abstract.submitter_id == request.user.pk
    return render(
        request,
        "meetings/abstract_detail.html",
        {
            "abstract": abstract,
            "is_submitter": is_submitter,
            # A decided abstract whose decision is unsent looks, edits and withdraws as
            # a submitted one (meetings.rules.is_editable, is_withdrawable).
            "can_withdraw": _may(request, "meetings.withdraw_abstract", abstract),
            "can_edit": _may(request, "meetings.edit_abstract", abstract),
            "timeline": abstract_timeline(abstract) if is_submitter else [],
            # The presenter's confirmation, once the decision is sent (meetings.rules).
            "presenter_form": presenter_answer_form(request, abstract),
            "submit_form": AbstractSubmitForm(abstract=abstract),
            # A replayed form keeps the browser's copy of the text: it may hold later edits.
            "clear_autosave": "resent" not in request.GET,
            "call_state": abstract.meeting.call_state(
                closes_at=abstracts.closes_at_for(meeting=abstract.meeting, member=request.user)
            ),
        },
    )


def _verified_or_refuse(request):
    if not request.user.has_perm("meetings.submit_abstracts"):
        return render(request, "meetings/verify_first.html", status=403)
    return None


@login_required
def abstract_create(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    if refusal := _verified_or_refuse(request):
        return refusal
    user = request.user
    initial_author = {
        "name": user.full_name,
        "email": user.email,
        "affiliations": user.affiliation,
        "orcid": user.orcid,
        "is_presenting": True,
    }
    initial = {"category": request.GET.get("category", "")}
    return _abstract_form_page(
        request, meeting=meeting, abstract=None, initial=initial, authors=[initial_author]
    )


@login_required
def abstract_edit(request, pk):
    abstract = _readable_abstract(request, pk)
    if not _may(request, "meetings.edit_abstract", abstract):
        if abstract.submitter_id != request.user.pk:
            raise Http404("No such abstract.")  # co-authors read, never edit
        # Said before anything is typed: never a form whose save would be refused.
        messages.warning(
            request,
            "This abstract can no longer be changed (its decision has been sent, or it "
            "was withdrawn), so there is nothing to edit. It is shown here as it stands.",
        )
        return redirect(abstract)
    initial = {
        # The author's own choice: a committee move is told in the decision mail.
        "category": abstract.authors_category.code,
        "title": abstract.title,
        "body": abstract.body,
        "presentation": abstract.presentation,
        "student_presenter": abstract.student_presenter,
        "funding": abstract.funding,
        "keywords": abstract.keywords,
    }
    authors = [
        {
            "name": a.name,
            "email": a.email,
            "orcid": a.orcid,
            "is_presenting": a.is_presenting,
            "affiliations": "\n".join(f.name for f in a.affiliations.all()),
        }
        for a in abstract.authors.all()
    ]
    return _abstract_form_page(
        request, meeting=abstract.meeting, abstract=abstract, initial=initial, authors=authors
    )


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _abstract_form_page(request, *, meeting, abstract, initial, authors):
    categories = open_categories(meeting=meeting)
    on = {"meeting": meeting, "categories": categories, "abstract": abstract}
    if request.method != "POST":
        form = AbstractForm(initial=initial, **on)
        formset = author_formset(initial=authors, extra=1 if abstract is None else 0)
        return _render_form(request, meeting, abstract, form, formset)
    action = request.POST.get("action", "save")
    if action == "add_author":
        # Without JavaScript the page grows by one row through this round trip; nothing
        # was sent for saving, so nothing is judged (meetings.forms.base.MayGoUnjudged).
        data = author_rows_data(request.POST).copy()
        data["authors-TOTAL_FORMS"] = str(
            min(_int(data.get("authors-TOTAL_FORMS")) + 1, MAX_AUTHORS)
        )
        form = AbstractForm(request.POST, validate=False, **on)
        formset = author_formset(data=data, validate=False)
        return _render_form(request, meeting, abstract, form, formset)
    form = AbstractForm(request.POST, **on)
    formset = author_formset(data=request.POST)
    if not all([form.is_valid(), formset.is_valid()]):  # both, so both show their errors
        return _render_form(request, meeting, abstract, form, formset, status=400)
    if action == "preview":
        return _render_form(request, meeting, abstract, form, formset, preview=True)
    try:
        outcome = abstracts.abstract_save(
            meeting=meeting,
            by=request.user,
            data=abstract_data(form, formset),
            token=form.cleaned_data["token"],
            abstract=abstract,
            submit=action == "submit",
        )
    except Refused as refusal:
        return _render_form(request, meeting, abstract, form, formset, refusal=str(refusal))
    except (OperationalError, InterfaceError):
        # The database dropped the connection mid-transaction: nothing was committed
        # (the atomic block rolled back and closed it). Keep every word typed; the same
        # token makes a second press safe even if the first one did get through.
        log.warning("Database connection lost while saving an abstract", exc_info=True)
        return _render_form(request, meeting, abstract, form, formset, unavailable=True)
    return _after(request, outcome, action)


def _after(request, outcome: abstracts.Outcome, action: str):
    if outcome.abstract is None:
        return redirect("meetings:my_abstracts")
    if outcome.replayed:
        messages.info(
            request,
            "This form had already been sent, so nothing was saved twice. If you changed "
            "anything after sending it, open Edit: this browser offers to restore that text.",
        )
        return redirect(f"{outcome.abstract.get_absolute_url()}?resent=1")
    if not outcome.replayed:
        abstract = outcome.abstract
        # What the author may know of its state: a decided, unsent abstract answers as a
        # submitted one.
        state = abstract.for_author.state
        if action == "submit" and state == AbstractState.SUBMITTED:
            messages.success(
                request, f"Submitted as {abstract.reference}. A confirmation mail is on its way."
            )
        elif state == AbstractState.SUBMITTED:
            messages.success(
                request, f"Changes to {abstract.reference} saved; we mailed you a copy."
            )
        elif state == AbstractState.WITHDRAWN:
            messages.success(request, f"{abstract.reference or 'The draft'} has been withdrawn.")
        else:
            messages.success(request, "Draft saved. It is not submitted yet.")
    return redirect(outcome.abstract)


def _render_form(
    request,
    meeting,
    abstract,
    form,
    formset,
    *,
    preview=False,
    refusal="",
    unavailable=False,
    status=200,
):
    if unavailable:
        # No further query: the database may still be unreachable.
        closes_at = meeting.call_closes_at
        refusal = (
            "The database did not answer, so nothing was saved. Your text is still in the "
            "form below: please try again in a moment."
        )
        status = 503
    else:
        closes_at = abstracts.closes_at_for(meeting=meeting, member=request.user)
    call_state = meeting.call_state(closes_at=closes_at)
    if call_state != CallState.OPEN:
        # Closed (or not open yet) for this member, perhaps since the form was opened:
        # every word stays in the form, and no button offers to send it.
        form.switch_saving_off()
    context = {
        "meeting": meeting,
        "abstract": abstract,
        "form": form,
        "formset": formset,
        "preview": preview,
        "refusal": refusal,
        "closes_at": closes_at,
        "call_state": call_state,
    }
    response = render(
        request,
        "meetings/abstract_form.html",
        context,
        status=status if unavailable else 409 if refusal else status,
    )
    if unavailable:
        response["Retry-After"] = "5"
    return response


@login_required
@require_POST
def abstract_submit(request, pk):
    abstract = _readable_abstract(request, pk)
    if not _may(request, "meetings.edit_abstract", abstract):
        raise Http404("No such abstract.")
    form = AbstractSubmitForm(request.POST, abstract=abstract)
    if not form.is_valid():
        messages.error(request, "The form was incomplete; please try again.")
        return redirect(abstract)
    try:
        outcome = abstracts.abstract_submit(
            abstract=abstract, by=request.user, token=form.cleaned_data["token"]
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(abstract)
    return _after(request, outcome, "submit")


@login_required
def abstract_withdraw(request, pk):
    abstract = _readable_abstract(request, pk)
    if not _may(request, "meetings.withdraw_abstract", abstract):
        raise Http404("No such abstract.")
    form = AbstractWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = abstracts.abstract_withdraw(
            abstract=abstract, by=request.user, token=form.cleaned_data["token"]
        )
        return _after(request, outcome, "withdraw")
    return render(request, "meetings/abstract_withdraw.html", {"abstract": abstract, "form": form})


def my_gds_section(request) -> dict | None:
    """The "My abstracts" block on My GDS."""
    if not request.user.is_authenticated:
        return None
    return {
        "abstracts": list(abstracts_of(request.user)[:5]),
        "coauthored": list(abstracts_coauthored(request.user)[:5]),
    }


# --- Speaker nominations ------------------------------------------------------------
# A nominator's own nominations answer to the rule set (`rules.has_perm`): a superuser
# is not a nominator of someone else's nomination either.


def _thank(request, outcome, nominee: str) -> None:
    if outcome.replayed:
        # A second press, or the same form sent again: the first one counted.
        messages.info(request, "This nomination had already been sent; it is listed once below.")
    else:
        messages.success(
            request, f"Thank you: your nomination of {nominee} is with the Program committee."
        )


@login_required
def nominate(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    if not request.user.has_perm("meetings.nominate_speakers"):
        return render(request, "meetings/verify_first.html", status=403)
    form = NominationForm(request.POST if request.method == "POST" else None, meeting=meeting)
    refusal = (
        ""
        if meeting.nominations_open
        else (f"Invited-speaker nominations for {meeting} are not open.")
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            outcome = nomination_create(
                meeting=meeting,
                by=request.user,
                data=form.data_object(),
                token=form.cleaned_data["token"],
            )
        except Refused as error:
            refusal = str(error)
        else:
            _thank(request, outcome, form.cleaned_data["nominee_name"])
            return redirect("meetings:my_nominations")
    return render(
        request,
        "meetings/nominate.html",
        {"meeting": meeting, "form": form, "refusal": refusal},
        status=409 if refusal and request.method == "POST" else 200,
    )


@login_required
@require_safe
def my_nominations(request):
    nominations = list(nominations_of(request.user))
    for nomination in nominations:
        # Edit and withdraw share one rule: the nominator's own, while still open.
        nomination.changeable = rules_has_perm("meetings.edit_nomination", request.user, nomination)
    return render(
        request,
        "meetings/my_nominations.html",
        {"nominations": nominations, "show_actions": True},
    )


NOMINATION_SETTLED = (
    "This nomination can no longer be changed: nominations for {meeting} are closed, "
    "or it has been withdrawn or settled."
)


def _own_nomination(request, pk: int):
    nomination = nomination_for_page(pk)
    # 404 rather than 403: another member's nomination does not exist for you.
    if nomination is None or not rules_has_perm(
        "meetings.see_own_nomination", request.user, nomination
    ):
        raise Http404("No such nomination.")
    return nomination


def _settled(request, nomination):
    messages.error(request, NOMINATION_SETTLED.format(meeting=nomination.meeting))
    return redirect("meetings:my_nominations")


@login_required
def nomination_edit(request, pk):
    nomination = _own_nomination(request, pk)
    meeting = nomination.meeting
    if request.method != "POST":
        if not rules_has_perm("meetings.edit_nomination", request.user, nomination):
            return _settled(request, nomination)
        form = NominationEditForm(instance=nomination, meeting=meeting)
        return _nomination_edit_page(request, nomination, form)
    # A save is judged by the service (meetings.edit_nomination), so that one refused
    # because nominations closed while the form was open keeps every word typed.
    form = NominationEditForm(request.POST, instance=nomination, meeting=meeting)
    if not form.is_valid():
        return _nomination_edit_page(request, nomination, form)
    try:
        outcome = nomination_update(
            nomination=nomination,
            by=request.user,
            changes=form.changes(),
            token=form.cleaned_data["token"],
        )
    except Refused:
        form = NominationEditForm(request.POST, instance=nomination, meeting=meeting, locked=True)
        refusal = NOMINATION_SETTLED.format(meeting=meeting) + " Nothing was saved."
        return _nomination_edit_page(request, nomination, form, refusal=refusal)
    if outcome.replayed:
        messages.info(request, "These changes had already been sent; they were saved once.")
    else:
        messages.success(
            request, f"Your nomination of {form.cleaned_data['nominee_name']} is saved."
        )
    return redirect("meetings:my_nominations")


def _nomination_edit_page(request, nomination, form, *, refusal=""):
    context = {
        "meeting": nomination.meeting,
        "nomination": nomination,
        "form": form,
        "refusal": refusal,
    }
    return render(request, "meetings/nomination_edit.html", context, status=409 if refusal else 200)


@login_required
def nomination_withdraw_view(request, pk):
    nomination = _own_nomination(request, pk)
    if not rules_has_perm("meetings.withdraw_nomination", request.user, nomination):
        return _settled(request, nomination)
    form = NominationWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination_withdraw(
                nomination=nomination, by=request.user, token=form.cleaned_data["token"]
            )
        except Refused:
            return _settled(request, nomination)
        else:
            messages.success(
                request, f"Your nomination of {nomination.nominee_name} has been withdrawn."
            )
        return redirect("meetings:my_nominations")
    return render(
        request, "meetings/nomination_withdraw.html", {"nomination": nomination, "form": form}
    )


def my_gds_nominations(request) -> dict | None:
    """The "My speaker nominations" block on My GDS (public-safe status only)."""
    if not request.user.is_authenticated:
        return None
    nominations = list(nominations_of(request.user)[:5])
    return {"nominations": nominations} if nominations else None
