"""/surveys/<slug>/: questionnaires other than the CRRG membership one."""

from django.urls import path

from crrg import views

app_name = "surveys"
urlpatterns = [
    path("<slug:slug>/", views.survey, name="answer"),
]
