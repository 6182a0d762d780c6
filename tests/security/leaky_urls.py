"""A URLconf with one view that forgets both @public and a login check (for the walk's own test)."""

from django.http import HttpResponse
from django.urls import path


def leaky(request, pk: int):
    return HttpResponse("private notes of member 1")


urlpatterns = [path("notes/<int:pk>/", leaky, name="leaky")]
