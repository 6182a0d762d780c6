from django.urls import path

from elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("calendar.ics", views.feed_ics, name="feed_ics"),
    path("officers/", views.officers, name="officers"),
    path("officers/<slug:slug>/handover/", views.handover, name="handover"),
    path("<slug:slug>/", views.election_detail, name="detail"),
    path("<slug:slug>/calendar.ics", views.election_ics, name="ics"),
    path("<slug:slug>/nominate/", views.nominate, name="nominate"),
    path("<slug:slug>/answer/<str:token>/", views.answer, name="answer"),
    path("<slug:slug>/ballot/", views.ballot, name="ballot"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/ballots/", views.ballots, name="ballots"),
    path("<slug:slug>/audit.json", views.audit_json, name="audit_json"),
    path("<slug:slug>/ballots.csv", views.ballots_csv, name="ballots_csv"),
]
