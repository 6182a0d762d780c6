from django.urls import path

from meetings import committee_views as committee
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
    path("my/nominations/", committee.my_nominations, name="my_nominations"),
    path("<slug:slug>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/nominate/", committee.nominate, name="nominate"),
    # The Program committee's pages.
    path("<slug:slug>/committee/", committee.dashboard, name="dashboard"),
    path("<slug:slug>/committee/reviews/", committee.review_list, name="review_list"),
    path("<slug:slug>/committee/reviews/<int:pk>/", committee.review_form, name="review"),
    path("<slug:slug>/committee/decisions/", committee.decisions, name="decisions"),
    path(
        "<slug:slug>/committee/decisions/preview/",
        committee.decisions_preview,
        name="decisions_preview",
    ),
    path("<slug:slug>/committee/decisions/send/", committee.decisions_send, name="decisions_send"),
    path("<slug:slug>/committee/exports/", committee.exports_page, name="exports"),
    path("<slug:slug>/committee/abstracts.<str:fmt>", committee.export, name="export"),
    path("<slug:slug>/committee/book/", committee.book, name="book"),
    path("<slug:slug>/committee/nominations/", committee.nominations, name="nominations"),
    path("<slug:slug>/call/", views.call, name="call"),
    path("<slug:slug>/call/deadline.ics", views.call_ics, name="call_ics"),
]
