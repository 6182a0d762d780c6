from django.urls import path

from meetings.views import assignments, committee, confirmations, member, public, sessions

app_name = "meetings"
urlpatterns = [
    path("", public.meeting_list, name="list"),
    # The member's area comes before <slug>/; "my" is a reserved meeting slug.
    path("my/abstracts/", member.my_abstracts, name="my_abstracts"),
    path("my/abstracts/new/<slug:slug>/", member.abstract_create, name="abstract_create"),
    path("my/abstracts/<int:pk>/", member.abstract_detail, name="abstract"),
    path("my/abstracts/<int:pk>/edit/", member.abstract_edit, name="abstract_edit"),
    path("my/abstracts/<int:pk>/submit/", member.abstract_submit, name="abstract_submit"),
    path("my/abstracts/<int:pk>/withdraw/", member.abstract_withdraw, name="abstract_withdraw"),
    path(
        "my/abstracts/<int:pk>/presenting/",
        confirmations.presenter_answer,
        name="presenter_answer",
    ),
    path("my/nominations/", member.my_nominations, name="my_nominations"),
    path("my/nominations/<int:pk>/edit/", member.nomination_edit, name="nomination_edit"),
    path(
        "my/nominations/<int:pk>/withdraw/",
        member.nomination_withdraw_view,
        name="nomination_withdraw",
    ),
    path("<slug:slug>/", public.meeting_detail, name="detail"),
    path("<slug:slug>/nominate/", member.nominate, name="nominate"),
    path("<slug:slug>/book.pdf", public.book_pdf, name="public_book_pdf"),
    # The Program committee's pages.
    path("<slug:slug>/committee/", committee.dashboard, name="dashboard"),
    path("<slug:slug>/committee/reviews/", committee.review_list, name="review_list"),
    path("<slug:slug>/committee/reviews/<int:pk>/", committee.review_form, name="review"),
    path("<slug:slug>/committee/assignments/", assignments.assignments, name="assignments"),
    path(
        "<slug:slug>/committee/assignments/run/",
        assignments.assignments_run,
        name="assignments_run",
    ),
    path(
        "<slug:slug>/committee/assignments/<int:pk>/",
        assignments.assignment_abstract,
        name="assignment_abstract",
    ),
    path("<slug:slug>/committee/reminders/", assignments.reminders_preview, name="reminders"),
    path(
        "<slug:slug>/committee/reminders/send/",
        assignments.reminders_send,
        name="reminders_send",
    ),
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
    path("<slug:slug>/committee/book.pdf", committee.book_pdf, name="book_pdf"),
    path("<slug:slug>/committee/nominations/", committee.nominations, name="nominations"),
    path("<slug:slug>/committee/presenters/", confirmations.presenters, name="presenters"),
    path(
        "<slug:slug>/committee/presenters/remind/",
        confirmations.presenters_remind_view,
        name="presenters_remind",
    ),
    path(
        "<slug:slug>/committee/presenters/<int:pk>/",
        confirmations.presenter_replace_view,
        name="presenter_replace",
    ),
    path(
        "<slug:slug>/committee/reminders/drafts/",
        confirmations.drafts_remind_view,
        name="drafts_remind",
    ),
    # A speaker's signed link (meetings.links): public, the token is the key.
    path("<slug:slug>/confirm/<str:token>/", confirmations.speaker_confirm, name="speaker_confirm"),
    path("<slug:slug>/committee/sessions/", sessions.session_list, name="sessions"),
    path("<slug:slug>/committee/sessions/new/", sessions.session_new, name="session_new"),
    path("<slug:slug>/committee/sessions/<int:pk>/", sessions.session_edit, name="session"),
    path(
        "<slug:slug>/committee/sessions/<int:pk>/talks/",
        sessions.session_talks,
        name="session_talks",
    ),
    path(
        "<slug:slug>/committee/sessions/<int:pk>/publish/",
        sessions.session_publish_view,
        name="session_publish",
    ),
    path(
        "<slug:slug>/committee/sessions/<int:pk>/delete/",
        sessions.session_delete_view,
        name="session_delete",
    ),
    path("<slug:slug>/call/", public.call, name="call"),
    path("<slug:slug>/call/deadline.ics", public.call_ics, name="call_ics"),
]
