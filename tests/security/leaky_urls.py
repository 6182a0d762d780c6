"""A URLconf with one view that forgets both @public and a login check (for the walk's own test).

Its year uses an app-style custom converter, so the walk must find a value for it too.
"""

from django.http import HttpResponse
from django.urls import path, register_converter


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(FourDigitYear, "test_yyyy")


def leaky(request, year: int, pk: int):
    return HttpResponse("private notes of member 1")


urlpatterns = [path("notes/<test_yyyy:year>/<int:pk>/", leaky, name="leaky")]
