from django.conf import settings
from django.http import Http404
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
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "private, no-store, no-cache, must-revalidate"
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
