from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.identity import canonical_email
from gds_portal.access import public
from gds_portal.throttle import too_many_requests
from ombudsman import crypto, selectors, services
from ombudsman.enums import ConcernStatus, ReporterKind
from ombudsman.forms import AddressForm, CaseCheckForm, ConcernForm, ReplyForm, RetentionForm
from ombudsman.models import Concern, OfficeSettings
from ombudsman.rules import allowed

LOG_PAGE_SIZE = 50
CASE_FAILED = "ombudsman_case_failed"


@public
@require_safe
def home(request):
    """What the ombudsman is for, who holds the office, and the ways to reach them."""
    return render(request, "ombudsman/home.html", {"office": selectors.current_assignment()})


# --- Raising a concern ----------------------------------------------------------


def _closed(request):
    return render(request, "ombudsman/closed.html", {"reason": crypto.UNAVAILABLE}, status=503)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def raise_concern(request):
    """The concern form: named for a member with a verified address, from a visitor's
    address after its signed link was opened, or anonymous for anyone."""
    if not crypto.is_available():
        return _closed(request)
    member = request.user if allowed(request.user, "ombudsman.raise_named") else None
    link = request.POST.get("address") or request.GET.get("address") or ""
    address = None
    if link and member is None:
        max_age = settings.OMBUDSMAN_ADDRESS_LINK_SECONDS
        address = services.address_from_token(link, max_age=max_age)
        if address is None:
            return render(request, "ombudsman/link_expired.html", status=400)
    data = request.POST if request.method == "POST" else None
    form = ConcernForm(data, named=bool(member or address))
    if request.method == "POST" and form.is_valid():
        anonymous = form.cleaned_data.get("anonymous", True)
        try:
            raised = services.concern_raise(
                text=form.cleaned_data["text"],
                token=form.cleaned_data["token"],
                case_code=form.cleaned_data["case_code"],
                passphrase=form.cleaned_data["passphrase"],
                member=None if anonymous else member,
                email="" if anonymous or not address else address,
            )
        except crypto.EncryptionUnavailable:
            return _closed(request)
        return _receipt(request, form, raised)
    context = {
        "form": form,
        "member": member,
        "address": address,
        "link": link if address else "",
        "pair": form.shown_pair(),
        "office": selectors.current_assignment(),
    }
    return render(request, "ombudsman/raise.html", context)


def _receipt(request, form, raised):
    """The page after sending: rendered, not redirected to, so the passphrase is never
    stored anywhere between two requests (a session would keep it in the database).
    A form sent again shows the same page: its passphrase is the one it carried."""
    named = raised.kind == ReporterKind.MEMBER
    context = {
        "case_code": raised.case_code,
        "passphrase": "" if named else form.cleaned_data["passphrase"],
        "named": named,
        "replayed": raised.replayed,
        "office": selectors.current_assignment(),
    }
    return render(request, "ombudsman/receipt.html", context)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def verify_address(request):
    """A visitor without an account asks for a signed link to their address."""
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Each send mails a link: limited per address (canonical form) and per network.
        limited = ratelimit.consume_or_429(
            request, action="ombudsman_verify", key=canonical_email(email)
        )
        if limited:
            return limited
        services.address_verification_send(email=email)
        return render(request, "ombudsman/address_sent.html", {"email": email})
    return render(request, "ombudsman/address.html", {"form": form})


# --- A reporter reads the replies ------------------------------------------------


def _case_throttled(request, code: str):
    """Whether this network or this case code has failed too often: asked before any
    comparison, so a guess during a block is refused unchecked."""
    if ratelimit.consume(request, action=CASE_FAILED, key=code, dry_run=True):
        return None
    return too_many_requests(
        request,
        retry_after=settings.ACCOUNT_RATE_LIMIT_WINDOW,
        reason="There have been too many wrong case codes or passphrases from your "
        "network or for this case",
        exact=False,
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def check_case(request):
    """Case code and passphrase: the concern and its replies, on this response only.
    A wrong pair shows nothing at all (not even whether the case exists) and counts
    against both the network and the case code."""
    form = CaseCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = services.normalise_code(form.cleaned_data["case_code"])
        if limited := _case_throttled(request, code):
            return limited
        concern = services.concern_for_passphrase(
            case_code=code, passphrase=form.cleaned_data["passphrase"]
        )
        if concern is None:
            ratelimit.consume(request, action=CASE_FAILED, key=code)
            form.add_error(None, "No case matches this case code and passphrase.")
        else:
            try:
                case = services.concern_read_by_reporter(concern=concern)
            except crypto.EncryptionUnavailable:
                return _closed(request)
            return render(request, "ombudsman/reporter_case.html", {"case": case})
    return render(request, "ombudsman/check.html", {"form": form})


@never_cache
@login_required
@require_safe
def my_cases(request):
    concerns = selectors.own_concerns(request.user)
    return render(request, "ombudsman/my_cases.html", {"concerns": concerns})


@never_cache
@login_required
@require_safe
def my_case(request, case_code: str):
    concern = Concern.objects.filter(case_code=case_code).first()
    if not allowed(request.user, "ombudsman.read_own", concern):
        raise Http404("No such case.")
    try:
        case = services.concern_read_by_reporter(concern=concern, by=request.user)
    except crypto.EncryptionUnavailable:
        return _closed(request)
    return render(request, "ombudsman/reporter_case.html", {"case": case, "signed_in": True})


# --- The ombudsman ----------------------------------------------------------------


def _require_ombudsman(request) -> None:
    if not allowed(request.user, "ombudsman.handle_concerns"):
        raise PermissionDenied


@never_cache
@login_required
@require_safe
def cases(request):
    _require_ombudsman(request)
    context = {
        "concerns": selectors.case_list(),
        "retention_days": OfficeSettings.get_solo().retention_days,
    }
    return render(request, "ombudsman/cases.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case(request, case_code: str):
    """One concern, decrypted for the ombudsman (every GET is a logged read), and the
    reply form. Anyone else gets the same 404 as for a case that does not exist."""
    concern = Concern.objects.filter(case_code=case_code).first()
    if concern is None or not allowed(request.user, "ombudsman.handle_concerns"):
        raise Http404("No such case.")
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.concern_reply(
                concern=concern,
                text=form.cleaned_data["text"],
                by=request.user,
                token=form.cleaned_data["token"],
            )
        except crypto.EncryptionUnavailable:
            return _closed(request)
        if reply is None:
            messages.info(request, "This reply had already been sent; it was stored once.")
        else:
            messages.success(request, "Reply stored.")
        return redirect(concern.get_absolute_url())
    try:
        case_file = services.concern_read(concern=concern, by=request.user)
    except crypto.EncryptionUnavailable:
        return _closed(request)
    context = {"case": case_file, "form": form, "statuses": ConcernStatus}
    return render(request, "ombudsman/case.html", context)


@login_required
@require_POST
def case_status(request, case_code: str):
    concern = Concern.objects.filter(case_code=case_code).first()
    if concern is None or not allowed(request.user, "ombudsman.handle_concerns"):
        raise Http404("No such case.")
    status = request.POST.get("status", "")
    if status not in ConcernStatus.values:
        raise Http404("No such status.")
    services.concern_set_status(concern=concern, status=status, by=request.user)
    return redirect("ombudsman:cases")


@never_cache
@login_required
@require_safe
def access_log(request):
    _require_ombudsman(request)
    page = Paginator(selectors.access_log(), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "assignments": selectors.assignment_history()}
    return render(request, "ombudsman/access_log.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def retention(request):
    _require_ombudsman(request)
    office = OfficeSettings.get_solo()
    form = RetentionForm(request.POST if request.method == "POST" else None, instance=office)
    if request.method == "POST" and form.is_valid():
        services.retention_set(days=form.cleaned_data["retention_days"], by=request.user)
        messages.success(request, "Retention period saved.")
        return redirect("ombudsman:cases")
    return render(request, "ombudsman/retention.html", {"form": form})
