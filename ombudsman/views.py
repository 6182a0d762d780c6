from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.identity import canonical_email
from gds_portal.access import public
from gds_portal.throttle import too_many_requests
from ombudsman import crypto, selectors, services, throttle
from ombudsman.enums import ConcernStatus, ReporterKind
from ombudsman.forms import (
    AddressForm,
    AnswerForm,
    CaseCheckForm,
    ConcernForm,
    ReplyForm,
    RetentionForm,
)
from ombudsman.models import Concern, OfficeSettings
from ombudsman.rules import allowed

LOG_PAGE_SIZE = 50
# Signed cookies, never the session: a session row in the database carries the
# member's id, and a case code next to it would name an anonymous reporter. A cookie
# stays in the reporter's browser, limited to the pages that need it.
SENT_COOKIE, SENT_SALT, SENT_SECONDS = "ombudsman_sent", "ombudsman.sent", 30 * 60
CASE_COOKIE, CASE_SALT, CASE_SECONDS = "ombudsman_case", "ombudsman.case", 15 * 60
SHOWN_AS_MEMBER = "member"
REFERRER_POLICY = "strict-origin"  # see referrer_origin_only


def _set_cookie(response, name: str, value: str, *, salt: str, seconds: int, path: str):
    response.set_signed_cookie(
        name,
        value,
        salt=salt,
        max_age=seconds,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def _cookie(request, name: str, *, salt: str, seconds: int) -> str:
    try:
        return request.get_signed_cookie(name, default="", salt=salt, max_age=seconds)
    except signing.BadSignature:
        return ""


@public
@require_safe
def home(request):
    """What the ombudsman is for, who holds the office, and the ways to reach them."""
    context = {
        "office": selectors.current_assignment(),
        "is_ombudsman": allowed(request.user, "ombudsman.handle_concerns"),
    }
    return render(request, "ombudsman/home.html", context)


# --- Raising a concern ----------------------------------------------------------


def referrer_origin_only(view):
    """Send `Referrer-Policy: strict-origin` with every answer of `view`: the concern
    form is opened from a link that carries a visitor's (encrypted) address, and a full
    Referer would copy that URL into the next request — the form's POST, the page's own
    CSS — and so into the server's access log. With this policy a Referer names the
    site only, never a path or query. Not `no-referrer`: under it browsers send
    `Origin: null` with the form's POST, which Django's CSRF check rightly refuses.
    Per view: the site-wide policy (SECURE_REFERRER_POLICY) stays as it is elsewhere;
    SecurityMiddleware only sets the header where the view did not."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        return response

    return wrapped


def _closed(request):
    return render(request, "ombudsman/closed.html", {"reason": crypto.UNAVAILABLE}, status=503)


@public
@referrer_origin_only
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
    sent = _cookie(request, SENT_COOKIE, salt=SENT_SALT, seconds=SENT_SECONDS)
    if request.method == "GET" and sent and "new" not in request.GET:
        # Back after sending: the concern is stored; a fresh form here would file the
        # same words a second time under a new case code.
        return render(request, "ombudsman/already_sent.html", {"case_code": sent})
    data = request.POST if request.method == "POST" else None
    shown_as = SHOWN_AS_MEMBER if member else "address" if address else "anonymous"
    form = ConcernForm(data, named=bool(member or address), shown_as=shown_as)
    if (
        request.method == "POST"
        and member is None
        and not address
        and request.POST.get("shown_as") == SHOWN_AS_MEMBER
    ):
        # Loaded signed in, sent signed out (the session ended meanwhile): filing it
        # anonymously would drop the name the reporter chose. Keep the text, say why.
        form.is_valid()
        form.add_error(
            None,
            "You were signed in when you opened this form, but you are not any more, so "
            "your concern was not sent. Your text is kept below. To send it under your "
            "name, sign in again in another tab, then send this form; to send it "
            "anonymously instead, simply send it again.",
        )
        form.data = form.data.copy()
        form.data["shown_as"] = "anonymous"
    elif request.method == "POST" and form.is_valid():
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
    response = render(request, "ombudsman/receipt.html", context)
    _set_cookie(
        response,
        SENT_COOKIE,
        raised.case_code,
        salt=SENT_SALT,
        seconds=SENT_SECONDS,
        path=request.path,
    )
    return response


@public
@referrer_origin_only
@never_cache
@require_http_methods(["GET", "POST"])
def verify_address(request):
    """A visitor without an account asks for a link to their address (the address
    encrypted in it: without a key there is no link to make)."""
    if not crypto.is_available():
        return _closed(request)
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Each send mails a link: limited per address (canonical form, so no spelling
        # is a fresh allowance) and per network, counted in the database.
        key = canonical_email(email)
        attempt = throttle.take(request, action=throttle.VERIFY, key=key)
        if attempt.blocked_until:
            return _too_many(
                request,
                attempt.blocked_until,
                reason="A link has been mailed to this address, or from your network, "
                "too many times in the last hour",
                advice="This limit keeps the form from being used to flood someone's "
                "mailbox. The links already sent stay valid for a day.",
            )
        services.address_verification_send(email=email)
        return render(request, "ombudsman/address_sent.html", {"email": email})
    return render(request, "ombudsman/address.html", {"form": form})


# --- A reporter reads the replies ------------------------------------------------


def _too_many(request, until, *, reason: str, advice: str):
    return too_many_requests(
        request,
        retry_after=max(until - timezone.now(), timedelta(seconds=1)),
        reason=reason,
        advice=advice,
        exact=True,
    )


def _case_refusal(request, until):
    """The answer to a guess made while this network or this case code is blocked."""
    return _too_many(
        request,
        until,
        reason="There have been too many wrong case codes or passphrases from your "
        "network or for this case",
        advice="This pause keeps anyone from guessing their way into a case. Your case "
        "and its replies are safe and unchanged; check the case code and passphrase you "
        "noted, then try again at the time below.",
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def check_case(request):
    """Case code and passphrase, then the concern and its replies.

    A right pair is remembered for a few minutes in a signed cookie and the browser is
    sent to GET this page (so reloading it never sends the passphrase again); a wrong
    pair shows nothing at all (not even whether the case exists) and counts against
    both the network and the case code. The reporter may answer from the case page.
    """
    code = _cookie(request, CASE_COOKIE, salt=CASE_SALT, seconds=CASE_SECONDS)
    concern = Concern.objects.filter(case_code=code).first() if code else None
    if concern is not None and request.method == "POST" and "leave" in request.POST:
        response = redirect("ombudsman:check")
        response.delete_cookie(CASE_COOKIE, path=request.path)
        return response
    if concern is not None and request.method == "POST" and "text" in request.POST:
        return _reporter_answer(request, concern, by=None)
    if concern is not None and request.method == "GET":
        return _reporter_case(request, concern, by=None)
    form = CaseCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = services.normalise_code(form.cleaned_data["case_code"])
        # Counted as a failure before any comparison, so a guess during a block is
        # refused unchecked and parallel guesses cannot share one allowance; a right
        # pair is then taken back off the count.
        attempt = throttle.take(request, action=throttle.CASE_FAILED, key=code)
        if attempt.blocked_until:
            return _case_refusal(request, attempt.blocked_until)
        concern = services.concern_for_passphrase(
            case_code=code, passphrase=form.cleaned_data["passphrase"]
        )
        if concern is None:
            form.no_case_matches()
        else:
            throttle.refund(attempt)
            response = redirect("ombudsman:check")
            _set_cookie(
                response,
                CASE_COOKIE,
                concern.case_code,
                salt=CASE_SALT,
                seconds=CASE_SECONDS,
                path=request.path,
            )
            return response
    return render(request, "ombudsman/check.html", {"form": form})


def _reporter_case(request, concern, *, by, form=None):
    try:
        case = services.concern_read_by_reporter(concern=concern, by=by)
    except crypto.EncryptionUnavailable:
        return _closed(request)
    context = {"case": case, "signed_in": by is not None, "form": form or AnswerForm()}
    return render(request, "ombudsman/reporter_case.html", context)


def _reporter_answer(request, concern, *, by):
    """The reporter's answer to the ombudsman: stored once, then back to the case."""
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _reporter_case(request, concern, by=by, form=form)
    try:
        answer = services.reporter_answer(
            concern=concern, text=form.cleaned_data["text"], token=form.cleaned_data["token"], by=by
        )
    except crypto.EncryptionUnavailable:
        return _closed(request)
    if answer is None:
        messages.info(request, "This answer had already been sent; it was stored once.")
    else:
        messages.success(request, "Your answer is stored; the ombudsman will be told.")
    return redirect(request.path)


@never_cache
@login_required
@require_safe
def my_cases(request):
    concerns = selectors.own_concerns(request.user)
    return render(request, "ombudsman/my_cases.html", {"concerns": concerns})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_case(request, case_code: str):
    concern = Concern.objects.filter(case_code=case_code).first()
    if not allowed(request.user, "ombudsman.read_own", concern):
        raise Http404("No such case.")
    if request.method == "POST":
        return _reporter_answer(request, concern, by=request.user)
    return _reporter_case(request, concern, by=request.user)


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
                session=services.session_tag(request.session.session_key),
            )
        except crypto.EncryptionUnavailable:
            return _closed(request)
        if reply is None:
            messages.info(request, "This reply had already been sent; it was stored once.")
        else:
            messages.success(request, "Reply stored.")
        return redirect(concern.get_absolute_url())
    try:
        case_file = services.concern_read(
            concern=concern,
            by=request.user,
            session=services.session_tag(request.session.session_key),
        )
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
        # The case exists and the reader may act on it: the request is what is wrong.
        return HttpResponseBadRequest("No such status.")
    services.concern_set_status(
        concern=concern,
        status=status,
        by=request.user,
        session=services.session_tag(request.session.session_key),
    )
    return redirect("ombudsman:cases")


@never_cache
@login_required
@require_safe
def access_log(request):
    _require_ombudsman(request)
    page = Paginator(selectors.access_log(), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "assignments": selectors.holders_with_accounts()}
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
