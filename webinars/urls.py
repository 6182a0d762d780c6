from django.urls import path

from webinars import feedback_views, views

app_name = "webinars"
urlpatterns = [
    path("", views.webinar_list, name="list"),
    path("feed.ics", views.feed_ics, name="feed_ics"),
    path("feed.atom", views.feed_atom, name="feed_atom"),
    path("speakers.json", views.speaker_suggestions, name="speaker_suggestions"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("nominate/", views.nominate_index, name="nominate"),
    path("nominate/<str:kind>/<int:pk>/withdraw/", views.withdraw_nomination, name="withdraw"),
    path("nominate/<str:kind>/<int:pk>/", views.my_nomination, name="my_nomination"),
    path("nominate/<str:kind>/", views.nominate, name="nominate_form"),
    path("committee/participation/", views.participation, name="participation"),
    path("announcements/", feedback_views.announcements, name="announcements"),
    path(
        "announcements/unsubscribe/<str:token>/",
        feedback_views.announcements_unsubscribe,
        name="announcements_unsubscribe",
    ),
    path("committee/figures/", views.series_figures, name="figures"),
    path("committee/<slug:slug>/run-sheet/", views.run_sheet, name="run_sheet"),
    path("<slug:slug>/", views.webinar_detail, name="detail"),
    path("<slug:slug>/calendar.ics", views.webinar_ics, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/register/sent/", views.register_sent, name="register_sent"),
    path("<slug:slug>/unregister/", views.unregister, name="unregister"),
    path("<slug:slug>/feedback/", feedback_views.feedback, name="feedback"),
    path(
        "<slug:slug>/feedback/speakers/", feedback_views.speaker_feedback, name="speaker_feedback"
    ),
    path("<slug:slug>/feedback/<str:token>/", feedback_views.feedback_link, name="feedback_link"),
    path(
        "<slug:slug>/registration/confirm/<str:token>/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "<slug:slug>/registration/cancel/<str:token>/",
        views.registration_cancel_link,
        name="registration_cancel",
    ),
    path(
        "<slug:slug>/registration/no-replay-mail/<str:token>/",
        views.no_replay_mail,
        name="no_replay_mail",
    ),
    path("<slug:slug>/speaker/<str:token>/", views.speaker_invitation, name="speaker_invitation"),
]
