from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    # The member's area comes before <slug>/; "my" is a reserved meeting slug.
    path("my/abstracts/", views.my_abstracts, name="my_abstracts"),
    path("my/abstracts/new/<slug:slug>/", views.abstract_create, name="abstract_create"),
    path("my/abstracts/<int:pk>/", views.abstract_detail, name="abstract"),
    path("my/abstracts/<int:pk>/edit/", views.abstract_edit, name="abstract_edit"),
    path("my/abstracts/<int:pk>/submit/", views.abstract_submit, name="abstract_submit"),
    path("my/abstracts/<int:pk>/withdraw/", views.abstract_withdraw, name="abstract_withdraw"),
    path("<slug:slug>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/call/", views.call, name="call"),
    path("<slug:slug>/call/deadline.ics", views.call_ics, name="call_ics"),
]
