"""/surveys/<slug>/: questionnaires other than the CRRG membership one."""

from django.urls import path

from crrg.views import member

app_name = "surveys"
urlpatterns = [
    path("<slug:slug>/", member.survey, name="answer"),
    path("<slug:slug>/results/", member.published_summary, name="results"),
]
