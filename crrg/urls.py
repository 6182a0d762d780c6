from django.urls import path

from crrg.views import coordinators, member, results

app_name = "crrg"
urlpatterns = [
    path("", member.home, name="home"),
    path("join/", member.join, name="join"),
    path("leave/", member.leave, name="leave"),
    path("groups/<slug:slug>/leave/", member.leave_group, name="leave_group"),
    path("leave-group/<str:token>/", member.leave_link, name="leave_link"),
    path("coordinators/", coordinators.coordinators, name="coordinators"),
    path("coordinators/questionnaires/<slug:slug>/", results.summary, name="summary"),
    path(
        "coordinators/questionnaires/<slug:slug>/export.csv",
        results.export,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/export.xlsx",
        results.export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/crosstab/",
        results.crosstab,
        name="crosstab",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/release/",
        results.release,
        name="release",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/invitations/",
        coordinators.invitations,
        name="invitations",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/invitations/reminders/",
        coordinators.reminders,
        name="reminders",
    ),
    path("coordinators/groups/<slug:slug>/", coordinators.roster, name="roster"),
]
