import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

# Powerful browser features the portal never uses, switched off for our pages
# and for every frame they embed. Only names Chromium recognises: an unknown
# one is logged as a console error on every page. Fullscreen stays with the
# embedded video players (the webinar archive).
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
log = logging.getLogger(__name__)

_PLAYERS = " ".join(f'"{host}"' for host in settings.EMBED_FRAME_HOSTS)
PERMISSIONS_POLICY = ", ".join(
    [f"{feature}=()" for feature in DENIED_FEATURES] + [f"fullscreen=(self {_PLAYERS})"]
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not send itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PrivateCacheMiddleware:
    """Pages rendered for a signed-in member must never sit in a shared cache.

    A proxy or the browser's back/forward cache could otherwise show one
    member's My GDS page to the next person at the same computer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A page padded against size analysis (elections' ballot) asks proxies not to
            # compress it: keep that.
            keep = ", no-transform" if "no-transform" in response.get("Cache-Control", "") else ""
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = (
                "private, no-store, no-cache, must-revalidate" + keep
            )
            patch_vary_headers(response, ["Cookie"])
        return response


class FlatpageFallbackMiddleware:
    """Django's flat-page fallback, through our view that never marks the title safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        from gds_portal.views import find_flatpage

        try:
            return find_flatpage(request, request.path_info)
        except Http404:
            return response


def bare_page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    """An error page rendered without the request (templates/error_bare.html).

    No context processor runs, so the page reads neither the session nor the
    database: the very input that was refused, or the service that failed.
    """
    return HttpResponse(render_to_string(template, context or {}), status=status)


def _has_nul(*texts: str) -> bool:
    return any("\x00" in text for text in texts)


class RejectNulMiddleware:
    """A NUL byte anywhere in a request is a 400, before anything reads it.

    No page accepts NUL, and PostgreSQL refuses it in text, so a NUL that reached
    a query (a flat-page lookup for an unmatched path, an allauth key, an admin
    filter, the session key from a cookie) raised a 500. The path, query, cookies
    and headers are checked here, on the way in; none of them carries text a person
    typed. Form fields are left to the forms: Django's CharField refuses NUL with a
    message at the field and the rest of the text kept (each app's test_bad_input.py
    posts NUL into every field), which is kinder than a bare 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._head_has_nul(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def _head_has_nul(request) -> bool:
        headers = [
            (key, value)
            for key, value in request.META.items()
            if key.startswith("HTTP_") or key in {"CONTENT_TYPE", "CONTENT_LENGTH", "QUERY_STRING"}
        ]
        return _has_nul(
            request.path,
            request.path_info,
            *(text for pair in headers for text in pair if isinstance(text, str)),
            *(text for key, values in request.GET.lists() for text in (key, *values)),
            *(text for pair in request.COOKIES.items() for text in pair),
        )

    @staticmethod
    def refuse(request) -> HttpResponse:
        log.info("Refused a request with a NUL byte in its path, query, a cookie or a header")
        return bare_page("400.html", 400)


class RequestBodyLimitMiddleware:
    """Refuse an oversized request body before anything reads it: a 413 page.

    Django reads a form body as soon as CSRF looks for its token, writing uploads
    to disk on the way (an outside tester's 300 MB anonymous POST was, before the
    CSRF 403). So the declared length is checked here, first: REQUEST_MAX_BYTES for
    every page, UPLOAD_REQUEST_MAX_BYTES in the admin, where the only upload fields
    are (gds_portal/uploads.py: an image and a PDF in one form at most) — and that
    larger allowance only for a signed-in staff member, checked in process_view,
    after the session is there and still before CSRF or the view reads the body.
    A body sent without a length (chunked) is refused with a 411: Django would
    silently read none of it, and the form would seem to have been sent empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length is None:
            return _too_large(request, status=411, limit=0)
        limit = _limit_for(request.path_info)
        if length > limit:
            return _too_large(request, status=413, limit=limit)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        staff = request.user.is_authenticated and request.user.is_staff
        if _declared_length(request) > settings.REQUEST_MAX_BYTES and not staff:
            return _too_large(request, status=413, limit=settings.REQUEST_MAX_BYTES)
        return None


def _declared_length(request) -> int | None:
    """The body's declared length; None for a body sent without one (chunked)."""
    length = request.headers.get("content-length")
    if not length and "transfer-encoding" in request.headers:
        return None
    try:
        return max(int(length or 0), 0)
    except ValueError:
        return 0  # Django reads nothing of a body with a malformed length


def _limit_for(path: str) -> int:
    try:
        admin = reverse("admin:index")
    except NoReverseMatch:  # a URLconf without the admin (some tests)
        return settings.REQUEST_MAX_BYTES
    return (
        settings.UPLOAD_REQUEST_MAX_BYTES if path.startswith(admin) else settings.REQUEST_MAX_BYTES
    )


def _too_large(request, *, status: int, limit: int) -> HttpResponse:
    length = _declared_length(request) or 0
    log.info("Refused a %s-byte request body (limit %s) to %s", length, limit, request.path)
    context = {
        "status": status,
        "length_required": status == 411,
        "sent_mb": _mb(length),
        "limit_mb": _mb(limit),
        "image_mb": _mb(settings.MAX_IMAGE_UPLOAD_BYTES),
        "pdf_mb": _mb(settings.MAX_PDF_UPLOAD_BYTES),
    }
    return bare_page("413.html", status, context)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.0f}" if size >= 1_048_576 else f"{size / 1_048_576:.1f}"
