from django.urls import path

from crrg import views

app_name = "crrg"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("leave/", views.leave, name="leave"),
    path("groups/<slug:slug>/leave/", views.leave_group, name="leave_group"),
    path("leave-group/<str:token>/", views.leave_link, name="leave_link"),
    path("coordinators/", views.coordinators, name="coordinators"),
    path("coordinators/questionnaires/<slug:slug>/", views.summary, name="summary"),
    path(
        "coordinators/questionnaires/<slug:slug>/export.csv",
        views.export,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/export.xlsx",
        views.export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/invitations/",
        views.invitations,
        name="invitations",
    ),
    path(
        "coordinators/questionnaires/<slug:slug>/invitations/reminders/",
        views.reminders,
        name="reminders",
    ),
    path("coordinators/groups/<slug:slug>/", views.roster, name="roster"),
]
