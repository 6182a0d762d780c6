from django.http import HttpResponse
from django.views.decorators.http import require_safe

from gds_portal.access import public


@public
@require_safe
def ceiling(request):
    """A no-op page served by the whole middleware stack: the fastest any page of
    this site can be on this machine, the yardstick `make bench` divides by."""
    return HttpResponse("ok\n", content_type="text/plain")
